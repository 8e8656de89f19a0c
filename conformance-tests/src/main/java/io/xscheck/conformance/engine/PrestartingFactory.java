package io.xscheck.conformance.engine;

import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Starts the next target while the current test case runs: about half of a short case's time is
 * the daemon's start-up, which then overlaps with the previous case. One spare at a time, per job;
 * {@link #close} stops the spare that was never used.
 */
final class PrestartingFactory implements TargetFactory, AutoCloseable {
    private static final long START_BOUND_SECONDS = 30;

    private final TargetFactory factory;
    private CompletableFuture<Sut> spare;

    PrestartingFactory(TargetFactory factory) {
        this.factory = factory;
    }

    @Override
    public synchronized Sut open() {
        CompletableFuture<Sut> mine = spare;
        spare = startInBackground();
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
        if (spare != null) {
            try {
                BoundedClose.close(spare.get(START_BOUND_SECONDS, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                spare.thenAccept(BoundedClose::close);
            }
            spare = null;
        }
    }
}
