package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsConnection;
import io.xscheck.protocol.XsConnectionException;
import io.xscheck.sut.GuestRingAccess;
import io.xscheck.sut.Health;
import io.xscheck.sut.RingIndex;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SharedConnection;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.TreeImage;
import io.xscheck.sut.TreeRestorer;
import io.xscheck.sut.WireConnection;
import io.xscheck.sut.process.DaemonProcess;
import io.xscheck.sut.process.PrivateDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * C xenstored or oxenstored (any build, see {@link XenDaemon}), started by us under the fake-Xen shim
 * in a private directory. dom0 connections use the daemon's Unix socket; guest connections use a
 * shared ring file per domain, introduced to the daemon over an internal control connection.
 */
public final class XenDaemonSut implements Sut, GuestRingAccess {

    /** XS_INTRODUCE's port must be > 0; the daemons only record it. */
    static final int GUEST_PORT = 1;
    private static final int LOG_LINES = 40;
    private static final Duration DEATH_GRACE = Duration.ofMillis(250);
    private static final Duration READY_POLL = Duration.ofMillis(5);
    /** A release takes about a millisecond; a 5 ms poll would make every kill cost 5 ms. */
    private static final Duration RELEASE_POLL = Duration.ofMillis(1);
    /** The first pause of that poll, doubled up to {@link #RELEASE_POLL}. */
    private static final Duration RELEASE_POLL_FIRST = Duration.ofNanos(100_000);

    private final XenDaemon daemon;

    /**
     * C xenstored rate-limits each domain's node writes (xenstored_domain.c wrl_*: 200 a second after
     * a burst of 10) and leaves a guest's next request unread until its credit is back: one WRITE of a
     * 2048-byte path creates up to about a thousand nodes, some five seconds of debt (gate seed 34003:
     * a guest's SET_PERMS after such a WRITE answered after more than a second). That wait is the
     * daemon's design, not a hang.
     */
    private static final Duration C_GUEST_WRITE_RATE_DELAY = Duration.ofSeconds(6);

    @Override
    public Duration mayDelay(int domid) {
        return daemon.kind() == DaemonKind.CXENSTORED && domid != 0 ? C_GUEST_WRITE_RATE_DELAY : Duration.ZERO;
    }
    private final SutOptions options;
    private final DaemonProcess process;
    private final FakeXenFiles files;
    private final EventChannels events;
    private final XsConnection control;
    private final Map<Integer, SutConnection> guests = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The connection failure whose death grace was already spent: its other requests skip it. */
    private volatile Throwable deathAwaitedFor;
    /** The tree as the daemon started with it, which {@link #reset} brings back. */
    private TreeImage pristine;
    /** dom0's accounting as the daemon came up, and as the last reset that put the tree back left it (null before one). */
    private Reply freshAccounting;
    private volatile Reply accountingAfterReset;
    private static final Request DOM0_ACCOUNTING = new Request.Control(List.of("quota", "0"));
    /** A node no daemon's tree has: see {@link #freshErrno}. */
    private static final String MISSING = "/xscheck-reset-reads-a-missing-node";
    /** See {@link #housekeeping()}; null until a reset or a tree check first needs it. */
    private SutConnection housekeeping;
    /** Domains {@link #prepareCaseGuests} introduced, which {@link #openGuest} attaches to without asking again. */
    private final java.util.Set<Integer> introducedAhead = ConcurrentHashMap.newKeySet();
    /**
     * Domains the last reset released or found not introduced, which nothing introduced since: the
     * next {@link #prepareCaseGuests} introduces them without asking first.
     */
    private final java.util.Set<Integer> releasedByReset = ConcurrentHashMap.newKeySet();
    /** The connections test cases borrow and resets clear (see {@link #reset(java.util.Set, java.util.Set)}). */
    private final io.xscheck.sut.KeptConnections kept = new io.xscheck.sut.KeptConnections();
    /**
     * Threads for the readers of the connections the harness opens (guests' rings, dom0 sockets), kept for the
     * daemon's life: a case's guests are often introduced and connected anew (after a domain operation named
     * them), and a thread of its own per connection cost about a millisecond to start on two loaded cores.
     */
    private final java.util.concurrent.ExecutorService readers;

