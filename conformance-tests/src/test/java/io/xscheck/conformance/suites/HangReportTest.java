package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A request a daemon does not answer is reported as a hang within about a second, and the report
 * says which kind: oxenstored answers an empty READ only once more bytes arrive on the connection
 * (docs/divergences.md), which the probe the engine then sends on that connection shows.
 */
class HangReportTest {

    @Test
    void oxenstoredsEmptyReadIsAHangThatTheNextRequestReleases() throws Exception {
        long start = System.nanoTime();
        SequenceOutcome o = new SequenceRunner(TestTargets.require("oxenstored"), Dialect.named("oxenstored-4.17"), 0,
                "oxenstored").replay(TraceParser.parse("conn A dom0\nA raw 2 \"\"\n"));
        double seconds = (System.nanoTime() - start) / 1e9;

        assertEquals("crash:raw:HUNG:answered only after more input", o.signature());
        assertTrue(o.divergence().orElseThrow().actual().contains("only after a later request on the same connection"),
                o.divergence().orElseThrow().actual());
        assertTrue(o.divergence().orElseThrow().actual().contains("EINVAL"), o.divergence().orElseThrow().actual());
        assertTrue(seconds < 5, "reported after " + seconds + " s; the reply bound alone is 10 s");
    }
}
