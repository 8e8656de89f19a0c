package io.xscheck.sut;

import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsConnection;
import io.xscheck.protocol.XsConnectionException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An xenstore daemon we did not start, reached by its Unix socket ({@code socket:PATH}). It may
 * be a live host's, so every connection goes through a {@link SandboxGuard}: the engine writes
 * only in the case roots it claimed below {@link #sandboxRoot()} (a subtree this object creates,
 * owned by dom0 with ACL {@code n0}, and removes on {@link #close()}, on a reset that finds
 * something left, and on Ctrl-C), and never sends {@code RM /}, SET_PERMS on {@code /}, domain or
 * control requests, or (unless {@link SutOptions#unsafeRequests()}) malformed frames. Every socket
 * client is dom0, so there are no guests.
 */
public final class SocketSut implements Sut {

    /** Sandboxes and case roots have fixed widths, so moving a trace between them keeps path lengths. */
    private static final String SANDBOX_FORMAT = "/xscheck-sandbox-%07d-%06d";
    private static final String CASE_FORMAT = "%s/c%06d";
    private static final int SANDBOX_TRIES = 20;
    private static final java.util.regex.Pattern STALE = java.util.regex.Pattern.compile("xscheck-sandbox-(\\d{7})-\\d{6}");

    private final Path socket;
    private final SutOptions options;
    private final SandboxGuard guard;
    private final XsConnection control;
    private final DaemonIdentity identity;
    private final AtomicInteger cases = new AtomicInteger();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread removeOnExit;

    private SocketSut(Path socket, SutOptions options, XsConnection control, String sandbox, DaemonIdentity identity) {
        this.socket = socket;
        this.options = options;
        this.guard = new SandboxGuard(sandbox, options.unsafeRequests());
        this.control = control;
        this.identity = identity;
        this.removeOnExit = new Thread(this::removeSandbox, "xscheck-sandbox-cleanup");
    }

    /** Connects to the daemon at {@code socket}, checks that it answers, and makes the sandbox. */
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
            DaemonIdentity identity = DaemonIdentity.of(socket, c, options.replyTimeout());
            sweepStale(c, options.replyTimeout());
            SocketSut sut = new SocketSut(socket, options, c, makeSandbox(name, c, options.replyTimeout()), identity);
            Runtime.getRuntime().addShutdownHook(sut.removeOnExit);
            return sut;
        } catch (XsConnectionException e) {
            c.close();
            SutException.Kind kind = e.reason() == XsConnectionException.Reason.TIMEOUT
                    ? SutException.Kind.HUNG : SutException.Kind.PROTOCOL;
            throw new SutException(kind, name, "does not answer like xenstore: " + e.getMessage(), "", e);
        } catch (RuntimeException e) {
            c.close();
            throw e;
        }
    }

    /**
     * Removes the sandboxes of runs that were killed outright (no Ctrl-C, no shutdown hook): a
     * sandbox named for a process id that no longer runs here. A live process with that id keeps
     * its sandbox, whoever it is: removing too little is the safe side on a live host.
     */
    static int sweepStale(XsConnection c, Duration timeout) {
        Reply top = c.call(0, new Request.Directory("/"), timeout);
        if (!(top instanceof Reply.Names names)) {
            return 0;
        }
        int swept = 0;
        for (String n : names.names()) {
            java.util.regex.Matcher m = STALE.matcher(n);
            if (m.matches() && ProcessHandle.of(Long.parseLong(m.group(1))).isEmpty()) {
                c.call(0, new Request.Rm("/" + n), timeout);
                swept++;
            }
        }
        return swept;
    }

    /**
     * A sandbox path nobody uses yet, created as dom0 with ACL {@code n0} (nobody else may read it).
     * A path that already exists may be another run's, so it is never reused.
     */
    private static String makeSandbox(String name, XsConnection c, Duration timeout) {
        long pid = ProcessHandle.current().pid() % 10_000_000L;
        for (int i = 0; i < SANDBOX_TRIES; i++) {
            String path = String.format(SANDBOX_FORMAT, pid, ThreadLocalRandom.current().nextInt(1_000_000));
            if (!(c.call(0, new Request.Read(path), timeout) instanceof Reply.Error e && e.name().equals("ENOENT"))) {
                continue;
            }
            Reply made = c.call(0, new Request.Mkdir(path), timeout);
            Reply acl = made instanceof Reply.Ok ? c.call(0, new Request.SetPerms(path, List.of(Perm.none(0))), timeout)
                    : made;
            if (!(acl instanceof Reply.Ok)) {
                c.call(0, new Request.Rm(path), timeout);
                throw new SutException(SutException.Kind.ENVIRONMENT, name, "cannot create the sandbox " + path
                        + ": " + acl, "");
            }
            return path;
        }
        throw new SutException(SutException.Kind.ENVIRONMENT, name, "no free sandbox path after " + SANDBOX_TRIES
                + " tries", "");
    }

    @Override
    public String name() {
        return Suts.SOCKET_PREFIX + socket;
    }

    @Override
    public String version() {
        return identity.version();
    }

    /** The dialect {@link DaemonIdentity} guessed; the engine's {@code --dialect auto} checks it by probes. */
    @Override
    public String dialect() {
        return identity.dialect();
    }

    /** Who serves the socket and how that was found out. */
    public DaemonIdentity identity() {
        return identity;
    }

    @Override
    public boolean supportsGuests() {
        return false;
    }

    /** Nothing but the sandbox: no guests, domains, control or whole-tree ops; malformed frames only if asked. */
    @Override
    public Set<Capability> capabilities() {
        return options.unsafeRequests() ? EnumSet.of(Capability.MALFORMED_REQUESTS) : EnumSet.noneOf(Capability.class);
    }

    /** {@code /xscheck-sandbox-<pid>-<random>}: the subtree the case roots live in. */
    @Override
    public String sandboxRoot() {
        return guard.root();
    }

    /** {@code <sandbox>/c000017}: absent until the caller creates it; writable from now on. */
    @Override
    public String claimCaseRoot() {
        checkOpen();
        String root = String.format(CASE_FORMAT, guard.root(), cases.incrementAndGet());
        guard.allow(root);
        return root;
    }

    @Override
    public void releaseCaseRoot(String root) {
        guard.revoke(root);
        if (closed.get()) {
            return;
        }
        try {
            control.call(0, new Request.Rm(root), options.replyTimeout());
        } catch (XsConnectionException e) {
            // the daemon is gone or hung: the next request reports it
        }
    }

    @Override
    public SutConnection openPrivileged() {
        checkOpen();
        try {
            XsConnection xs = XsConnection.openUnix(socket);
            return new Guarded(new WireConnection(0, xs, options.replyTimeout(), this::diagnose, () -> { }), guard);
        } catch (IOException e) {
            throw new SutException(SutException.Kind.DIED, name(), "cannot connect any more: " + e.getMessage(), "", e);
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

    @Override
    public boolean resettable() {
        return true;
    }

    /**
     * Ready for the next case when the sandbox is empty again (every case root released); the
     * daemon itself is never reset. Watches and transactions went with the caller's connections.
     */
    @Override
    public boolean reset(Set<Integer> guests) {
        if (closed.get()) {
            return false;
        }
        try {
            Reply r = control.call(0, new Request.Directory(guard.root()), options.replyTimeout());
            return r instanceof Reply.Names n && n.names().isEmpty();
        } catch (XsConnectionException e) {
            return false;
        }
    }

    /** Removes the sandbox subtree and disconnects. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            removeSandbox();
        } finally {
            control.close();
            try {
                Runtime.getRuntime().removeShutdownHook(removeOnExit);
            } catch (IllegalStateException e) {
                // already shutting down: the hook runs (or ran) removeSandbox itself
            }
        }
    }

    private void removeSandbox() {
        try {
            if (control.isOpen()) {
                control.call(0, new Request.Rm(guard.root()), options.replyTimeout());
            }
        } catch (XsConnectionException e) {
            // the daemon is gone or hung; nothing more to clean there
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
