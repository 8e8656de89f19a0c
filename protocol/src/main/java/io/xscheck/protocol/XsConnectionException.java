package io.xscheck.protocol;

/**
 * An {@link XsConnection} can no longer deliver a reply: the peer closed, sent bytes that are not
 * xs_wire, the channel failed, the client closed it, or a call timed out. The message says which,
 * with the request ids involved.
 */
public final class XsConnectionException extends RuntimeException {

    /** What went wrong, for callers that map it (a dead daemon, a hung one, a protocol bug). */
    public enum Reason {
        /** The peer closed its end (end of stream). */
        PEER_CLOSED,
        /** The peer sent bytes that are not valid xs_wire; the stream cannot be trusted any more. */
        MALFORMED,
        /** One reply could not be decoded for its request; the connection itself is still usable. */
        BAD_REPLY,
        /** Reading or writing the channel failed. */
        IO_ERROR,
        /** {@link XsConnection#close()} was called. */
        CLOSED,
        /** No reply within the caller's timeout; the connection is still usable. */
        TIMEOUT,
        /** The calling thread was interrupted while waiting. */
        INTERRUPTED
    }

    private final Reason reason;

    public XsConnectionException(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public XsConnectionException(Reason reason, String message) {
        this(reason, message, null);
    }

    public Reason reason() {
        return reason;
    }

    /** True when the whole connection is dead, not just one call. */
    public boolean connectionLost() {
        return reason != Reason.BAD_REPLY && reason != Reason.TIMEOUT && reason != Reason.INTERRUPTED;
    }
}
