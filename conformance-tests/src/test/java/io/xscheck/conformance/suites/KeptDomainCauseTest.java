package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * C keeps a released domain that is its own target; whichever later request shows it, the divergence
 * is named by that cause, also for a domain introduced with no connection and released steps before
 * (gate seed 50022: the SET_TARGET after the RELEASE was signed by its own rule and came out NEW).
 */
class KeptDomainCauseTest {

    @Test
    void aKeptDomainWithoutAConnectionIsNamedByItsCauseStepsAfterItsRelease() throws Exception {
        for (String target : new String[] {"cxenstored", "cxenstored-4.20"}) {
            String dialect = target.equals("cxenstored") ? Dialect.CXENSTORED : Dialect.CXENSTORED_420;
            SequenceOutcome o = new SequenceRunner(TestTargets.require(target), Dialect.named(dialect), 0, target)
                    .replay(TraceParser.parse("conn A dom0\nA introduce 3\nA settarget 3 3\nA release 3\nA settarget 3 3\n"));
            assertEquals("domains:released-domain-kept-on-target", o.signature(), target + ": " + o.reproducer());
        }
    }
}
