package io.xscheck.sut.qemu;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsConnection;
import io.xscheck.protocol.XsConnectionException;
import io.xscheck.sut.SutConnection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** One socket connection to the QEMU server, speaking as dom0 or as the guest it declared. */
final class QemuConnection implements SutConnection {

    private final QemuSut sut;
    private final XsConnection xs;
    private final int domid;

    QemuConnection(QemuSut sut, XsConnection xs, int domid) {
        this.sut = sut;
        this.xs = xs;
        this.domid = domid;
    }

    @Override
    public int domid() {
        return domid;
    }

    @Override
    public CompletableFuture<Reply> send(int txId, Request request) {
        return xs.send(txId, request).handle((reply, failure) -> {
            if (failure != null) {
                Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                        ? failure.getCause() : failure;
                throw sut.failure(request, cause);
            }
            return reply;
        });
    }

    @Override
    public Reply call(int txId, Request request, Duration timeout) {
        try {
            return xs.call(txId, request, timeout);
        } catch (XsConnectionException e) {
            throw sut.failure(request, e);
        }
    }

    @Override
    public List<WatchEvent> drainEvents() {
        return xs.drainEvents();
    }

    @Override
    public void close() {
        xs.close();
        sut.forget(this);
    }
}
