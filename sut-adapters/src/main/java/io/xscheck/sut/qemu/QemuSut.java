package io.xscheck.sut.qemu;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsConnection;
import io.xscheck.protocol.XsConnectionException;
import io.xscheck.sut.Capability;
import io.xscheck.sut.Health;
import io.xscheck.sut.KeptConnections;
import io.xscheck.sut.SharedConnection;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.TreeImage;
import io.xscheck.sut.TreeRestorer;
import io.xscheck.sut.WireConnection;
import io.xscheck.sut.process.PrivateDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * QEMU's xenstore as a target: starts {@code qemu-xs-server} (see {@link QemuBuild}) in a private
 * temp directory with one dom0 socket; guest connections are dom0 connections that declare their
 * domid once (the front end's {@code XS_CONTROL x-xscheck-domid}), after which QEMU's permission
 * checks and guest quotas apply to them.
 *
 * <p>QEMU's defects are not hidden: after {@code RM /} QEMU's root is NULL (requests below the
 * root answer ENOENT) and the next request on the root itself kills the server (SIGSEGV); calls then fail with {@link SutException.Kind#DIED}
 * and {@link #health()} says {@code signalled(11)}. The engine opens a fresh target for the next
 * sequence (start-up takes milliseconds).
 *
 * <p>{@link #reset} gives the server a new store, made as its first was (the front end's {@code
 * XS_CONTROL x-xscheck-reset}, see reset.c): QEMU keeps a connection's transactions across
 * RESET_WATCHES, and no request can give back a generation count or the next transaction id, so
 * its state is not undone request by request but replaced. The connections a case used stay
 * open for the next ({@link KeptConnections}), each speaking as the domid it declared.
 *
 * <p>Never outlives the JVM: {@link #close()} runs from a shutdown hook too, and the server exits by
 * itself when the pipe on its stdin closes (that is, when this JVM is gone, even by SIGKILL); the
 * {@link PrivateDir} of a JVM that died that way is swept by the next start.
 */
public final class QemuSut implements Sut {

    /** Sent to see whether the server answers; it does not touch the tree, so it cannot crash it. */
    private static final Request PING = new Request.GetDomainPath(0);
    private static final Request RESET = new Request.Control(List.of("x-xscheck-reset"));
    private static final Duration POLL = Duration.ofMillis(5);
    private static final Duration FIRST_POLL = Duration.ofNanos(200_000);
    private static final int MAX_SOCKET_PATH = 107;
    private static final Duration DEATH_GRACE = Duration.ofSeconds(1);

    private final QemuBuild build;
    private final SutOptions options;
    private final PrivateDir dir;
    private final Path socket;
    private final Path log;
    private final Process process;
    private final Thread shutdownHook;
    private final Set<Guest> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The connections test cases borrow and resets clear. */
    private final KeptConnections kept = new KeptConnections();
    /** The dom0 connection resets and tree checks use, open for the server's life; null until started. */
    private SutConnection housekeeping;
    /** The tree as the server started with it, which a reset's new store must read back as. */
    private TreeImage pristine;

    /** An open connection and the domain it speaks as. */
    private record Guest(int domid, WireConnection conn) {
    }

    private QemuSut(QemuBuild build, SutOptions options, PrivateDir dir, Process process) {
        this.build = build;
        this.options = options;
        this.dir = dir;
        this.socket = dir.resolve("dom0.sock");
        this.log = dir.resolve("server.log");
        this.process = process;
        this.shutdownHook = new Thread(this::close, "xscheck qemu shutdown " + process.pid());
    }

    /** Whether the build produced the server (see {@link QemuBuild#describe()} for why not). */
    public static boolean installed() {
        return QemuBuild.current().isInstalled();
    }

    /**
     * Starts a fresh server and waits until it answers.
     *
     * @throws SutException ENVIRONMENT when the target is not built or will not start
     */
    public static QemuSut start(SutOptions options) {
        QemuBuild build = QemuBuild.current();
        if (!build.isInstalled()) {
            throw new SutException(SutException.Kind.ENVIRONMENT, "qemu", build.describe(), "");
        }
        PrivateDir dir = null;
        try {
            Files.createDirectories(options.tempParent());
            dir = PrivateDir.create(options.tempParent(), "qemu");
            Path socket = dir.resolve("dom0.sock");
            if (socket.toString().length() > MAX_SOCKET_PATH) {
                throw new SutException(SutException.Kind.ENVIRONMENT, "qemu", "socket path " + socket
                        + " is longer than " + MAX_SOCKET_PATH + " bytes; use a shorter temp parent", "");
            }
            Path binary = build.extractBinary(dir.path());
            Process process = new ProcessBuilder(binary.toString(), "-w", "-s", socket.toString())
                    .directory(dir.path().toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(dir.resolve("server.log").toFile())
                    .start(); // stdin stays a pipe from us: the server's lifeline (-w)
            QemuSut sut = new QemuSut(build, options, dir, process);
            try {
                Runtime.getRuntime().addShutdownHook(sut.shutdownHook);
            } catch (IllegalStateException shuttingDown) {
                // started while the JVM shuts down: no hook would stop it (see DaemonProcess.start)
                sut.close();
                throw new SutException(SutException.Kind.ENVIRONMENT, "qemu", "not started: the JVM is shutting down", "");
            }
            sut.awaitReady();
            try {
                sut.pristine = TreeImage.read(sut.housekeeping(), "/", TreeRestorer.MAX_NODES);
            } catch (SutException e) {
                sut.close();
                throw e;
            }
            return sut;
        } catch (IOException | UncheckedIOException e) {
            closeQuietly(dir);
            throw new SutException(SutException.Kind.ENVIRONMENT, "qemu", "cannot start: " + e.getMessage(), "", e);
        } catch (SutException e) {
            closeQuietly(dir);
            throw e;
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + options.startTimeout().toNanos();
        // The server listens within a few milliseconds: poll at a growing pause, not a fixed 5 ms one.
        long pause = FIRST_POLL.toNanos();
        while (true) {
            if (!process.isAlive()) {
                String tail = logTail(20);
                close();
                throw new SutException(SutException.Kind.ENVIRONMENT, "qemu",
                        "the server exited during start-up: " + health(), tail);
            }
            if (Files.exists(socket) && answers(options.startTimeout())) {
                return;
            }
            if (System.nanoTime() > deadline) {
                String tail = logTail(20);
                close();
                throw new SutException(SutException.Kind.ENVIRONMENT, "qemu",
                        "the server did not answer within " + options.startTimeout().toMillis() + " ms", tail);
            }
            sleep(pause);
            pause = Math.min(pause * 2, POLL.toNanos());
        }
    }

    /** One fresh connection, one request that does not touch the tree. */
    private boolean answers(Duration timeout) {
        try (XsConnection xs = XsConnection.openUnix(socket)) {
            return xs.call(0, PING, timeout) instanceof Reply.Error;
        } catch (IOException | XsConnectionException e) {
            return false;
        }
    }

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public String version() {
        return build.describe();
    }

    @Override
    public String dialect() {
        return "qemu";
    }

    @Override
    public boolean supportsGuests() {
        return true;
    }

    /** Everything a target the harness owns takes, and migration (the front end's own request). */
    @Override
    public Set<Capability> capabilities() {
        return Capability.plus(Capability.all(), Capability.MIGRATE);
    }

    /**
     * The front end's {@code XS_CONTROL x-xscheck-migrate}: QEMU's xs_impl_serialize, a new store
     * from xs_impl_create, xs_impl_deserialize into it (see the front end's migrate.c for what it
     * hands the guest watches to, and when it refuses). The server is the same process after it.
     */
    @Override
    public Reply migrate(SutConnection via) {
        Reply r = via.call(0, new Request.Control(List.of("x-xscheck-migrate")));
        if (!process.isAlive()) {
            throw new SutException(SutException.Kind.DIED, name(), "the server " + health() + " after a migration",
                    logTail(20));
        }
        return r;
    }

    @Override
    public String sandboxRoot() {
        return "/";
    }

    @Override
    public SutConnection openPrivileged() {
        return connect(0);
    }

    /** Any domid 1..0x7fef; QEMU has no domain lifecycle, so nothing needs introducing. */
    @Override
    public SutConnection openGuest(int domid) {
        if (domid <= 0 || domid >= 0x7ff0) {
            throw new IllegalArgumentException("guest domid must be 1..32751, got " + domid);
        }
        kept.dropGuest(domid); // a connection kept idle for the next case yields to this one
        return connect(domid);
    }

    private SutConnection connect(int domid) {
        if (closed.get()) {
            throw new SutException(SutException.Kind.ENVIRONMENT, name(), "target is closed", "");
        }
        XsConnection xs;
        try {
            xs = XsConnection.openUnix(socket);
        } catch (IOException e) {
            throw new SutException(process.isAlive() ? SutException.Kind.ENVIRONMENT : SutException.Kind.DIED,
                    name(), e.getMessage() + " (" + health() + ")", logTail(20), e);
        }
        Guest[] self = new Guest[1];
        WireConnection conn = new WireConnection(domid, xs, options.replyTimeout(), this::failure,
                () -> open.remove(self[0]));
        self[0] = new Guest(domid, conn);
        open.add(self[0]);
        if (domid != 0) {
            Request declare = new Request.Control(List.of("x-xscheck-domid", Integer.toString(domid)));
            Reply reply = conn.call(0, declare, options.replyTimeout());
            if (!isOk(reply)) {
                conn.close();
                throw new SutException(SutException.Kind.PROTOCOL, name(),
                        "declaring the connection as domid " + domid + " was answered " + reply, logTail(20));
            }
        }
        return conn;
    }

    @Override
    public boolean resettable() {
        return true;
    }

    /** A new store, made as the first (see the class comment); QemuResetTest pins that nothing else stays. */
    @Override
    public boolean resetRenewsState() {
        return true;
    }

    @Override
    public boolean reset(Set<Integer> named) {
        return reset(named, Set.of());
    }

    /**
     * The store replaced by a new one (see the class comment), the kept connections cleared by
     * RESET_WATCHES, which drains the events a case left queued (the new store has no watch to
     * clear), and the tree read back: the verdict. The reset and the reads go out together on the
     * housekeeping connection. Every guest connection still open stays, whatever domain operation
     * the case named ({@code keep} is for targets with domains): QEMU knows no domain but by its
     * connections, answers INTRODUCE, RELEASE, RESUME and SET_TARGET with EACCES, and a kill
     * closes the guest's connections, which the clearing then drops. A guest connection kept is
     * what a new one declaring the same domid would be: no transaction, no watch, nothing queued.
     */
    @Override
    public boolean reset(Set<Integer> named, Set<Integer> keep) {
        if (closed.get() || !process.isAlive()) {
            return false;
        }
        try {
            KeptConnections.Clearing clearing = kept.startClearing(kept.idleGuests());
            SutConnection c = housekeeping();
            java.util.concurrent.CompletableFuture<Reply> reset = c.send(0, RESET);
            TreeImage now = pristine.readKnown(c);
            boolean renewed = isOk(TreeImage.await(reset, c));
            clearing.finish(options.replyTimeout());
            return renewed && now.equals(pristine) && process.isAlive();
        } catch (RuntimeException e) {
            return false;
        }
    }

    @Override
    public SutConnection openCasePrivileged() {
        return kept.lendPrivileged(this::openPrivileged);
    }

    @Override
    public SutConnection openCaseGuest(int domid) {
        return kept.lendGuest(domid, this::openGuest);
    }

    /** The housekeeping connection, lent to a case for its tree reads (its close does nothing). */
    @Override
    public SutConnection openInspector() {
        return new SharedConnection(housekeeping());
    }

    private synchronized SutConnection housekeeping() {
        if (housekeeping == null) {
            housekeeping = openPrivileged();
        }
        return housekeeping;
    }

    /** CONTROL replies are free text; ours is the usual "OK". */
    private static boolean isOk(Reply reply) {
        return reply instanceof Reply.Ok || reply instanceof Reply.Text text && text.text().equals("OK");
    }

    /**
     * QEMU's xenstore is never told that a domain died: it serves one guest for the life of the VM
     * (INTRODUCE and RELEASE are EACCES, there is no {@code @releaseDomain}). What a dead guest
     * amounts to is its ring going quiet, so this closes the guest's connections: their open
     * transactions are aborted, their watches stay registered but silent (see the front end's
     * conn.c), and the guest's nodes stay, as the model's qemu dialect says (nodes KEPT).
     */
    @Override
    public void killDomain(int domid) {
        if (domid <= 0) {
            throw new IllegalArgumentException("only a guest domain can die, got domid " + domid);
        }
        boolean closedOne = false;
        for (Guest g : new ArrayList<>(open)) {
            if (g.domid() == domid) {
                g.conn().close();
                closedOne = true;
            }
        }
        if (closedOne) {
            // The closes were shut down before this request was written, so the poll that reports it readable reports
            // them too, and the front end (main.c serve) handles every connection a poll reports before it sends the
            // round's replies: once this is answered, the next step (a migration counting guests' watches) finds them
            // gone. On the housekeeping connection, not a new one: a connection and its reader thread for each kill
            // cost about 1 ms, 4% of a 15 s bench.
            try {
                housekeeping().call(0, PING, options.replyTimeout());
            } catch (SutException e) {
                // a server that died or hung is reported by the next step, as before
            }
        }
    }

    @Override
    public Health health() {
        if (!process.isAlive()) {
            int code = waitForExit();
            // The JDK reports death by signal N as exit status 128 + N; the server never exits above 2.
            return code > 128 ? new Health.Signalled(code - 128) : new Health.Exited(code);
        }
        return answers(options.replyTimeout()) ? Health.alive() : new Health.Hung(options.replyTimeout());
    }

    private void awaitExit(Duration limit) {
        try {
            process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private int waitForExit() {
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** The exception for a failed call: DIED when the server is gone, with its health and log. */
    private SutException failure(XsConnectionException cause) {
        boolean lost = cause.reason() == XsConnectionException.Reason.PEER_CLOSED
                || cause.reason() == XsConnectionException.Reason.IO_ERROR;
        if (lost && process.isAlive()) {
            // A dying process closes its sockets a moment before it can be reaped: give it that moment.
            awaitExit(DEATH_GRACE);
        }
        if (!process.isAlive()) {
            return new SutException(SutException.Kind.DIED, name(), cause.getMessage() + "; the server " + health(),
                    logTail(20), cause);
        }
        SutException.Kind kind = switch (cause.reason()) {
            case TIMEOUT -> SutException.Kind.HUNG;
            case PEER_CLOSED, IO_ERROR, MALFORMED, BAD_REPLY -> SutException.Kind.PROTOCOL;
            case CLOSED, INTERRUPTED -> SutException.Kind.ENVIRONMENT;
        };
        return new SutException(kind, name(), cause.getMessage(), logTail(20), cause);
    }

    /** The server's process id (for tests and reports). */
    public long pid() {
        return process.pid();
    }

    /** The private directory the server runs in (for tests and reports). */
    public Path directory() {
        return dir.path();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        kept.closeAll();
        for (Guest g : new ArrayList<>(open)) {
            g.conn().close();
        }
        process.destroy();
        try {
            if (!process.waitFor(options.stopTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                process.waitFor(options.stopTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        closeQuietly(dir);
        if (Thread.currentThread() != shutdownHook) {
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is running or about to; it finds this target closed
            }
        }
    }

    private static void closeQuietly(PrivateDir dir) {
        if (dir == null) {
            return;
        }
        try {
            dir.close();
        } catch (UncheckedIOException e) {
            System.err.println("xscheck: " + e.getMessage());
        }
    }

    private static void sleep(long nanos) {
        java.util.concurrent.locks.LockSupport.parkNanos(nanos);
        if (Thread.interrupted()) {
            Thread.currentThread().interrupt();
            throw new SutException(SutException.Kind.ENVIRONMENT, "qemu", "interrupted while starting", "");
        }
    }
}
