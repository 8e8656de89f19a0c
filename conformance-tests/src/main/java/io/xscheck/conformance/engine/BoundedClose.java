package io.xscheck.conformance.engine;

import io.xscheck.sut.Sut;

import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes targets without letting a slow or stuck adapter hold up the harness. {@link #close} waits a
 * bounded time; {@link #closeInBackground} lets the next test case start while the previous
 * daemon stops (oxenstored takes its full stop timeout when guests were connected), with at most
 * {@code MAX_PENDING} closes in flight so that stopped daemons cannot pile up. {@link #drain} waits
 * for those in flight. A close that never finishes is counted and left to the adapter's own
 * JVM-exit cleanup.
 */
public final class BoundedClose {
    private static final long WAIT_SECONDS = 10;
    private static final int MAX_PENDING = 16;
    private final Semaphore pending = new Semaphore(MAX_PENDING);
    private final AtomicLong stuck = new AtomicLong();

    /** Closes now, waiting a bounded time. */
    public static void close(Sut sut) {
        closeCounting(sut, null);
    }

    private static void closeCounting(Sut sut, AtomicLong stuckCounter) {
        Thread t = new Thread(sut::close, "xscheck-close-" + sut.name());
        t.setDaemon(true);
        t.start();
        if (!join(t, sut) && stuckCounter != null) {
            stuckCounter.incrementAndGet();
        }
    }

    public void closeInBackground(Sut sut) {
        try {
            if (!pending.tryAcquire(WAIT_SECONDS, TimeUnit.SECONDS)) {
                closeCounting(sut, stuck);
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeCounting(sut, stuck);
            return;
        }
        Thread t = new Thread(() -> {
            try {
                closeCounting(sut, stuck);
            } finally {
                pending.release();
            }
        }, "xscheck-close-wait-" + sut.name());
        t.setDaemon(true);
        t.start();
    }

    /** Waits until no background close is in flight (bounded). */
    public void drain() {
        try {
            if (pending.tryAcquire(MAX_PENDING, WAIT_SECONDS + 1, TimeUnit.SECONDS)) {
                pending.release(MAX_PENDING);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when the close finished in time. */
    private static boolean join(Thread t, Sut sut) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            System.err.println("xscheck: closing " + sut.name() + " did not finish in " + WAIT_SECONDS
                    + " s; left to its exit-time cleanup");
            return false;
        }
        return true;
    }

    /** How many background closes did not finish in time (a target adapter bug worth reporting). */
    public long stuck() {
        return stuck.get();
    }
}
