package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A divergence whose one cause is a state the target got into earlier is named by that cause, whichever later
 * request shows it (gate seeds 50022 and 50027 came out NEW under the symptom's signature instead).
 */
class CauseSignaturesTest {

    /**
     * C keeps a released domain that is its own target, also one introduced with no connection and released
     * steps before the request that shows it.
     */
    @Test
    void aKeptDomainWithoutAConnectionIsNamedByItsCauseStepsAfterItsRelease() throws Exception {
        assertCause("cxenstored", Dialect.CXENSTORED, "cxenstored-4.20", Dialect.CXENSTORED_420,
                "conn A dom0\nA introduce 3\nA settarget 3 3\nA release 3\nA settarget 3 3\n",
                "domains:released-domain-kept-on-target");
    }

    /**
     * oxenstored gives / an owner no client can read when the domain owning it goes; a live update then restores
     * / as {@code n0}, readable again, and the tree difference after it keeps the cause.
     */
    @Test
    void aLiveUpdateAfterTheRootOwnerWentUnreadableKeepsTheCause() throws Exception {
        assertCause("oxenstored", Dialect.OXENSTORED, "oxenstored-4.20", Dialect.OXENSTORED_420,
                "conn A dom0\nconn B dom0\nB setperms / w3 r0\nA release 3\nA liveupdate\n",
                "tree:owner-unreadable-on-target:root");
    }

    /** The trace replayed on a 4.17 and a 4.20 target, each in its dialect, diverges with {@code signature}. */
    private static void assertCause(String target417, String dialect417, String target420, String dialect420,
                                    String trace, String signature) throws Exception {
        for (String[] t : new String[][] {{target417, dialect417}, {target420, dialect420}}) {
            SequenceOutcome o = new SequenceRunner(TestTargets.require(t[0]), Dialect.named(t[1]), 0, t[0])
                    .replay(TraceParser.parse(trace));
            assertEquals(signature, o.signature(), t[0] + ": " + o.reproducer());
        }
    }
}
