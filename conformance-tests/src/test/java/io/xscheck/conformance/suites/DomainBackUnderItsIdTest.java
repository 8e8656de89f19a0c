package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * A guest domain a kill ended comes back under its id with a new connection (generated cases do it): the
 * daemon fires @introduceDomain, due at the next step or, when the connection is declared after the last
 * step, at the case's end (seed 62003 reported it as an extra event there).
 */
class DomainBackUnderItsIdTest {

    @Test
    void theIntroductionOfAConnectionDeclaredLastIsDueAtTheEnd() throws Exception {
        for (String[] t : new String[][] {{"cxenstored", Dialect.CXENSTORED}, {"oxenstored", Dialect.OXENSTORED}}) {
            SequenceOutcome o = new SequenceRunner(TestTargets.require(t[0]), Dialect.named(t[1]), 0, t[0])
                    .replay(TraceParser.parse("conn A dom0\nconn G1 domU 1\nA watch @introduceDomain w\nA events\n"
                            + "A kill 1\nconn G1-2 domU 1\n"));
            assertFalse(o.diverged(), t[0] + ": " + o.reproducer());
        }
    }

    /**
     * An ACL entry naming domain 1 from before its death grants nothing to the new domain 1 (the model, XSA-322);
     * C honours it when nothing was written in between (docs/divergences.md), whatever the request: one cause.
     */
    @Test
    void anEntryOfTheDeadDomainHonouredIsOneCauseWhateverTheRequest() throws Exception {
        for (String request : new String[] {"read /x", "write /x w", "mkdir /x/y", "directory /x", "getperms /x"}) {
            SequenceOutcome o = new SequenceRunner(TestTargets.require("cxenstored"), Dialect.named(Dialect.CXENSTORED), 0,
                    "cxenstored").replay(TraceParser.parse("conn A dom0\nconn G1 domU 1\nA write /x v\nA setperms /x n0 b1\n"
                    + "A kill 1\nconn G1-2 domU 1\nG1-2 " + request + "\n"));
            assertEquals(io.xscheck.conformance.engine.Lockstep.DEAD_DOMAIN_ENTRY_HONOURED, o.signature(), request + ": "
                    + o.reproducer());
        }
    }

    /** The domain back under its id runs: a live update keeps it and its watch (gate seed 63009). */
    @Test
    void aLiveUpdateKeepsTheDomainThatCameBack() throws Exception {
        SequenceOutcome o = new SequenceRunner(TestTargets.require("cxenstored"), Dialect.named(Dialect.CXENSTORED), 0,
                "cxenstored").replay(TraceParser.parse("conn A dom0\nconn B dom0\nconn G1 domU 1\nA kill 1\n"
                + "conn G1-2 domU 1\nG1-2 watch @releaseDomain t1\nG1-2 events\nB liveupdate\nG1-2 read /local\n"));
        assertFalse(o.diverged(), o.reproducer());
    }

    /** The same entry refusing: {@code n2} of the dead domain 2 keeps the new domain 2 from creating (gate seed 63003). */
    @Test
    void anEntryOfTheDeadDomainThatRefusesIsTheSameCause() throws Exception {
        SequenceOutcome o = new SequenceRunner(TestTargets.require("cxenstored"), Dialect.named(Dialect.CXENSTORED), 0,
                "cxenstored").replay(TraceParser.parse("conn A dom0\nconn G1 domU 1\nconn G2 domU 2\nA write /local v\n"
                + "A setperms /local b1 n2\nA kill 2\nconn G2-2 domU 2\nG2-2 write vm v\n"));
        assertEquals(io.xscheck.conformance.engine.Lockstep.DEAD_DOMAIN_ENTRY_HONOURED, o.signature(), o.reproducer());
    }
}
