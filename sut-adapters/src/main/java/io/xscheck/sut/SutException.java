package io.xscheck.sut;

/**
 * A target could not be used: it died, stopped answering, broke the protocol, or could not be
 * started on this machine. Carries the tail of the target's log so a report can show why.
 */
public final class SutException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Kind {
        /** The target process exited or was killed by a signal. */
        DIED,
        /** The target is alive but did not answer within the bounded time. */
        HUNG,
        /** The target sent something that is not xs_wire, or closed the connection mid-frame. */
        PROTOCOL,
        /** The target cannot run here: binary missing, bad spec, temp dir or shim problem. */
        ENVIRONMENT
    }

    private final Kind kind;
    private final String target;
    private final String logTail;

    public SutException(Kind kind, String target, String message, String logTail, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.target = target;
        this.logTail = logTail == null ? "" : logTail;
    }

    public SutException(Kind kind, String target, String message, String logTail) {
        this(kind, target, message, logTail, null);
    }

    public Kind kind() {
        return kind;
    }

    /** The target's {@link Sut#name()}. */
    public String target() {
        return target;
    }

    /** The last lines of the target's output and logs; empty when there is none. */
    public String logTail() {
        return logTail;
    }

    /** The message without the target, kind and log tail that {@link #getMessage} adds. */
    public String detail() {
        return super.getMessage();
    }

    @Override
    public String getMessage() {
        String head = target + ": " + kind + ": " + super.getMessage();
        return logTail.isEmpty() ? head : head + "\n--- log tail ---\n" + logTail;
    }
}
