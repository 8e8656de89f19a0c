package io.xscheck.conformance.engine;

import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;
import io.xscheck.sut.TreeImage;

import java.util.Set;

/**
 * Where one job's test cases get their target. A case that may reuse one gets the target the
 * previous case left, after {@link Sut#reset}: a few requests instead of a daemon's stop and
 * start (about 14 ms of stop and 2 ms of start per case on oxenstored, measured, and the two
 * cores spent forking and exiting). A target is closed instead when its case diverged or failed
 * an expectation (its state is suspect), when its reset fails, and after {@link #MAX_USES} cases,
 * so that state no request can see (a quota counter) cannot drift for long. Not thread-safe: one
 * pool per job.
 */
final class TargetPool implements AutoCloseable {
    /** Cases one target serves before it is replaced. */
    static final int MAX_USES = 200;

    /** A target lent to one case; {@code reused} when an earlier case ran on it. */
    record Lease(Sut sut, boolean reused) {
    }

    private final TargetFactory factory;
    private final BoundedClose closer;
    private final boolean reuse;
    private Sut idle;
    private int idleUses;
    private int leasedUses;
    private long resets;
    private long failedResets;

    /**
     * @param closer closes used targets in the background; null closes each before returning
     * @param reuse false: every case gets a fresh target (replays, shrinking, single runs)
     */
    TargetPool(TargetFactory factory, BoundedClose closer, boolean reuse) {
        this.factory = factory;
        this.closer = closer;
        this.reuse = reuse;
    }

    /** The idle target when {@code mayReuse} and there is one, else a fresh one. */
    Lease acquire(boolean mayReuse) {
        if (mayReuse && idle != null) {
            Lease lease = new Lease(idle, true);
            leasedUses = idleUses;
            idle = null;
            return lease;
        }
        leasedUses = 0;
        return new Lease(openWithRetry(factory), false);
    }

    /**
     * Takes the target back. A clean case's target is reset and kept for the next case if the
     * pool reuses targets and has none idle; every other target is closed. (The caller may call a
     * diverged case's target clean when its reset renews its state: {@link Sut#resetRenewsState}.)
     *
     * @param guests every guest domid the case's requests named (see {@link Sut#reset})
     */
    void release(Lease lease, boolean clean, Set<Integer> guests) {
        release(lease, clean, guests, Set.of());
    }

    /** {@link #release(Lease, boolean, Set)}, where the reset may keep the guest domains of {@code keep}. */
    void release(Lease lease, boolean clean, Set<Integer> guests, Set<Integer> keep) {
        release(lease, clean, guests, keep, null);
    }

    /**
     * {@link #release(Lease, boolean, Set, Set)}, given the tree the case's last check read from {@code /} and
     * found as the model has it (null when there is none): see {@link Sut#reset(Set, Set, TreeImage)}.
     */
    void release(Lease lease, boolean clean, Set<Integer> guests, Set<Integer> keep, TreeImage seen) {
        Sut sut = lease.sut();
        if (reuse && clean && idle == null && leasedUses + 1 < MAX_USES && sut.resettable()) {
            resets++;
            if (sut.reset(guests, keep, seen)) {
                idle = sut;
                idleUses = leasedUses + 1;
                return;
            }
            failedResets++;
        }
        close(sut);
    }

    /** Resets tried, and how many of them failed (the target was closed instead). */
    long resets() {
        return resets;
    }

    long failedResets() {
        return failedResets;
    }

    private void close(Sut sut) {
        if (closer != null) {
            closer.closeInBackground(sut);
        } else {
            BoundedClose.close(sut);
        }
    }

    /**
     * A start that fails for an environmental reason (a busy binary: ETXTBSY when another thread
     * forks while QEMU's server is being written out; a slow disk) is retried up to
     * four times with a growing pause; a target that cannot start five times in a row fails the run.
     */
    static Sut openWithRetry(TargetFactory factory) {
        for (int attempt = 1; ; attempt++) {
            try {
                return factory.open();
            } catch (SutException e) {
                if (e.kind() != SutException.Kind.ENVIRONMENT || attempt >= 5) {
                    throw e;
                }
                try {
                    Thread.sleep(100L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    /** Closes the idle target, if any. */
    @Override
    public void close() {
        if (idle != null) {
            close(idle);
            idle = null;
        }
    }
}
