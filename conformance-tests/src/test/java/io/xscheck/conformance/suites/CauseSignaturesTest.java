package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A divergence whose one cause is a state the target got into earlier is named by that cause, whichever later
 * request shows it (gate seeds 50022, 50027 and 50062 came out NEW under the symptom's signature instead).
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

    /**
     * C frees a targeted domain's connection at its release and death while domain 2 still targets it (xscheck-3):
     * dom0's read of a long missing path reuses the freed memory, and domain 2's MKDIR of a node its target owns
     * is refused. The cause names it, not the refusal (gate seed 50062 came out as {@code kind:mkdir:...}).
     */
    @Test
    void aTargetFreedWhileTargetedIsNamedByItsCause() throws Exception {
        String longPath = "/local/domain/2" + "/lllllllllllllll".repeat(128);
        assertCause("cxenstored", Dialect.CXENSTORED, "cxenstored-4.20", Dialect.CXENSTORED_420,
                "conn A dom0\nconn G1 domU 1\nconn G2 domU 2\nA settarget 2 1\nA release 1\nA kill 1\n"
                        + "A mkdir /local/domain/1\nA setperms /local/domain/1 b1 n2\nA read " + longPath + "\n"
                        + "G2 mkdir /local/domain/1\n",
                io.xscheck.conformance.engine.Lockstep.FREED_TARGET);
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
