package io.xscheck.conformance.engine;

import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the next targets while the current test case runs: about half of a short case's time is
 * the daemon's start-up, which then overlaps with the previous case. Two spares per job: a case that
 * diverges on a reused daemon takes one for its confirmation and the next case another at once (on
 * C, where about one case in twenty does, a single spare had the next case wait for a start, some
 * 55 ms at a load of 13 on two cores). {@link #close} stops the spares that were never used.
 */
final class PrestartingFactory implements TargetFactory, AutoCloseable {
    private static final long START_BOUND_SECONDS = 30;
    static final int SPARES = 2;

    private final TargetFactory factory;
    private final java.util.ArrayDeque<CompletableFuture<Sut>> spares = new java.util.ArrayDeque<>();

    PrestartingFactory(TargetFactory factory) {
        this.factory = factory;
    }

    @Override
    public synchronized Sut open() {
        CompletableFuture<Sut> mine = spares.poll();
        while (spares.size() < SPARES) {
            spares.add(startInBackground());
        }
        if (mine == null) {
            return factory.open();
        }
        try {
            return mine.get(START_BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SutException(SutException.Kind.ENVIRONMENT, "target", "interrupted while starting", "", e);
        } catch (TimeoutException e) {
            mine.thenAccept(BoundedClose::close);
            throw new SutException(SutException.Kind.HUNG, "target", "did not start in " + START_BOUND_SECONDS + " s", "", e);
        } catch (ExecutionException e) {
            // A start that failed in the background (QEMU's binary can be "busy" while another
            // thread forks) is tried once more in the foreground before the error counts.
            if (e.getCause() instanceof SutException se && se.kind() != SutException.Kind.ENVIRONMENT) {
                throw se;
            }
            return factory.open();
        }
    }

    private CompletableFuture<Sut> startInBackground() {
        CompletableFuture<Sut> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(factory.open());
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        }, "xscheck-prestart");
        t.setDaemon(true);
        t.start();
        return f;
    }

    @Override
    public synchronized void close() {
        for (CompletableFuture<Sut> spare : spares) {
            try {
                BoundedClose.close(spare.get(START_BOUND_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                spare.thenAccept(BoundedClose::close);
            }
        }
        spares.clear();
    }
}
