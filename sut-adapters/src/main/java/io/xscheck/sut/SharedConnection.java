package io.xscheck.sut;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A connection its target keeps open for its own life, lent as is: its close does nothing (the
 * target closes the real one when it closes). Raw bytes are not passed on: what they left behind
 * no reset could tell.
 */
public final class SharedConnection implements SutConnection {
    private final SutConnection real;

    public SharedConnection(SutConnection real) {
        this.real = real;
    }

    @Override
    public int domid() {
        return real.domid();
    }

    @Override
    public CompletableFuture<Reply> send(int txId, Request request) {
        return real.send(txId, request);
    }

    @Override
    public List<CompletableFuture<Reply>> sendAll(List<Request> requests) {
        return real.sendAll(requests);
    }

    @Override
    public Reply call(int txId, Request request, Duration timeout) {
        return real.call(txId, request, timeout);
    }

    @Override
    public List<WatchEvent> drainEvents() {
        return real.drainEvents();
    }

    @Override
    public void close() {
        // the target's to close
    }

    @Override
    public String toString() {
        return real.toString();
    }
}
