package io.xscheck.sut.fakexen;

/**
 * Counts the daemon's notifications for one domain. A waiter reads {@link #count()} before it
 * looks at the ring, then waits for the count to move, so a notification that lands between the
 * look and the wait is never lost. Notifications are hints: waiters always re-read the indexes.
 */
final class Doorbell {

    private long rings;

    synchronized long count() {
        return rings;
    }

    synchronized void ring() {
        rings++;
        notifyAll();
    }

    /** Waits until the count differs from {@code seen} or {@code millis} pass. */
    synchronized void awaitChange(long seen, long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (rings == seen) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                return;
            }
            wait(left);
        }
    }
}
