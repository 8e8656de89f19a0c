package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Test;

/**
 * QEMU answers OK to an RM of {@code /} and is left with no root, on which its next request dies.
 * The engine names that divergence without asking the target about {@code /} again, so the server
 * lives to be reset for the next case (a tenth of QEMU's cases in a default run had started a new
 * one for this).
 */
class RootRemovalKeepsTargetTest {

    @Test
    void qemusRmOfTheRootIsReportedAndItsServerResetForTheNextCase() throws Exception {
        io.xscheck.conformance.InstalledTargets.require("qemu");
        try (TargetPool pool = new TargetPool(() -> Suts.open("qemu", SutOptions.defaults()), null, true)) {
            SequenceRunner runner = new SequenceRunner(pool, Dialect.named("qemu"), 25, "qemu");

            SequenceOutcome o = runner.replay(TraceParser.parse("conn A dom0\nA write /local/x v\nA rm /\n"));

            assertTrue(o.diverged());
            assertEquals("kind:rm:TreeOps.rmRoot:EINVAL/Ok", o.signature());
            assertEquals(1, pool.resets());
            assertEquals(0, pool.failedResets(), "the server that removed its root was still up to be reset");
        }
    }
}
