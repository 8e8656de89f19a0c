package io.xscheck.sut;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One xs_wire connection to a target, speaking as dom0 (a privileged socket) or as a guest domain
 * (its ring). Requests may be pipelined; replies are matched to requests, and watch events that
 * arrive before a reply are queued before that reply completes.
 */
public interface SutConnection extends AutoCloseable {

    /** The bound on {@link #call(int, Request)}. */
    Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    /** 0 for a privileged connection, the guest's domid otherwise. */
    int domid();

    /**
     * Sends one request without waiting. The future fails with a {@link SutException} when the
     * target dies, hangs or breaks the protocol.
     */
    CompletableFuture<Reply> send(int txId, Request request);

    /**
     * {@link #send} for each request, in order, outside any transaction; a connection may write
     * them all at once (one write, so the target reads them in one go).
     */
    default List<CompletableFuture<Reply>> sendAll(List<Request> requests) {
        List<CompletableFuture<Reply>> out = new java.util.ArrayList<>(requests.size());
        for (Request r : requests) {
            out.add(send(0, r));
        }
        return out;
    }

    /** Sends and waits at most {@code timeout}; throws {@link SutException} (HUNG, DIED, PROTOCOL). */
    Reply call(int txId, Request request, Duration timeout);

    default Reply call(int txId, Request request) {
        return call(txId, request, DEFAULT_TIMEOUT);
    }

    /**
     * Writes {@code bytes} to the target as they are, not as a request: frames whose length lies,
     * parts of frames, many frames at once (robustness tests only). Replies they provoke are
     * dropped; the connection's own requests are still answered as long as the target keeps
     * the framing.
     *
     * @throws SutException when the connection is gone
     * @throws UnsupportedOperationException on a connection that is not a byte stream
     */
    default void writeBytes(byte[] bytes) {
        throw new UnsupportedOperationException(this + " does not carry raw bytes");
    }

    /** Every watch event received so far and not yet drained, in arrival order. */
    List<WatchEvent> drainEvents();

    /**
     * The id the daemon gives this connection's next TRANSACTION_START, as far as the adapter knows: 1 for a new
     * connection; a connection lent again after a reset goes on from the last id it was given
     * ({@link KeptConnections}).
     */
    default long nextTransactionId() {
        return 1;
    }

    /** Closes the connection; idempotent; never throws. */
    @Override
    void close();
}
