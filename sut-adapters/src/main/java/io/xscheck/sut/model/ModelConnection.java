package io.xscheck.sut.model;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/** An in-process connection to a {@link ModelSut}: each request is a model step, answered at once. */
final class ModelConnection implements SutConnection {

    private final ModelSut sut;
    private final String name;
    private final int domid;
    private final List<WatchEvent> events = new ArrayList<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    ModelConnection(ModelSut sut, String name, int domid) {
        this.sut = sut;
        this.name = name;
        this.domid = domid;
    }

    String name() {
        return name;
    }

    @Override
    public int domid() {
        return domid;
    }

    @Override
    public CompletableFuture<Reply> send(int txId, Request request) {
        try {
            return CompletableFuture.completedFuture(call(txId, request));
        } catch (SutException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Reply call(int txId, Request request, Duration timeout) {
        if (closed.get()) {
            throw new SutException(SutException.Kind.ENVIRONMENT, sut.name(), "connection " + name + " is closed", "");
        }
        // The model names transactions by unsigned 32-bit wire ids, like a daemon.
        return sut.step(this, Integer.toUnsignedLong(txId), request);
    }

    /** Called by the target, under its model's lock, in step order. */
    synchronized void deliver(WatchEvent event) {
        if (!closed.get()) {
            events.add(event);
        }
    }

    @Override
    public synchronized List<WatchEvent> drainEvents() {
        List<WatchEvent> out = List.copyOf(events);
        events.clear();
        return out;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            sut.disconnect(this);
        }
    }
}
