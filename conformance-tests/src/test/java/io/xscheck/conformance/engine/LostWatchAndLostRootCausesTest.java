package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Divergences of gate seed 75126 that one known cause explains, named by it on the real targets. */
class LostWatchAndLostRootCausesTest {

    private static SequenceOutcome replay(String target, String dialect, String trace) throws Exception {
        if (!Suts.installed().contains(target)) {
            String why = target + " is not installed here";
            if (System.getenv("CI") != null) {
                Assertions.fail(why + "; CI must run every target");
            }
            Assumptions.abort(why);
        }
        try (TargetPool pool = new TargetPool(() -> Suts.open(target, SutOptions.defaults()), null, false)) {
            return new SequenceRunner(pool, Dialect.named(dialect), 25, target).replay(TraceParser.parse(trace));
        }
    }

    @Test
    void aGuestsWatchQemusMigrationLostCanBeSetAgainThatIsTheLostWatchCause() throws Exception {
        SequenceOutcome o = replay("qemu", "qemu", "conn B dom0\nconn G2 domU 2\nB watch /local t1\nG2 watch /local t0\n"
                + "B migrate\nG2 watch /local t0\n");
        assertEquals(Lockstep.LOST_AT_MIGRATION, o.signature());
    }

    @Test
    void cRefusingAnRmOfTheRootItLostAtItsOwnersDeathIsTheLostRootCause() throws Exception {
        SequenceOutcome o = replay("cxenstored", "cxenstored-4.17", "conn A dom0\nconn G1 domU 1\nA setperms / w1 r3 r0\n"
                + "A kill 1\nA rm /\n");
        assertEquals("tree:missing-on-target:root", o.signature());
    }
}
