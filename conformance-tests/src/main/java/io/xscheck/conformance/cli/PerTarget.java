package io.xscheck.conformance.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs one job per target at once (a run's or a fuzz run's targets are independent daemons) and
 * returns the results in the targets' order. A job that throws leaves a null in its place.
 */
final class PerTarget {
    private PerTarget() {
    }

    static <T, R> List<R> inParallel(List<T> targets, Function<T, String> name, Function<T, R> job) {
        List<R> results = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < targets.size(); i++) {
            results.add(null);
            final int at = i;
            T t = targets.get(i);
            Thread th = new Thread(() -> {
                R r = job.apply(t);
                synchronized (results) {
                    results.set(at, r);
                }
            }, "xscheck-" + name.apply(t));
            th.start();
            threads.add(th);
        }
        for (Thread th : threads) {
            try {
                th.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (results) {
            return new ArrayList<>(results);
        }
    }
}
