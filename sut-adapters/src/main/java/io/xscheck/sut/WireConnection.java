package io.xscheck.sut;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsConnection;
import io.xscheck.protocol.XsConnectionException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

/**
 * A {@link SutConnection} over an {@link XsConnection} (socket or ring). Failures of the
 * connection are turned into {@link SutException}s by the target, which knows whether its process
 * died, hangs or broke the protocol, and what its log says.
 */
public final class WireConnection implements SutConnection {

    private final int domid;
    private final XsConnection xs;
    private final Duration timeout;
    private final Function<XsConnectionException, SutException> diagnose;
    private final Runnable onClose;

    /**
     * @param timeout the bound of {@link #call(int, Request)}
     * @param diagnose explains a failed call in terms of the target
     * @param onClose run once after the connection is closed
     */
    public WireConnection(int domid, XsConnection xs, Duration timeout,
                          Function<XsConnectionException, SutException> diagnose, Runnable onClose) {
        this.domid = domid;
        this.xs = xs;
        this.timeout = timeout;
        this.diagnose = diagnose;
        this.onClose = onClose;
    }

    @Override
    public int domid() {
        return domid;
    }

    @Override
    public CompletableFuture<Reply> send(int txId, Request request) {
        return explained(xs.send(txId, request));
    }

    /** One write for them all (see {@link XsConnection#sendAll}). */
    @Override
    public List<CompletableFuture<Reply>> sendAll(List<Request> requests) {
        return xs.sendAll(requests).stream().map(this::explained).toList();
    }

    private CompletableFuture<Reply> explained(CompletableFuture<Reply> sent) {
        CompletableFuture<Reply> result = new CompletableFuture<>();
        sent.whenComplete((reply, failure) -> {
            if (failure == null) {
                result.complete(reply);
            } else {
                result.completeExceptionally(explain(failure));
            }
        });
        return result;
    }

    @Override
    public Reply call(int txId, Request request, Duration limit) {
        try {
            return xs.call(txId, request, limit);
        } catch (XsConnectionException e) {
            throw diagnose.apply(e);
        }
    }

    @Override
    public Reply call(int txId, Request request) {
        return call(txId, request, timeout);
    }

    @Override
    public void writeBytes(byte[] bytes) {
        try {
            xs.writeBytes(bytes);
        } catch (XsConnectionException e) {
            throw diagnose.apply(e);
        }
    }

    @Override
    public List<WatchEvent> drainEvents() {
        return xs.drainEvents();
    }

    /** The underlying client, for tests that need raw frames. */
    public XsConnection client() {
        return xs;
    }

    @Override
    public void close() {
        try {
            xs.close();
        } finally {
            onClose.run();
        }
    }

    private Throwable explain(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        return cause instanceof XsConnectionException x ? diagnose.apply(x) : cause;
    }

    @Override
    public String toString() {
        return "dom" + domid + " over " + xs.label();
    }
}
