package io.xscheck.conformance.engine;

import io.xscheck.conformance.DelegatingSut;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.model.Dialect;
import io.xscheck.sut.Sut;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Test cases share a target through {@link TargetPool}: a clean case's target is reset and lent
 * to the next case; a case that diverged gives its target up; and whatever a reset target shows
 * is confirmed on a fresh one, so that state a reset left behind is never reported as the
 * target's divergence.
 */
class TargetReuseTest {

    @Test
    void aCleanCasesTargetIsResetAndLentAgainADivergedOnesIsNot() {
        AtomicInteger started = new AtomicInteger();
        TargetPool pool = new TargetPool(() -> {
            started.incrementAndGet();
            return ModelSut.start("spec");
        }, null, true);

        TargetPool.Lease first = pool.acquire(true);
        assertFalse(first.reused());
        pool.release(first, true, Set.of());
        TargetPool.Lease second = pool.acquire(true);
        assertTrue(second.reused());
        assertSame(first.sut(), second.sut());

        pool.release(second, false, Set.of());
        TargetPool.Lease third = pool.acquire(true);
        assertFalse(third.reused());
        assertNotSame(second.sut(), third.sut());
        pool.release(third, true, Set.of());

        TargetPool.Lease forReplay = pool.acquire(false);
        assertFalse(forReplay.reused(), "a replay always gets a fresh target");
        pool.release(forReplay, true, Set.of());
        pool.close();
        assertEquals(3, started.get());
        assertEquals(0, pool.failedResets());
    }

    @Test
    void aCampaignOnTheModelTargetRunsMostCasesOnAResetTarget() {
        TargetReport r = campaign(() -> ModelSut.start("spec"), 40);
        assertEquals("", r.error());
        assertEquals(0, r.divergences());
        assertTrue(r.reuse().reusedCases() >= 30, "reused " + r.reuse().reusedCases() + " of 40");
        assertEquals(0, r.reuse().unconfirmed());
    }

    @Test
    void stateAResetLeftBehindIsCaughtOnAFreshTargetAndNotReported() {
        TargetReport r = campaign(() -> new ForgetfulReset(ModelSut.start("spec")), 40);
        assertEquals("", r.error());
        assertTrue(r.reuse().unconfirmed() > 0, "the leftover nodes must show up on a reset target");
        assertEquals(0, r.divergences(), "a fresh target agrees with the model on every one of them");
        assertTrue(r.reuse().unconfirmedExample().contains("on a reset target; a fresh target agreed"),
                r.reuse().unconfirmedExample());
    }

    /**
     * A target that says its reset renews its state (QEMU's new store) is taken at its word: what a reset one
     * shows is the report, with no replay on a fresh one. So that word must be true: here a reset that keeps
     * the tree while claiming it, whose leftovers then count as divergences (QemuResetTest pins QEMU's).
     */
    @Test
    void aTargetWhoseResetRenewsItsStateIsNotConfirmedOnAFreshOne() {
        TargetReport r = campaign(() -> new ForgetfulReset(ModelSut.start("spec")) {
            @Override
            public boolean resetRenewsState() {
                return true;
            }
        }, 40);
        assertEquals("", r.error());
        assertTrue(r.reuse().reusedCases() > 0, "reused " + r.reuse().reusedCases() + " of 40");
        assertEquals(0, r.reuse().unconfirmed(), "nothing was replayed on a fresh target");
        assertTrue(r.divergences() > 0, "the leftovers counted as the target's");
    }

    private static TargetReport campaign(TargetFactory factory, int sequences) {
        Campaign.Config config = new Campaign.Config(7, Duration.ofMinutes(2), sequences, 1, Weights.defaults(), 40, 5,
                Duration.ofSeconds(5), 20);
        return new Campaign("model", factory, Dialect.named("spec"), config, n -> { }).run();
    }

    /** A target whose reset claims success but keeps the tree: the bug the confirmation exists for. */
    private static class ForgetfulReset extends DelegatingSut {
        ForgetfulReset(ModelSut inner) {
            super(inner);
        }

        @Override
        public boolean reset(Set<Integer> guests) {
            return true;
        }

        @Override
        public boolean resettable() {
            return true;
        }

    }
}