    private XenDaemonSut(XenDaemon daemon, SutOptions options, DaemonProcess process, FakeXenFiles files,
                         EventChannels events, XsConnection control) {
        this.daemon = daemon;
        this.options = options;
        this.process = process;
        this.files = files;
        this.events = events;
        this.control = control;
        String label = "xs-reader idle " + daemon.targetName();
        this.readers = java.util.concurrent.Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, label);
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts the daemon and returns once it answers requests. */
    public static XenDaemonSut start(XenDaemon daemon, SutOptions options) {
        String name = daemon.targetName();
        if (!Files.isExecutable(daemon.binary())) {
            throw new SutException(SutException.Kind.ENVIRONMENT, name, daemon.binary() + " is missing or not executable"
                    + (daemon.binary().startsWith(XenDaemon.BIN_DIR) ? "; install the Debian package " + XenDaemon.PACKAGE : ""), "");
        }
        PrivateDir dir = PrivateDir.create(options.tempParent(), daemon.kind().dirTag());
        DaemonProcess process = null;
        try {
            FakeXenFiles files = new FakeXenFiles(dir.path());
            files.prepareDom0();
            Path shim = Shim.install(dir.path(), name);
            Map<String, String> env = new HashMap<>(daemon.environment(dir.path()));
            env.put("FAKEXEN_DIR", dir.path().toString());
            env.put("FAKEXEN_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
            env.put("XENSTORED_PATH", files.socket().toString());
            env.put("LD_PRELOAD", shim.toString());
            List<String> command = daemon.command(daemon.binary(), dir.path(), options.extraArgs());
            List<String> logs = new ArrayList<>(daemon.logFiles());
            logs.add(FakeXenFiles.SYSLOG);
            process = DaemonProcess.start(name, command, env, dir, options.stopTimeout(), logs);
            XsConnection control;
            try {
                control = awaitReady(name, process, files, options.startTimeout());
            } catch (SutException e) {
                // Name the hypervisor calls the shim does not answer: the usual reason a new build fails here.
                String missing = ShimCoverage.explain(daemon, shim);
                throw missing.isEmpty() ? e : new SutException(e.kind(), name, e.detail() + missing, e.logTail(), e);
            }
            EventChannels events = new EventChannels(dir.path(), name);
            XenDaemonSut sut = new XenDaemonSut(daemon, options, process, files, events, control);
            try (SutConnection c = sut.openPrivileged()) {
                sut.pristine = TreeImage.read(c, "/", TreeRestorer.MAX_NODES);
                sut.freshAccounting = c.call(0, DOM0_ACCOUNTING);
            } catch (SutException e) {
                sut.close();
                throw e;
            }
            return sut;
        } catch (IOException e) {
            String tail = process == null ? "" : process.logTail(LOG_LINES);
            closeQuietly(process, dir);
            throw new SutException(SutException.Kind.ENVIRONMENT, name, "cannot start: " + e, tail, e);
        } catch (RuntimeException e) {
            closeQuietly(process, dir);
            throw e;
        }
    }

    private static void closeQuietly(DaemonProcess process, PrivateDir dir) {
        if (process != null) {
            process.close();
        }
        dir.close();
    }

    /**
     * Polls until the socket answers a request and the event-channel FIFOs exist (the socket is
     * bound before the daemon sets up its event channel, so both are needed).
     */
    private static XsConnection awaitReady(String name, DaemonProcess process, FakeXenFiles files, Duration limit)
            throws IOException {
        long deadline = System.nanoTime() + limit.toNanos();
        String lastProblem = "no socket yet";
        long pause = RELEASE_POLL_FIRST.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                awaitExitQuietly(process);
                throw new SutException(SutException.Kind.DIED, name, "exited while starting: "
                        + process.processHealth(), process.logTail(LOG_LINES));
            }
            if (Files.exists(files.socket()) && files.eventChannelsReady()) {
                XsConnection c = null;
                try {
                    c = XsConnection.openUnix(files.socket());
                    c.call(0, new Request.GetDomainPath(0), Duration.ofSeconds(1));
                    return c;
                } catch (IOException | XsConnectionException e) {
                    lastProblem = e.getMessage();
                    if (c != null) {
                        c.close();
                    }
                }
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, READY_POLL.toNanos());
        }
        throw new SutException(SutException.Kind.HUNG, name, "did not answer within " + limit.toMillis()
                + " ms of starting (" + lastProblem + ")", process.logTail(LOG_LINES));
    }

    @Override
    public String name() {
        return daemon.targetName();
    }

    /** The daemon's version: its build record's, its Debian package's, or its libxenctrl soname's. */
    @Override
    public String version() {
        return daemon.version();
    }

    @Override
    public String dialect() {
        return daemon.dialect();
    }

    @Override
    public boolean supportsGuests() {
        return true;
    }

    @Override
    public String sandboxRoot() {
        return "/";
    }

    /** Everything a started daemon takes, live update included. */
    @Override
    public java.util.Set<io.xscheck.sut.Capability> capabilities() {
        return io.xscheck.sut.Capability.plus(io.xscheck.sut.Capability.all(), io.xscheck.sut.Capability.LIVE_UPDATE);
    }

    /** See {@link LiveUpdate}: the same binary, so the pid stays and every connection lives on. */
    @Override
    public Reply liveUpdate(SutConnection via, boolean force) {
        return liveUpdate(via, force, false);
    }

    /** See {@link LiveUpdate}: an update expected to be held back is polled for a short while only. */
    @Override
    public Reply liveUpdate(SutConnection via, boolean force, boolean heldBackExpected) {
        checkOpen();
        Reply r = LiveUpdate.run(daemon, via, force, heldBackExpected);
        // exec keeps the pid: the process we started must still be the one serving
        Health h = process.processHealth();
        if (!h.isAlive()) {
            throw new SutException(SutException.Kind.DIED, name(), "the daemon " + h + " after a live update",
                    logTail(LOG_LINES));
        }
        if (io.xscheck.sut.RestartAnswer.wentAhead(r)) {
            kept.transactionIdsRestarted();
        }
        return r;
    }

    public long pid() {
        return process.pid();
    }

    /** The harness's event channels to this daemon (for tests of kicks and their counters). */
    EventChannels eventChannels() {
        return events;
    }

    /** The daemon's private directory (socket, rings, logs). */
    public Path directory() {
        return process.dir().path();
    }

    @Override
    public SutConnection openPrivileged() {
        checkOpen();
        try {
            XsConnection xs = XsConnection.openUnix(files.socket(), readers);
            return new WireConnection(0, xs, options.replyTimeout(), this::diagnose, () -> { });
        } catch (IOException e) {
            throw diagnoseStartFailure("cannot connect to " + files.socket() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Speaks as guest {@code domid} over its ring. If the daemon does not know the domain yet, its
     * state file says running, its ring is zeroed and it is introduced (XS_INTRODUCE with a fixed
     * mfn per domid, as oxenstored refuses a different mfn for a live domain). Nothing else is
     * written to the tree: creating {@code /local/domain/N} is the caller's business. A guest has
     * one ring, so one open connection at a time.
     */
    @Override
    public SutConnection openGuest(int domid) {
        checkOpen();
        if (domid <= 0 || domid >= 0x7FF0) {
            throw new IllegalArgumentException("guest domid must be in 1..32751, got " + domid);
        }
        kept.dropGuest(domid); // a connection kept idle for the next case yields to this one
        releasedByReset.remove(domid); // introduced below, or by someone since the reset
        synchronized (guests) {
            if (guests.containsKey(domid)) {
                throw new IllegalStateException(name() + ": dom" + domid + " already has an open connection");
            }
            try {
                if (!introducedAhead.remove(domid) && !isIntroduced(domid)) {
                    prepareDomain(domid);
                    Reply r = controlCall(new Request.Introduce(domid, mfnOf(domid), GUEST_PORT));
                    if (!(r instanceof Reply.Ok)) {
                        throw new SutException(SutException.Kind.PROTOCOL, name(),
                                "XS_INTRODUCE of dom" + domid + " answered " + r, logTail(LOG_LINES));
                    }
                }
                GuestRing ring = GuestRing.map(files.ring(domid), domid, events, this::whyGone, options.replyTimeout());
                XsConnection xs = new XsConnection(ring.in(), ring.out(), name() + " dom" + domid, readers);
                SutConnection[] self = new SutConnection[1];
                self[0] = new WireConnection(domid, xs, options.replyTimeout(), this::diagnose,
                        () -> guests.remove(domid, self[0]));
                guests.put(domid, self[0]);
                return self[0];
            } catch (IOException e) {
                throw new SutException(SutException.Kind.ENVIRONMENT, name(),
                        "cannot set up dom" + domid + "'s ring: " + e, logTail(LOG_LINES), e);
            }
        }
    }

    /**
     * Makes {@code domid} exist for the daemon without introducing it: its state file says
     * running and its ring is zeroed. For callers that send XS_INTRODUCE themselves; a
     * later {@link #openGuest} then attaches to the introduced domain.
     */
    public void prepareDomain(int domid) {
        checkOpen();
        try {
            files.setState(domid, "running");
            files.freshRing(domid);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot prepare dom" + domid, e);
        }
    }

    /** The fixed frame number given to XS_INTRODUCE for {@code domid} (ignored by the shim). */
    static long mfnOf(int domid) {
        return 0x100000L + domid;
    }

    /**
     * Kills the domain: its state becomes {@code dying} and VIRQ_DOM_EXC fires. Returns once the
     * daemon has released it (IS_DOMAIN_INTRODUCED says F), so its @releaseDomain events and node
     * cleanup have happened. The guest's connection, if open, is closed.
     */
    @Override
    public void killDomain(int domid) {
        killDomain(domid, options.releaseTimeout());
    }

    /** Polls for the release at a growing interval: a release takes about a millisecond, a poll a round trip. */
    @Override
    public void killDomain(int domid, Duration releaseBound) {
        checkOpen();
        introducedAhead.remove(domid);
        SutConnection conn = guests.get(domid);
        if (conn != null) {
            conn.close();
        }
        setDomainState(domid, "dying");
        fireDomainException();
        long start = System.nanoTime();
        long deadline = start + Math.min(releaseBound.toNanos(), options.releaseTimeout().toNanos());
        long pause = RELEASE_POLL_FIRST.toNanos();
        while (isIntroduced(domid)) {
            if (System.nanoTime() > deadline) {
                throw new SutException(SutException.Kind.HUNG, name(), "dom" + domid + " was still introduced "
                        + (System.nanoTime() - start) / 1_000_000 + " ms after it was marked dying", logTail(LOG_LINES));
            }
            java.util.concurrent.locks.LockSupport.parkNanos(pause);
            pause = Math.min(pause * 2, RELEASE_POLL.toNanos());
            if (Thread.currentThread().isInterrupted()) {
                throw new SutException(SutException.Kind.ENVIRONMENT, "xscheck", "interrupted", "");
            }
        }
    }

    @Override
    public long ringIndex(int domid, RingIndex index) {
        checkOpen();
        try {
            return RingPage.read(files.ring(domid), index);
        } catch (IOException e) {
            throw new SutException(SutException.Kind.ENVIRONMENT, name(), "cannot read dom" + domid + "'s ring: " + e,
                    "", e);
        }
    }

    @Override
    public void writeRingIndex(int domid, RingIndex index, long value) {
        checkOpen();
        try {
            RingPage.write(files.ring(domid), index, value);
            events.kick(domid);
        } catch (IOException e) {
            throw new SutException(SutException.Kind.ENVIRONMENT, name(), "cannot write dom" + domid + "'s ring: " + e,
                    logTail(LOG_LINES), e);
        }
    }

    /** Writes the domain's state file (running, paused, blocked, shutdown [code], crashed, dying, dead). */
    public void setDomainState(int domid, String state) {
        try {
            files.setState(domid, state);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set dom" + domid + "'s state", e);
        }
    }

    /** Raises VIRQ_DOM_EXC: the daemon re-reads every domain's state. */
    public void fireDomainException() {
        try {
            events.raiseDomainException();
        } catch (IOException e) {
            throw new SutException(SutException.Kind.DIED, name(), "cannot raise VIRQ_DOM_EXC: " + e,
                    logTail(LOG_LINES), e);
        }
    }

    private boolean isIntroduced(int domid) {
        Reply r = controlCall(new Request.IsDomainIntroduced(domid));
        return r instanceof Reply.Text t && t.text().equals("T");
    }

    private Reply controlCall(Request request) {
        try {
            return control.call(0, request, options.replyTimeout());
        } catch (XsConnectionException e) {
            throw diagnose(e);
        }
    }

    @Override
    public Health health() {
        Health h = process.processHealth();
        if (!h.isAlive()) {
            return h;
        }
        try {
            control.call(0, new Request.GetDomainPath(0), options.replyTimeout());
            return h;
        } catch (XsConnectionException e) {
            if (e.reason() == XsConnectionException.Reason.TIMEOUT) {
                return process.isAlive() ? new Health.Hung(options.replyTimeout()) : process.processHealth();
            }
            awaitDeath();
            return process.isAlive() ? h : process.processHealth();
        }
    }

    @Override
    public String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public boolean resettable() {
        return true;
    }

    /**
     * Restores the tree the daemon started with, then releases every guest domain and makes the
     * fake hypervisor forget it, then reads the tree again. The tree goes first: releasing a domain
     * that owns a node changes that node (C deletes a root owned by a released domain, oxenstored
     * reports its owner as 2^63-1), and once restored no node is a guest's. The dom0 connections
     * (and with them their watches and transactions) are the caller's to close first. The tree is
     * read once before and once after (the verdict); the releases go out together on the control
     * connection, which the daemon answers in order.
     */
    @Override
    public boolean reset(java.util.Set<Integer> named) {
        return reset(named, java.util.Set.of());
    }

    /**
     * {@link #reset(java.util.Set)}, keeping what a fresh start would only make again: the lent
     * connections, cleared by RESET_WATCHES (see {@link io.xscheck.sut.KeptConnections}), and the guest
     * domains of {@code keep}, which stay introduced with their rings. Such a domain was introduced
     * before the pristine tree was restored and no case request touched it as a domain; its watches
     * and transactions go with the clearing, the nodes it owned with the restore, which also gives
     * the quota counters that follow the tree (entries per domain) their fresh values.
     */
    @Override
    public boolean reset(java.util.Set<Integer> named, java.util.Set<Integer> keep) {
        return reset(named, keep, null);
    }

    /**
     * {@link #reset(java.util.Set, java.util.Set)}, where the tree the case's last check read ({@code seen}) tells
     * what to restore without reading it again: one round trip of three requests per node of the start's tree less
     * per case. The verdict's read is still made.
     */
    @Override
    public boolean reset(java.util.Set<Integer> named, java.util.Set<Integer> keep, TreeImage seen) {
        introducedAhead.clear();
        releasedByReset.clear();
        if (closed.get() || !process.isAlive()) {
            return false;
        }
        try {
            SutConnection c = housekeeping();
            // The connections' clearing and the special ACLs go out first and are awaited after the tree's
            // restore: one round trip less each. (An event the restore fires on a kept connection comes before
            // its RESET_WATCHES reply, or not at all.)
            io.xscheck.sut.KeptConnections.Clearing clearing = kept.startClearing(keep);
            List<java.util.concurrent.CompletableFuture<Reply>> acls = specialAclsRestoring(c);
            // Which guests the daemon knows is asked on the control connection at once, so that the answers share
            // the tree's first round trip (the tree's restore introduces and releases nothing).
            java.util.SortedSet<Integer> domids = files.guestDomids();
            named.stream().filter(d -> d > 0 && d < 0x7FF0).forEach(domids::add);
            List<Integer> asked = List.copyOf(domids);
            List<java.util.concurrent.CompletableFuture<Reply>> known = controlSend(asked.stream()
                    .map(d -> (Request) new Request.IsDomainIntroduced(d)).toList());
            boolean changed = TreeRestorer.repair(c, pristine, "/",
                    seen == null ? null : seen.only(pristine.nodes().keySet()));
            java.util.Set<Integer> stay = clearing.finish(options.replyTimeout());
            if (!acls.stream().allMatch(f -> TreeImage.await(f, c) instanceof Reply.Ok)) {
                return false;
            }
            List<Reply> before = controlAwait(known);
            List<Integer> all = asked.stream().filter(d -> !stay.contains(d)).toList();
            for (int domid : all) {
                SutConnection guest = guests.get(domid);
                if (guest != null) {
                    guest.close();
                }
            }
            List<Integer> introduced = new ArrayList<>();
            for (int i = 0; i < asked.size(); i++) {
                if (!stay.contains(asked.get(i)) && isTrue(before.get(i))) {
                    introduced.add(asked.get(i));
                }
            }
            if (!releaseAll(introduced)) {
                return false;
            }
            for (int domid : all) {
                files.forget(domid);
            }
            boolean restored;
            java.util.concurrent.CompletableFuture<Reply> accounting;
            if (!changed && introduced.isEmpty() && seen == null) {
                // Nothing changed and nobody was released: the first read (ours, not the case's) was the verdict already.
                accounting = c.send(0, DOM0_ACCOUNTING);
                restored = freshErrno(c);
            } else {
                // The verdict's reads, the accounting and the errno's READ (last, see freshErrno) share a round trip.
                TreeImage.KnownRead verdict = pristine.sendReadKnown(c);
                accounting = c.send(0, DOM0_ACCOUNTING);
                java.util.concurrent.CompletableFuture<Reply> errno = c.send(0, new Request.Read(MISSING));
                restored = verdict.image().equals(pristine) & isEnoent(TreeImage.await(errno, c));
            }
            accountingAfterReset = TreeImage.await(accounting, c);
            if (restored) {
                releasedByReset.addAll(all);
            }
            return restored;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Releases every domain of {@code domids}, again while that makes progress: C keeps a released
     * domain introduced while another domain still targets it (run on 4.17.7: {@code settarget 2 1,
     * release 1} leaves dom1 introduced; once dom2 is released, a second RELEASE of dom1 frees it).
     * A domain that targets itself stays: false, the caller drops the daemon.
     */
    private boolean releaseAll(List<Integer> domids) {
        List<Integer> left = domids;
        while (!left.isEmpty()) {
            // The releases and the questions after them go out together: the daemon answers in order.
            List<Request> both = new ArrayList<>();
            left.forEach(d -> both.add(new Request.Release(d)));
            left.forEach(d -> both.add(new Request.IsDomainIntroduced(d)));
            List<Reply> after = controlAll(both).subList(left.size(), both.size());
            List<Integer> still = new ArrayList<>();
            for (int i = 0; i < left.size(); i++) {
                if (isTrue(after.get(i))) {
                    still.add(left.get(i));
                }
            }
            if (still.size() == left.size()) {
                return false;
            }
            left = still;
        }
        return true;
    }

    /**
     * C keeps the ACLs of {@code @introduceDomain} and {@code @releaseDomain} outside the tree
     * (a case may SET_PERMS them; 4.17 cannot even GET_PERMS them), so the tree's restore misses
     * them: they go back to a fresh daemon's {@code n0} (xenstored_domain.c set_dom_perms_default:
     * owner dom0, XS_PERM_NONE). Without this, a GET_PERMS of {@code @introduceDomain} answered a
     * previous case's ACL on a reset 4.20.4 (one fixed-seed case of 700; {@code setperms
     * @releaseDomain n0 r1}, reset, {@code getperms @releaseDomain} answers n0 now). oxenstored
     * keeps them as nodes of the tree, which the restore covers.
     */
    private List<java.util.concurrent.CompletableFuture<Reply>> specialAclsRestoring(SutConnection c) {
        if (daemon.kind() != DaemonKind.CXENSTORED) {
            return List.of();
        }
        List<io.xscheck.protocol.Perm> fresh = List.of(io.xscheck.protocol.Perm.none(0));
        return c.sendAll(List.of(new Request.SetPerms("@introduceDomain", fresh),
                new Request.SetPerms("@releaseDomain", fresh)));
    }

    /**
     * Leaves the daemon's errno as a fresh daemon's: C answers a malformed path request with
     * whatever errno an earlier request left (the model's {@code Raws.cStaleErrno}), and with 0 it
     * sends no reply and aborts at the next request (consider_message's assert). A fresh C daemon's
     * is ENOENT by the time a case starts, while an RM (a case's, or the reset's own) leaves 0: a
     * case starting with {@code A raw 2 "/local"} crashed C 4.17.7 after a reset that removed a
     * node, and not on a fresh daemon (four of 700 fixed-seed cases, confirmed by replaying
     * {@code A mkdir /q1}, reset, then that request). A READ of a node no tree has sets ENOENT.
     */
    private static boolean freshErrno(SutConnection c) {
        return isEnoent(c.call(0, new Request.Read(MISSING)));
    }

    private static boolean isEnoent(Reply r) {
        return r instanceof Reply.Error e && e.name().equals("ENOENT");
    }

    /** dom0's accounting at the start and after the last reset (the same request on the same tree). */
    @Override
    public java.util.Optional<io.xscheck.sut.AccountingAtReset> accountingAtReset() {
        Reply after = accountingAfterReset;
        return after == null || freshAccounting == null ? java.util.Optional.empty()
                : java.util.Optional.of(new io.xscheck.sut.AccountingAtReset(freshAccounting, after));
    }

    @Override
    public SutConnection openCasePrivileged() {
        checkOpen();
        return kept.lendPrivileged(this::openPrivileged);
    }

    /**
     * Introduces every domain of {@code domids} that has no kept connection and is not introduced
     * yet, as {@link #openGuest} would one by one: the IS_DOMAIN_INTRODUCED questions go out
     * together on the control connection, then the INTRODUCEs, in domid order.
     */
    @Override
    public void prepareCaseGuests(java.util.Set<Integer> domids) {
        checkOpen();
        List<Integer> asked = new java.util.TreeSet<>(domids).stream()
                .filter(d -> d > 0 && d < 0x7FF0 && !kept.hasIdleGuest(d) && !guests.containsKey(d)).toList();
        if (asked.isEmpty()) {
            return;
        }
        // Those the last reset left unintroduced need no question.
        List<Integer> unknown = asked.stream().filter(d -> !releasedByReset.contains(d)).toList();
        releasedByReset.clear();
        List<Reply> known = controlAll(unknown.stream().map(d -> (Request) new Request.IsDomainIntroduced(d)).toList());
        List<Integer> fresh = new ArrayList<>();
        for (int domid : asked) {
            int i = unknown.indexOf(domid);
            if (i < 0 || !isTrue(known.get(i))) {
                fresh.add(domid);
            }
        }
        fresh.forEach(this::prepareDomain);
        List<Reply> answers = controlAll(fresh.stream()
                .map(d -> (Request) new Request.Introduce(d, mfnOf(d), GUEST_PORT)).toList());
        for (int i = 0; i < fresh.size(); i++) {
            if (!(answers.get(i) instanceof Reply.Ok)) {
                throw new SutException(SutException.Kind.PROTOCOL, name(),
                        "XS_INTRODUCE of dom" + fresh.get(i) + " answered " + answers.get(i), logTail(LOG_LINES));
            }
        }
        introducedAhead.addAll(asked);
    }

    @Override
    public SutConnection openCaseGuest(int domid) {
        checkOpen();
        return kept.lendGuest(domid, this::openGuest);
    }

    /**
     * The connection resets use, lent to a case for its tree reads (a connect and a thread saved per case); its close
     * does nothing (closed with the daemon). A {@link SharedConnection}, so that a tree check's
     * batch goes out in one write as on the housekeeping connection itself: a lender of its own passed each request
     * on by itself, one write and one wake-up of the daemon per node read (a third of the engine's writes on C).
     */
    @Override
    public SutConnection openInspector() {
        return new SharedConnection(housekeeping());
    }

    /** The dom0 connection resets use, kept open for the daemon's life (one connect per reset saved). */
    private synchronized SutConnection housekeeping() {
        if (housekeeping == null) {
            housekeeping = openPrivileged();
        }
        return housekeeping;
    }

    /** Sends every request on the control connection at once, then collects the replies in order. */
    private List<Reply> controlAll(List<Request> requests) {
        return controlAwait(controlSend(requests));
    }

    /** Sends every request on the control connection at once (one write), without waiting. */
    private List<java.util.concurrent.CompletableFuture<Reply>> controlSend(List<Request> requests) {
        return control.sendAll(requests);
    }

    /** The replies of {@link #controlSend}, in order. */
    private List<Reply> controlAwait(List<java.util.concurrent.CompletableFuture<Reply>> pending) {
        List<Reply> out = new ArrayList<>();
        for (java.util.concurrent.CompletableFuture<Reply> f : pending) {
            try {
                out.add(f.get(options.replyTimeout().toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof XsConnectionException x ? diagnose(x)
                        : new SutException(SutException.Kind.PROTOCOL, name(), String.valueOf(e.getCause()), "", e);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new SutException(SutException.Kind.HUNG, name(), "no reply on the control connection in "
                        + options.replyTimeout().toMillis() + " ms", logTail(LOG_LINES), e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SutException(SutException.Kind.ENVIRONMENT, name(), "interrupted", "", e);
            }
        }
        return out;
    }

    private static boolean isTrue(Reply r) {
        return r instanceof Reply.Text t && t.text().equals("T");
    }

    /** Sends SIGKILL to the daemon now, to test failure detection. */
    public void killDaemonHard() {
        process.killHard();
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            kept.closeAll();
            List.copyOf(guests.values()).forEach(SutConnection::close);
            synchronized (this) {
                if (housekeeping != null) {
                    housekeeping.close();
                }
            }
            control.close();
            events.close();
        } finally {
            readers.shutdown();
            process.close();
        }
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException(name() + " is closed");
        }
    }

    /** Why the daemon cannot serve a ring any more, or null while it runs. */
    private String whyGone() {
        if (closed.get()) {
            return "the target was closed";
        }
        return process.isAlive() ? null : "the daemon " + process.processHealth();
    }

    /** Explains a failed request in terms of the daemon: died, hung, or a protocol problem. */
    SutException diagnose(XsConnectionException e) {
        XsConnectionException.Reason reason = e.reason();
        boolean stalled = stalledRing(e);
        // A stalled ring means the daemon runs but does not consume: no death to wait for. And one
        // wait per lost connection: each of its pending requests is diagnosed, in turn, on the
        // connection's reader thread (2000 of them at 250 ms each would take over eight minutes).
        Throwable root = rootFailure(e);
        if (!stalled && root != deathAwaitedFor && (reason == XsConnectionException.Reason.PEER_CLOSED
                || reason == XsConnectionException.Reason.IO_ERROR || reason == XsConnectionException.Reason.MALFORMED)) {
            awaitDeath();
            deathAwaitedFor = root;
        }
        Health h = process.processHealth();
        if (!h.isAlive()) {
            return new SutException(SutException.Kind.DIED, name(), "the daemon " + h + " (" + e.getMessage() + ")",
                    logTail(LOG_LINES), e);
        }
        SutException.Kind kind = switch (reason) {
            case TIMEOUT -> SutException.Kind.HUNG;
            case INTERRUPTED -> SutException.Kind.ENVIRONMENT;
            default -> stalled ? SutException.Kind.HUNG : SutException.Kind.PROTOCOL;
        };
        return new SutException(kind, name(), e.getMessage(), logTail(LOG_LINES), e);
    }

    /** The connection's own failure, which every request it failed carries (perhaps wrapped). */
    private static Throwable rootFailure(XsConnectionException e) {
        Throwable root = e;
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            if (c instanceof XsConnectionException) {
                root = c;
            }
        }
        return root;
    }

    /** A guest's write failed because the running daemon stopped consuming its ring. */
    private static boolean stalledRing(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof GuestRing.StalledException) {
                return true;
            }
        }
        return false;
    }

    private SutException diagnoseStartFailure(String message, Exception cause) {
        awaitDeath();
        Health h = process.processHealth();
        SutException.Kind kind = h.isAlive() ? SutException.Kind.ENVIRONMENT : SutException.Kind.DIED;
        return new SutException(kind, name(), message + "; daemon " + h, logTail(LOG_LINES), cause);
    }

    /** A killed daemon's socket closes just before its exit status is visible; wait for that. */
    private void awaitDeath() {
        awaitExitQuietly(process);
    }

    private static void awaitExitQuietly(DaemonProcess process) {
        try {
            process.awaitExit(DEATH_GRACE);
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name() + "[pid " + process.pid() + " in " + directory() + "]";
    }
}
