package io.xscheck.conformance.engine;

import io.xscheck.sut.Sut;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Closes a target without letting a stuck adapter hang the harness: the close runs on a daemon
 * thread and is waited for a bounded time; a close that does not finish is counted and left to the
 * adapter's own JVM-exit cleanup.
 */
public final class BoundedClose {
    private static final long WAIT_SECONDS = 10;
    private static final AtomicLong STUCK = new AtomicLong();

    private BoundedClose() {
    }

    public static void close(Sut sut) {
        Thread t = new Thread(sut::close, "xscheck-close-" + sut.name());
        t.setDaemon(true);
        t.start();
        try {
            t.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (t.isAlive()) {
            STUCK.incrementAndGet();
            System.err.println("xscheck: closing " + sut.name() + " did not finish in " + WAIT_SECONDS
                    + " s; left to its exit-time cleanup");
        }
    }

    /** How many closes did not finish in time (a target adapter bug worth reporting). */
    public static long stuck() {
        return STUCK.get();
    }
}
