package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * oxenstored gives / an owner no client can read when the domain owning it goes; a live update then
 * restores / as {@code n0}, readable again. The tree difference after the update has that one cause
 * and keeps its signature (gate seed 50027 came out NEW as {@code tree:perms:root}).
 */
class UnreadableRootOwnerCauseTest {

    @Test
    void aLiveUpdateAfterTheRootOwnerWentUnreadableKeepsTheCause() throws Exception {
        for (String target : new String[] {"oxenstored", "oxenstored-4.20"}) {
            String dialect = target.equals("oxenstored") ? Dialect.OXENSTORED : Dialect.OXENSTORED_420;
            SequenceOutcome o = new SequenceRunner(TestTargets.require(target), Dialect.named(dialect), 0, target)
                    .replay(TraceParser.parse("conn A dom0\nconn B dom0\nB setperms / w3 r0\nA release 3\nA liveupdate\n"));
            assertEquals("tree:owner-unreadable-on-target:root", o.signature(), target + ": " + o.reproducer());
        }
    }
}
