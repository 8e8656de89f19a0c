package io.xscheck.conformance;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A test connection that is another one ({@code inner}) in every respect a test does not override: the tests'
 * faulty and instrumented connections extend it and say only what differs (as {@link DelegatingSut} for targets).
 */
public class DelegatingConnection implements SutConnection {
    protected final SutConnection inner;

    public DelegatingConnection(SutConnection inner) {
        this.inner = inner;
    }

    @Override
    public int domid() {
        return inner.domid();
    }

    @Override
    public CompletableFuture<Reply> send(int txId, Request request) {
        return inner.send(txId, request);
    }

    @Override
    public Reply call(int txId, Request request, Duration timeout) {
        return inner.call(txId, request, timeout);
    }

    @Override
    public List<WatchEvent> drainEvents() {
        return inner.drainEvents();
    }

    @Override
    public void close() {
        inner.close();
    }
}
