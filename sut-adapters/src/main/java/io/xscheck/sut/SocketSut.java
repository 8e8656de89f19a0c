package io.xscheck.sut;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsConnection;
import io.xscheck.protocol.XsConnectionException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An xenstore daemon we did not start, reached by its Unix socket ({@code socket:PATH}). It may
 * be a live host's, so every connection goes through a {@link SandboxGuard}: the engine writes
 * only below {@link #sandboxRoot()}, which is removed again on {@link #close()}, and never sends
 * {@code RM /}, SET_PERMS on {@code /}, or domain and control requests. Every socket client is
 * dom0, so there are no guests.
 */
public final class SocketSut implements Sut {

    private static final String UNKNOWN_VERSION = "unknown (external daemon)";

    private final Path socket;
    private final SutOptions options;
    private final SandboxGuard guard;
    private final XsConnection control;
    private final String dialect;
    private final AtomicBoolean closed = new AtomicBoolean();

    private SocketSut(Path socket, SutOptions options, XsConnection control, String dialect) {
        this.socket = socket;
        this.options = options;
        this.guard = new SandboxGuard("/xscheck-sandbox-" + ProcessHandle.current().pid());
        this.control = control;
        this.dialect = dialect;
    }

    /** Connects to the daemon at {@code socket} and checks that it answers. */
    public static SocketSut open(Path socket, SutOptions options) {
        String name = Suts.SOCKET_PREFIX + socket;
        if (!Files.exists(socket)) {
            throw new SutException(SutException.Kind.ENVIRONMENT, name, "no such socket", "");
        }
        XsConnection c;
        try {
            c = XsConnection.openUnix(socket);
        } catch (IOException e) {
            throw new SutException(SutException.Kind.ENVIRONMENT, name, e.getMessage(), "", e);
        }
        try {
            return new SocketSut(socket, options, c, guessDialect(c, options.replyTimeout()));
        } catch (XsConnectionException e) {
            c.close();
            SutException.Kind kind = e.reason() == XsConnectionException.Reason.TIMEOUT
                    ? SutException.Kind.HUNG : SutException.Kind.PROTOCOL;
            throw new SutException(kind, name, "does not answer like xenstore: " + e.getMessage(), "", e);
        }
    }

    /**
     * Which dialect to compare with, from one read-only probe: oxenstored stores its own binary
     * path in /tool/xenstored, C xenstored an empty value (probes of both daemons, 4.17).
     * Anything else is compared with the spec dialect.
     */
    private static String guessDialect(XsConnection c, Duration timeout) {
        Reply r = c.call(0, new Request.Read("/tool/xenstored"), timeout);
        if (r instanceof Reply.Value v) {
            return v.value().length() == 0 ? "cxenstored-4.17" : "oxenstored-4.17";
        }
        return "spec";
    }

    @Override
    public String name() {
        return Suts.SOCKET_PREFIX + socket;
    }

    @Override
    public String version() {
        return UNKNOWN_VERSION;
    }

    @Override
    public String dialect() {
        return dialect;
    }

    @Override
    public boolean supportsGuests() {
        return false;
    }

    /** {@code /xscheck-sandbox-<jvm pid>}: the only subtree the engine may change. */
    @Override
    public String sandboxRoot() {
        return guard.root();
    }

    @Override
    public SutConnection openPrivileged() {
        checkOpen();
        try {
            XsConnection xs = XsConnection.openUnix(socket);
            return new Guarded(new WireConnection(0, xs, options.replyTimeout(), this::diagnose, () -> { }), guard);
        } catch (IOException e) {
            throw new SutException(SutException.Kind.ENVIRONMENT, name(), e.getMessage(), "", e);
        }
    }

    @Override
    public SutConnection openGuest(int domid) {
        throw new UnsupportedOperationException(name() + ": every socket client is dom0; no guests");
    }

    @Override
    public void killDomain(int domid) {
        throw new UnsupportedOperationException(name() + ": domains of an external daemon are never touched");
    }

    /**
     * Alive, hung, or gone; a daemon we did not start has no exit status we could read, so a lost
     * connection is reported as {@code exited(-1)}.
     */
    @Override
    public Health health() {
        try {
            control.call(0, new Request.GetDomainPath(0), options.replyTimeout());
            return Health.alive();
        } catch (XsConnectionException e) {
            return e.reason() == XsConnectionException.Reason.TIMEOUT
                    ? new Health.Hung(options.replyTimeout())
                    : new Health.Exited(-1);
        }
    }

    /** We hold no log of a daemon we did not start. */
    @Override
    public String logTail(int lines) {
        return "";
    }

    /** Removes the sandbox subtree (if the engine made it) and disconnects. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (control.isOpen()) {
                control.call(0, new Request.Rm(guard.root()), options.replyTimeout());
            }
        } catch (XsConnectionException e) {
            // the daemon is gone or hung; nothing more to clean there
        } finally {
            control.close();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(name() + " is closed");
        }
    }

    private SutException diagnose(XsConnectionException e) {
        SutException.Kind kind = switch (e.reason()) {
            case TIMEOUT -> SutException.Kind.HUNG;
            case PEER_CLOSED, IO_ERROR -> SutException.Kind.DIED;
            case INTERRUPTED -> SutException.Kind.ENVIRONMENT;
            default -> SutException.Kind.PROTOCOL;
        };
        return new SutException(kind, name(), e.getMessage(), "", e);
    }

    /** A connection whose requests pass the sandbox guard first. */
    private static final class Guarded implements SutConnection {
        private final SutConnection inner;
        private final SandboxGuard guard;

        Guarded(SutConnection inner, SandboxGuard guard) {
            this.inner = inner;
            this.guard = guard;
        }

        @Override
        public int domid() {
            return inner.domid();
        }

        @Override
        public CompletableFuture<Reply> send(int txId, Request request) {
            guard.check(request);
            return inner.send(txId, request);
        }

        @Override
        public Reply call(int txId, Request request, Duration timeout) {
            guard.check(request);
            return inner.call(txId, request, timeout);
        }

        @Override
        public Reply call(int txId, Request request) {
            guard.check(request);
            return inner.call(txId, request);
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
}
