package io.xscheck.conformance.engine;

import io.xscheck.protocol.Reply;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for a target's reply with a bound, turning every failure into a {@link SutException}. */
final class Awaits {
    /** Beyond the connection's own timeout, so the connection's clearer error normally wins. */
    static final long BOUND_SECONDS = 10;

    private Awaits() {
    }

    static Reply reply(CompletableFuture<Reply> f, Sut sut) {
        try {
            return f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SutException(SutException.Kind.HUNG, sut.name(), "interrupted while waiting", "", e);
        } catch (TimeoutException e) {
            throw new SutException(SutException.Kind.HUNG, sut.name(), "no reply in " + BOUND_SECONDS + " s",
                    sut.logTail(20), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SutException se) {
                throw se;
            }
            throw new SutException(SutException.Kind.PROTOCOL, sut.name(), String.valueOf(cause.getMessage()),
                    sut.logTail(20), cause);
        }
    }
}
