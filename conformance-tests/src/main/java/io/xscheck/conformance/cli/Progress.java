package io.xscheck.conformance.cli;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/** The live progress line (commands, commands/s, divergences), only when stdout is a terminal. */
final class Progress {
    private final Thread thread;
    private final PrintStream out;
    private volatile boolean running = true;

    private Progress(PrintStream out, AtomicLong commands, LongSupplier divergences, boolean active) {
        this.out = out;
        long start = System.nanoTime();
        this.thread = active ? new Thread(() -> {
            while (running) {
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
                double s = (System.nanoTime() - start) / 1e9;
                long n = commands.get();
                out.printf("\r%6.0fs  %,10d commands  %,8.0f cmd/s  %d divergences ", s, n, n / Math.max(s, 0.001),
                        divergences.getAsLong());
                out.flush();
            }
        }, "xscheck-progress") : null;
        if (thread != null) {
            thread.setDaemon(true);
            thread.start();
        }
    }

    static Progress start(PrintStream out, AtomicLong commands, LongSupplier divergences) {
        return new Progress(out, commands, divergences, System.console() != null);
    }

    void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            out.println();
        }
    }
}
