package io.xscheck.conformance.engine;

import com.google.common.collect.HashMultiset;
import com.google.common.collect.ImmutableMultiset;
import com.google.common.collect.Multiset;
import com.google.common.collect.Multisets;
import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Expect;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceRelocation;
import io.xscheck.conformance.trace.TraceWriter;
import io.xscheck.model.Allowed;
import io.xscheck.model.Delivery;
import io.xscheck.model.ModelState;
import io.xscheck.model.Outcome;
import io.xscheck.model.Rule;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.Capability;
import io.xscheck.sut.SutException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Runs steps on the model and on at most one target in lockstep and compares them. The only place
 * that holds both sides. Where the model allows several outcomes it follows the one the target
 * chose. Keeps the current state only.
 */
public final class Lockstep implements AutoCloseable {
    /**
     * Re-barriers before calling missing events of a step {@link #handledAsynchronously} a divergence. Any
     * other step's events are queued before the barrier's reply on each connection (a daemon fires them while
     * it handles the request, before it answers anything after it): on the fixed seed 7, 300 cases on C,
     * oxenstored and QEMU each, no re-barrier after such a step ever found a late event, while every one
     * (649 steps, all QEMU's missing events, counting shrinking's replays) cost 50 ms of pauses.
     */
    private static final int EVENT_RETRIES = 10;
    /** A barrier was left out since the last one (see {@link #quiet}): {@link #finish} drains and compares. */
    private boolean eventsOwed;
    /**
     * A release the dialect says never comes is given this long. A release that does come was always done by the
     * first IS_DOMAIN_INTRODUCED after the kill: a 15 s C bench, seed 76002, at load 4-6, no kill polled twice but
     * the 14 of domains C never releases, each 100 ms of polls, 9% of the run (the bound was 100 ms then); 15 s
     * benches of C and oxenstored, seeds 7 and 8, with the daemons' files on tmpfs: all 3,209 releases that came
     * were done by the first question, while the 45 kills C never releases took 20 ms each, 3% of the run (the
     * bound was 20 ms then). A late release would still show, as events or a reply at a later step.
     */
    static final java.time.Duration UNEXPECTED_RELEASE_BOUND = java.time.Duration.ofMillis(3);

    private final ModelSession model;
    private final TargetSession target;
    private final ReplyComparison comparison;
    /** The engine owns the target's whole tree (or there is no target): nothing is confined. */
    private final boolean wholeTree;
    private final int treeEvery;
    /** Where this case works: {@code /} on a whole tree, a claimed subtree on a shared daemon. */
    private String caseRoot = "/";
    /** The case root this session claimed from its target, released on {@link #close}. */
    private String claimed;
    /** Moves a replayed trace's steps to the claimed case root; null when they run as written. */
    private TraceRelocation relocation;
    private boolean rootPrepared = true;
    /** Where the step's time goes; a clock nobody reads unless {@link #timedBy} gives one. */
    private StepClock clock = new StepClock();
    private final Set<String> watchers = new TreeSet<>();
    private final Map<String, Integer> domids = new HashMap<>();
    private final Set<String> gone = new HashSet<>();
    private final Map<String, List<WatchEvent>> modelPending = new HashMap<>();
    private final Map<String, List<WatchEvent>> targetPending = new HashMap<>();
    private int index;
    /** Events of a domain introduced by a connection's declaration: the next step's barrier sees them. */
    private final HashMultiset<Delivery> introduced = HashMultiset.create();
    /** Transactions open and unwritten at a migration the target carried out (see {@link #migrationCause}). */
    private final Set<String> unwrittenAtMigration = new HashSet<>();
    /** At this step's migration, an unwritten transaction's view of / was rooted elsewhere ({@link #rootedElsewhere}). */
    private boolean rootedElsewhereAtMigration;
    /** One of those was committed on the target: its broken tree became the store's. */
    private boolean brokenTransactionCommitted;
    /** Whether {@link #advance} may send steps ahead (see {@link #sendsAhead}). */
    private boolean batching;
    /** Some step of this session was sent ahead: a divergence it shows is to be confirmed one step at a time. */
    private boolean batched;
    /**
     * Going ahead left out a barrier one step at a time takes, while a connection watched, and no barrier to every
     * live watcher found all as expected since (see {@link #eventsLeftOut}).
     */
    private boolean eventsLeftOut;
    /** Steps sent ahead and not compared yet, oldest first; the model followed each already. */
    private final java.util.ArrayDeque<Ahead> ahead = new java.util.ArrayDeque<>();

    /**
     * A step sent without waiting: the model's only outcome for it, the target's reply to come, and the model's
     * state it was predicted in (where its reply is judged, as one step at a time would). Or an {@code events}
     * step, which asks the target nothing: {@code done} is its result, kept in line with the steps around it.
     */
    private record Ahead(int index, TraceLine.Step step, CompletableFuture<Reply> reply, Allowed allowed, String rule,
                         String absolutePath, ModelState before, StepResult done) {
        /** Whether a later request on another connection must not overtake this one (see {@link #mayInteract}). */
        boolean holdsBack(TraceLine.Step later, String laterPath) {
            return done == null && !step.conn().equals(later.conn()) && !bothRead(later, step)
                    && mayInteract(laterPath, absolutePath);
        }
    }

    /** What the target did with a step sent ahead: its reply, or the failure to report when it is compared. */
    private record Arrival(Reply reply, SutException failure) {
    }

    /** Steps sent ahead whose replies were awaited before their comparison (see {@link #arrival}), by index. */
    private final Map<Integer, Arrival> arrivals = new HashMap<>();

    /** What {@link #advance} did: the reply the model followed for the step, and every step compared by the call. */
    public record Progress(Reply followed, List<StepResult> done) {
        /** The first divergence among the compared steps. */
        public Optional<Divergence> divergence() {
            return done.stream().map(StepResult::divergence).flatMap(Optional::stream).findFirst();
        }
    }
    /** Per open transaction, the nodes a MKDIR in it created again after the transaction removed them. */
    private final Map<String, Set<String>> mkdirsOfRemoved = new HashMap<>();
    /** Per open transaction, the nodes a WRITE in it wrote again after the transaction removed them. */
    private final Map<String, Set<String>> writesOfRemoved = new HashMap<>();
    /** Those of transactions committed: QEMU's WRITE found the removed node still there and kept its ACL. */
    private final Set<String> committedWritesOfRemoved = new TreeSet<>();
    /** Those of transactions committed: QEMU's MKDIR found the removed node still there and created nothing. */
    private final Set<String> committedMkdirsOfRemoved = new TreeSet<>();
    /** Guest watches ("conn NUL token") a migration the target carried out lost ({@link QemuWatchLists}). */
    private final Set<String> watchesLostAtMigration = new HashSet<>();
    /** The target's watch lists in QEMU's order, for {@link #watchesLostAtMigration}. */
    private final QemuWatchLists watchLists = new QemuWatchLists();
    /** Domains the target still had after a RELEASE of them that both the model and the target answered OK. */
    private final Set<Integer> keptAtRelease = new TreeSet<>();
    /**
     * The nodes each of those owned in the model's tree at that RELEASE, which the model's release took away and the
     * target kept, to remove each with its subtree at the domain's death, whatever the model made there since.
     */
    private final Map<Integer, Set<String>> keptOwned = new HashMap<>();
    /** Per guest domain, the connection its ring serves, from its declaration to a kill of the domain. */
    private final Map<Integer, String> ringsInUse = new HashMap<>();
    /** Guests' changes oxenstored's conflict history holds, per open transaction ({@link ConflictBlameRaise}). */
    private final ConflictBlameRaise conflictBlame = new ConflictBlameRaise();
    /** Domains whose target C freed while they still point at it (a targeted domain released and gone). */
    private final Set<Integer> freedTargetOf = new TreeSet<>();
    /** The target's / had an owner no client can read before a restart of this case. */
    private boolean rootOwnerWasUnreadable;
    /** A restart of this case counted the entries anew: what the case carried in from a reset is gone. */
    private boolean entriesCountedAnew;
    /**
     * The model's tree when the target last agreed with it (the case's start, or a tree check that found nothing):
     * a periodic check reads back only what changed since ({@link TreeCheck#compareSince}); null after a check that
     * found a difference or could not read, so the next one is whole.
     */
    private io.xscheck.model.Tree checkedTree;
    /** See {@link #seenAtEnd}; set by {@link #finish}'s whole check when it agreed. */
    private io.xscheck.sut.TreeImage seenAtEnd;

    /**
     * @param target null to run the model alone
     * @param treeEvery compare the whole tree every this many steps (0: never)
     */
    public Lockstep(ModelSession model, TargetSession target, int treeEvery) {
        this.model = model;
        this.target = target;
        this.comparison = new ReplyComparison(model.dialect());
        this.wholeTree = target == null || target.sut().capabilities().contains(Capability.WHOLE_TREE);
        this.treeEvery = treeEvery;
    }

    /**
     * Chooses the case root: on a target the engine owns whole, the trace's own root (or
     * {@code /}); on a shared daemon, a fresh subtree claimed from it, to which a trace written for
     * another root is moved. Call before the first step; {@link #prepareCaseRoot} then creates it.
     *
     * @return the root the case's paths live under
     */
    public String openCaseRoot(Optional<String> traceRoot) {
        if (wholeTree) {
            caseRoot = traceRoot.orElse("/");
        } else {
            claimed = target.sut().claimCaseRoot();
            caseRoot = claimed;
            relocation = traceRoot.map(r -> new TraceRelocation(r, claimed)).orElse(null);
        }
        rootPrepared = caseRoot.equals("/");
        return caseRoot;
    }

    public String caseRoot() {
        return caseRoot;
    }

    /**
     * Creates the case root on the model and the target alike, as dom0 with ACL {@code n0}, on the
     * first dom0 connection declared; once, before the first step. These steps are compared like
     * any other, but belong to the harness, not to the trace (its {@code root} line stands for them).
     */
    public List<StepResult> prepareCaseRoot() {
        if (rootPrepared) {
            return List.of();
        }
        rootPrepared = true;
        String dom0 = domids.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new IllegalStateException("the case root needs a dom0 connection declared first"));
        List<StepResult> out = new ArrayList<>();
        for (Request r : List.of(new Request.Mkdir(caseRoot), new Request.SetPerms(caseRoot, List.of(Perm.none(0))))) {
            StepResult res = run(TraceLine.Step.of(dom0, new Command.Send(r)));
            out.add(res);
            if (res.divergence().isPresent()) {
                break;
            }
        }
        return out;
    }

    /**
     * Lets {@link #advance} send steps ahead: a node request whose model outcome is one reply with
     * no event anywhere goes out without waiting for the one before. A step ahead of it on another
     * connection that touches a path above or below its own (where the daemon's order could matter;
     * two reads never do) has its reply awaited first, not compared: the daemon has done it then. Its
     * event barrier is left out, as for a quiet step: an event a faulty target sends anyway shows
     * at the next barrier or at {@link #finish}. Replies are compared in order as they come. An
     * {@code events} step, which asks the target nothing, is judged at once and kept in line. A
     * divergence seen this way is not the report: the caller runs the case again one step at a
     * time ({@link #batched}). Steps that end a batch: any other request or command, more than one
     * allowed outcome, an event expected, a step that ends with a whole-tree check.
     */
    public Lockstep sendsAhead(boolean on) {
        this.batching = on && target != null && wholeTree;
        return this;
    }

    /** Whether some step was sent ahead (see {@link #sendsAhead}). */
    public boolean batched() {
        return batched;
    }

    /**
     * Whether {@code divergence} may not be the first one one step at a time sees: going ahead left out an event
     * barrier that one step at a time takes (after a step sent ahead that is not a read, or to a watcher no allowed
     * outcome sends an event) while some connection watched, and no barrier to every live watcher found all as
     * expected since. An event a faulty target sent there shows later or not at all. Unless the divergence is an
     * events one (perhaps such an event, seen late), every live watcher is drained now: when none holds an event,
     * none was sent (one that a later barrier took would have diverged there), and the divergence is the first.
     */
    public boolean eventsLeftOut(Divergence divergence) {
        if (!eventsLeftOut) {
            return false;
        }
        if (divergence.category().equals("events") || target == null) {
            return true;
        }
        try {
            return target.barrier(liveWatchers(model.state())).values().stream().anyMatch(evs -> !evs.isEmpty());
        } catch (RuntimeException e) {
            return true; // a target that cannot answer (it crashed) cannot say
        }
    }

    /**
     * Runs one step, or sends it ahead (see {@link #sendsAhead}). Returns the reply the model
     * followed for it and every step compared by this call, in order: those sent ahead earlier,
     * then this one unless it went ahead itself. The caller stops at the first divergence.
     */
    public Progress advance(TraceLine.Step step) {
        TraceLine.Step s = relocation == null ? step : relocation.step(step);
        if (batching && !ahead.isEmpty() && s.command() instanceof Command.Events && !gone().contains(s.conn())) {
            // It compares what earlier barriers collected, which no step ahead adds to (none expects an event and
            // none has a barrier): judged now, reported in its place, no wait for the steps ahead.
            StepResult r = eventsStep(index++, s);
            ahead.add(new Ahead(r.index(), s, null, null, "events", null, model.state(), r));
            return new Progress(r.followed(), List.of());
        }
        Optional<Ahead> sent = batching ? sendAhead(s) : Optional.empty();
        if (sent.isPresent()) {
            return new Progress(sent.get().allowed().reply(), List.of());
        }
        if (!ahead.isEmpty() && mayOvertake(s)) {
            // Sent with the steps ahead of it, so that one wait covers them all; compared after them.
            List<StepResult> done = new ArrayList<>();
            StepResult r = run(s, () -> {
                done.addAll(flush());
                return done.stream().noneMatch(d -> d.divergence().isPresent());
            });
            if (r == null) {
                return new Progress(null, done);
            }
            done.add(r);
            return new Progress(r.followed(), done);
        }
        List<StepResult> done = new ArrayList<>(flush());
        if (done.stream().anyMatch(r -> r.divergence().isPresent())) {
            return new Progress(null, done);
        }
        StepResult r = step(step);
        done.add(r);
        return new Progress(r.followed(), done);
    }

    /**
     * Whether a step that cannot go ahead may still be sent before the steps ahead are compared:
     * a node request or a watch that nothing ahead of it on another connection can interact with
     * (see {@link #mayInteract}); an UNWATCH or a transaction's abort, whose answers depend on their
     * own connection only; a transaction's start where every step ahead on another connection only
     * reads (a write there could fall inside or outside the transaction by the daemon's order); a
     * commit where every step ahead on another connection has been answered (a write could make it
     * conflict, a read could see what it wrote); and that ends with no whole-tree check.
     */
    private boolean mayOvertake(TraceLine.Step step) {
        if (!rootPrepared || gone().contains(step.conn()) || treeEvery > 0 && (index + 1) % treeEvery == 0) {
            return false;
        }
        Command c = step.command();
        if (c instanceof Command.EndTx e && !e.commit() || c instanceof Command.Send u && u.request() instanceof Request.Unwatch) {
            return true;
        }
        if (c instanceof Command.StartTx) {
            return ahead.stream().allMatch(a -> a.done() != null || a.step().conn().equals(step.conn()) || reads(a.step()));
        }
        if (c instanceof Command.EndTx) {
            // a read too may fall before or after the commit and see what the transaction wrote
            // (CommitAfterReadsAheadTest): only steps the daemon has answered, or this connection's, are ahead
            return ahead.stream().allMatch(a -> a.done() != null || a.step().conn().equals(step.conn())
                    || arrivals.containsKey(a.index()));
        }
        if (!(c instanceof Command.Send send)) {
            return false;
        }
        String path;
        if (send.request() instanceof Request.NodeRequest node) {
            path = node.path();
        } else if (send.request() instanceof Request.Watch w) {
            path = w.path();
        } else {
            return false;
        }
        String absolute = absolute(step.conn(), path);
        return ahead.stream().noneMatch(a -> a.holdsBack(step, absolute));
    }

    /** Sends {@code step} ahead if it may go (see {@link #sendsAhead}), after the steps ahead of it. */
    private Optional<Ahead> sendAhead(TraceLine.Step step) {
        if (!rootPrepared || !introduced.isEmpty() || !(step.command() instanceof Command.Send send)
                || !(send.request() instanceof Request.NodeRequest node) || gone().contains(step.conn())
                || treeEvery > 0 && (index + 1) % treeEvery == 0) {
            return Optional.empty();
        }
        String path = absolute(step.conn(), node.path());
        long tm = System.nanoTime();
        Outcome outcome = model.predict(step);
        clock.since(StepClock.Phase.MODEL, tm);
        if (outcome.allowed().size() != 1 || !outcome.allowed().iterator().next().events().isEmpty()) {
            return Optional.empty();
        }
        // A step ahead on another connection that may answer differently after this one: its reply is awaited first
        // (the daemon has done it then), not compared; this one still goes ahead.
        for (Ahead a : ahead) {
            if (a.holdsBack(step, path) && arrival(a).failure() != null) {
                return Optional.empty(); // compared one step at a time, which reports the failure
            }
        }
        Allowed only = outcome.allowed().iterator().next();
        CompletableFuture<Reply> reply;
        long t0 = System.nanoTime();
        try {
            reply = target.start(step);
        } catch (RuntimeException e) {
            return Optional.empty(); // run one step at a time, which reports the failure as it does
        } finally {
            clock.since(StepClock.Phase.SEND, t0);
        }
        noteCaseStart();
        eventsLeftOut |= !reads(step) && !liveWatchers(model.state()).isEmpty();
        Ahead a = new Ahead(index++, step, reply, only, outcome.rule().id(), path, model.state(), null);
        model.follow(step, only);
        ahead.add(a);
        batched = true;
        eventsOwed = true;
        return Optional.of(a);
    }

    /**
     * Whether requests for these two paths may answer differently in either order: one path lies
     * above, below or at the other's parent (a write creates missing parents, a create or a
     * removal answers by whether the parent exists, a removal takes the subtree). Compared as
     * strings, so {@code /a} and {@code /ab} count too; {@code /} and special paths touch everything.
     */
    static boolean mayInteract(String p, String q) {
        if (p.startsWith("@") || q.startsWith("@")) {
            return true;
        }
        return related(p, q) || related(TreeCheck.parentOf(p), q) || related(TreeCheck.parentOf(q), p);
    }

    /**
     * Two requests that change nothing (READ, DIRECTORY, DIRECTORY_PART, GET_PERMS): on two connections they
     * answer the same in either order, whatever their paths.
     */
    static boolean bothRead(TraceLine.Step one, TraceLine.Step other) {
        return reads(one) && reads(other);
    }

    private static boolean reads(TraceLine.Step step) {
        return step.command() instanceof Command.Send s && (s.request() instanceof Request.Read
                || s.request() instanceof Request.Directory || s.request() instanceof Request.DirectoryPart
                || s.request() instanceof Request.GetPerms);
    }

    private static boolean related(String p, String q) {
        return p.startsWith(q) || q.startsWith(p);
    }

    /** A guest's relative path as the daemon resolves it (below its domain's home). */
    private String absolute(String conn, String path) {
        if (path.startsWith("/") || path.startsWith("@")) {
            return path;
        }
        return "/local/domain/" + domids.getOrDefault(conn, 0) + "/" + path;
    }

    /**
     * Compares the steps sent ahead, oldest first, until one diverges; those after it are left
     * unanswered (the case ends there, and its target is not reused). Call after the last step.
     */
    public List<StepResult> settle() {
        return flush();
    }

    /**
     * Compares the steps sent ahead in order. Each is judged as a step run alone is, in the model's state it was
     * predicted in (the model followed the steps after it already; no step that goes ahead starts a transaction,
     * so that state is all there is to go back to): the same notes, the same signature, the same causes. A
     * divergence found here is still confirmed one step at a time before it is reported ({@link #batched}); with
     * its signature the same, a repeat of one a fresh target showed needs no replay.
     */
    private List<StepResult> flush() {
        List<StepResult> out = new ArrayList<>();
        ModelState now = model.state();
        // A connection answers in order: with the last step ahead on each connection awaited first, the replies
        // before it are in by then, and are taken without waking this thread once for each.
        Map<String, Ahead> lastOnEach = new HashMap<>();
        ahead.stream().filter(a -> a.done() == null).forEach(a -> lastOnEach.put(a.step().conn(), a));
        lastOnEach.values().forEach(this::arrival);
        while (!ahead.isEmpty()) {
            Ahead a = ahead.poll();
            if (a.done() != null) {
                out.add(a.done());
                if (a.done().divergence().isPresent()) {
                    ahead.clear();
                    arrivals.clear();
                    return out;
                }
                continue;
            }
            Arrival got = arrival(a);
            arrivals.remove(a.index());
            Reply actual = got.reply();
            SutException failure = got.failure();
            List<Allowed> allowed = List.of(a.allowed());
            Divergence divergence = null;
            model.restore(a.before());
            if (failure != null) {
                divergence = new Divergence("crash", Signatures.crash(keyword(a.step()), failure, logTail()), a.index(),
                        TraceWriter.line(a.step().withoutExpect()), describe(allowed), failure.getMessage(), a.rule());
            } else if (!comparison.sameReply(a.allowed().reply(), actual)) {
                divergence = replyDivergence(a.index(), a.step(), a.rule(), allowed, actual);
            }
            noteMkdirOfRemoved(a.step(), actual);
            divergence = byCauses(divergence, a.step(), a.allowed(), actual, allowed, Map.of());
            model.restore(a.allowed().next());
            divergence = migrationCause(a.step(), divergence, actual);
            out.add(new StepResult(a.index(), a.step(), a.rule(), List.of(a.allowed().reply()), a.allowed().reply(),
                    Optional.ofNullable(actual), Map.of(), Map.of(), Optional.empty(), Optional.ofNullable(divergence),
                    false));
            if (divergence != null) {
                ahead.clear();
                arrivals.clear();
                return out;
            }
        }
        model.restore(now);
        return out;
    }

    /** The target's reply to a step sent ahead, awaited once (again when compared, it is the same). */
    private Arrival arrival(Ahead a) {
        Arrival got = arrivals.get(a.index());
        if (got != null) {
            return got;
        }
        long tw = System.nanoTime();
        try {
            Reply r = target.await(a.step(), a.reply());
            target.completed(a.step(), r);
            got = new Arrival(r, null);
        } catch (SutException e) {
            got = new Arrival(null, e);
        } catch (RuntimeException e) {
            got = new Arrival(null, targetThrew(e));
        } finally {
            clock.since(StepClock.Phase.REPLY_WAIT, tw);
        }
        arrivals.put(a.index(), got);
        return got;
    }

    /** Records this session's time on {@code c} (a run's clock, shared by its cases). */
    public Lockstep timedBy(StepClock c) {
        this.clock = c;
        return this;
    }

    public ModelSession model() {
        return model;
    }

    public Optional<TargetSession> target() {
        return Optional.ofNullable(target);
    }

    public ReplyComparison comparison() {
        return comparison;
    }

    public void declare(TraceLine.Conn conn) {
        if (conn.guest() && ringsInUse.containsKey(conn.domid()) && !ringsInUse.get(conn.domid()).equals(conn.name())) {
            throw new TraceUseException("conn " + conn.name() + " domU " + conn.domid() + ": dom" + conn.domid()
                    + "'s ring still serves connection " + ringsInUse.get(conn.domid())
                    + " (a guest has one ring: a kill of the domain must end that connection first)");
        }
        if (conn.guest()) {
            ringsInUse.put(conn.domid(), conn.name());
        }
        introduced.addAll(model.introductionEvents(conn));
        // a connection an earlier case on this target used numbers its transactions on (a stale transaction's id after
        // a live update then reaches a new transaction on the target only as it does in the model)
        long nextTxId = target == null ? 1 : target.declare(conn);
        model.declare(conn, nextTxId);
        domids.put(conn.name(), conn.domid());
    }

    /** Connections that can no longer be used: the model dropped them (their domain died or was released). */
    public Set<String> gone() {
        Set<String> out = new HashSet<>(gone);
        for (String name : domids.keySet()) {
            if (model.state().connection(name).isEmpty()) {
                out.add(name);
            }
        }
        return out;
    }

    /** Runs one step of the trace (moved to the claimed case root where the trace had another). */
    public StepResult step(TraceLine.Step step) {
        if (!rootPrepared) {
            throw new IllegalStateException("prepareCaseRoot() comes before the first step");
        }
        if (!ahead.isEmpty()) {
            throw new IllegalStateException("steps sent ahead are compared (advance) before a step runs alone");
        }
        return run(relocation == null ? step : relocation.step(step));
    }

    private StepResult run(TraceLine.Step step) {
        return run(step, null);
    }

    /**
     * One step; {@code beforeAwait}, when given, runs once the step is sent and predicted and
     * before its reply is awaited (the steps ahead of it are compared there). Null when that
     * found a divergence: the case ends before this step's reply is looked at.
     */
    private StepResult run(TraceLine.Step step, java.util.function.BooleanSupplier beforeAwait) {
        if (gone().contains(step.conn())) {
            throw new TraceUseException("step " + (index + 1) + " (" + TraceWriter.line(step.withoutExpect())
                    + ") uses connection " + step.conn() + ", which is gone: its domain died or was released before it");
        }
        noteCaseStart();
        int i = index++;
        if (step.command() instanceof Command.Events) {
            return eventsStep(i, step);
        }
        if (step.command() instanceof Command.Send s && (s.request() instanceof Request.Watch
                || s.request() instanceof Request.Raw raw && raw.op() == io.xscheck.protocol.Op.WATCH)) {
            // A raw WATCH registers a watch too where the target accepts its payload (QEMU: a missing token is empty).
            watchers.add(step.conn());
        }
        SutException failure = null;
        Map<String, List<WatchEvent>> owed = Map.of();
        // a barrier to every live watcher: with this step's events as expected, nothing left out before is owed
        boolean everyWatcher = false;
        if (batching && eventsOwed && mayEndConnections(step)) {
            // A connection may be gone after this step, with an event a left-out barrier did not see: drained now,
            // and compared with this step's (the model owes none of them).
            try {
                long tb = System.nanoTime();
                owed = confined(target.barrier(liveWatchers(model.state())));
                everyWatcher = true;
                clock.since(StepClock.Phase.BARRIER, tb);
                eventsOwed = false;
            } catch (SutException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = targetThrew(e);
            }
        }
        CompletableFuture<Reply> pending = null;
        ModelState beforeRestart = model.state();
        Map<Integer, QuotaFigures> quotasBefore = quotasAround(step, beforeRestart);
        if (target != null && failure == null && isRestart(step) && wholeTree && !rootOwnerWasUnreadable) {
            // a restart rewrites an unreadable owner of / into a readable one (oxenstored restores it as n0, gate
            // seed 50027): what the tree shows afterwards still has that one cause
            rootOwnerWasUnreadable = rootOwnerUnreadable();
        }
        // the barrier's request on the step's own connection, sent right behind the step (see barrierBehind)
        CompletableFuture<Reply> behind = null;
        // Most steps are predicted while the target works on them; the two whose sending depends on the prediction
        // are predicted first, once.
        long te = System.nanoTime();
        Outcome early = target != null && (isWatch(step) || step.command() instanceof Command.LiveUpdate)
                ? model.predict(step) : null;
        clock.since(StepClock.Phase.MODEL, te);
        if (target != null && failure == null) {
            long t0 = System.nanoTime();
            try {
                pending = target.start(step, unexpectedRelease(step) ? UNEXPECTED_RELEASE_BOUND : null,
                        updateHeldBack(step, early));
                if (barrierBehind(step, early)) {
                    behind = target.barrierRequest(step.conn());
                }
            } catch (SutException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = targetThrew(e);
            } finally {
                // a kill's bounded wait for a release that never came is sending too, not time outside the phases
                clock.since(StepClock.Phase.SEND, t0);
            }
        }
        long tm = System.nanoTime();
        Outcome outcome = early != null ? early : model.predict(step);
        clock.since(StepClock.Phase.MODEL, tm);
        List<Allowed> allowed = new ArrayList<>(outcome.allowed());
        if (!wholeTree) {
            othersMayConflict(step, allowed);
        }
        if (!introduced.isEmpty()) {
            ImmutableMultiset<Delivery> carried = ImmutableMultiset.copyOf(introduced);
            introduced.clear();
            allowed.replaceAll(a -> new Allowed(a.reply(), a.next(),
                    ImmutableMultiset.<Delivery>builder().addAll(a.events()).addAll(carried).build()));
        }
        Reply actual = null;
        Map<String, List<WatchEvent>> targetEvents = Map.of();
        if (beforeAwait != null && !beforeAwait.getAsBoolean()) {
            return null;
        }
        if (target != null && failure == null) {
            try {
                long tw = System.nanoTime();
                try {
                    actual = target.await(step, pending);
                } finally {
                    // a hang's wait (about 2.5 s) is a reply wait too
                    clock.since(StepClock.Phase.REPLY_WAIT, tw);
                }
                target.completed(step, actual);
                if (quiet(step, allowed)) {
                    eventsOwed = true;
                } else {
                    long tb = System.nanoTime();
                    Set<String> live = liveWatchers(allowed.get(0).next());
                    Set<String> due = due(allowed, live);
                    targetEvents = confined(behind != null && due.equals(Set.of(step.conn()))
                            ? target.barrier(step.conn(), behind) : target.barrier(due));
                    clock.since(StepClock.Phase.BARRIER, tb);
                    // A watcher left out may hold an event a faulty target sent: the next barrier or finish() sees it.
                    eventsOwed = due.size() < live.size();
                    batched |= due.size() < live.size();
                    eventsLeftOut |= due.size() < live.size();
                    everyWatcher |= due.size() == live.size();
                }
            } catch (SutException e) {
                failure = e;
            } catch (RuntimeException e) {
                failure = targetThrew(e);
            }
        }
        if (owed.values().stream().anyMatch(evs -> !evs.isEmpty())) {
            targetEvents = merge(owed, targetEvents);
        }
        Allowed chosen = null;
        Divergence divergence = null;
        if (target == null) {
            chosen = allowed.stream()
                    .filter(a -> step.expect().map(e -> e.matches(a.reply())).orElse(false))
                    .findFirst().orElse(allowed.get(0));
        } else if (failure != null) {
            chosen = allowed.get(0);
            divergence = new Divergence("crash", Signatures.crash(keyword(step), failure, logTail()), i,
                    TraceWriter.line(step.withoutExpect()), describe(allowed), failure.getMessage(), outcome.rule().id());
        } else {
            chosen = choose(allowed, actual, targetEvents);
            for (int retry = 0; chosen == null && retry < EVENT_RETRIES && handledAsynchronously(step)
                    && fewerEvents(allowed, actual, targetEvents); retry++) {
                sleepBriefly(retry);
                targetEvents = merge(targetEvents, confined(target.barrier(due(allowed, liveWatchers(allowed.get(0).next())))));
                chosen = choose(allowed, actual, targetEvents);
            }
            if (chosen == null) {
                final Reply got = actual;
                // Of the outcomes with that reply, the one whose events the target's are closest to is the one its
                // divergence is told against (gate seed 79104, QEMU: of a commit's two walk orders, the one where the
                // guest's extra event is the only difference, which the XSA-115 cause names, not the other's)
                final Map<String, List<WatchEvent>> gotEvents = targetEvents;
                Optional<Allowed> sameReply = allowed.stream().filter(a -> comparison.sameReply(a.reply(), got))
                        .min(java.util.Comparator.comparingInt(a -> eventsApart(byConn(a.events()), gotEvents)));
                if (sameReply.isPresent()) {
                    chosen = sameReply.get();
                    divergence = new Divergence("events", lostAtMigration(byConn(chosen.events()), targetEvents)
                            ? LOST_AT_MIGRATION
                            : misplacedAtCommit(step, actual, byConn(chosen.events()), targetEvents) ? MISPLACED_AT_COMMIT
                            : Signatures.events(keyword(step), outcome.rule().id(),
                            byConn(chosen.events()), targetEvents, model.state(), chosen.next(), caseRoot,
                            model::guestMayRead, changeAcls(step)), i,
                            TraceWriter.line(step.withoutExpect()), describeEvents(chosen.events()),
                            describeEvents(targetEvents), outcome.rule().id());
                } else {
                    chosen = allowed.get(0);
                    divergence = replyDivergence(i, step, outcome.rule().id(), allowed, actual);
                }
            }
        }
        noteMkdirOfRemoved(step, actual);
        if (step.command() instanceof Command.LiveUpdate && (new Reply.Text("OK").equals(actual)
                || new Reply.Value(io.xscheck.protocol.Bytes.latin1("OK")).equals(actual))) {
            liveUpdated = true;
        }
        followWatchLists(step, actual);
        divergence = byCauses(divergence, step, chosen, actual, allowed, targetEvents);
        conflictBlame.follow(step, ringsInUse.containsValue(step.conn()), actual);
        noteFreedTarget(step, actual);
        noteKeptAtRelease(step, actual, chosen == null ? model.state() : chosen.next());
        model.follow(step, chosen);
        Map<String, List<WatchEvent>> modelEvents = byConn(chosen.events());
        modelEvents.forEach((c, evs) -> modelPending.computeIfAbsent(c, k -> new ArrayList<>()).addAll(evs));
        targetEvents.forEach((c, evs) -> targetPending.computeIfAbsent(c, k -> new ArrayList<>()).addAll(evs));
        noteGone(step, chosen.reply());
        if (target != null && failure == null && wholeTree && !rootOwnerWasUnreadable
                && ownerOfRootGone(step, beforeRestart, actual, model.dialect().domains().releaseOfUnknownDomainResetsIt())) {
            // oxenstored gives / an owner no client can read when that domain goes, and nodes made below it meanwhile
            // keep that owner even once a SET_PERMS of / makes it readable again, to go at the next domain's
            // cleanup (gate seed 75117): asked now, at the one step that can cause it
            rootOwnerWasUnreadable = rootOwnerUnreadable();
        }
        if (step.command() instanceof Command.Kill k) {
            // the harness closed the guest's ring (XenDaemonSut.killDomain): a new connection may take it
            ringsInUse.remove(k.domid());
        }
        rootedElsewhereAtMigration = false;
        if (target != null && step.command() instanceof Command.Migrate && ok(actual)) {
            model.openTransactions().keySet().stream().filter(name -> !model.wrote(name)).forEach(unwrittenAtMigration::add);
        }
        Reply answer = target == null ? chosen.reply() : actual;
        boolean failed = answer != null && step.expect().map(e -> !e.matches(answer)).orElse(false);
        if (divergence == null && target != null && isRestart(step) && ok(actual)) {
            divergence = afterRestart(i, step).or(() -> quotaDivergence(i, step, quotasBefore, beforeRestart, answer))
                    .orElse(null);
        } else if (divergence == null && target != null && treeEvery > 0 && index % treeEvery == 0) {
            divergence = treeDivergence(i, step, checkedTree).orElse(null);
        }
        divergence = migrationCause(step, divergence, actual);
        if (step.command() instanceof Command.EndTx e && unwrittenAtMigration.remove(e.name()) && e.commit()
                && actual instanceof Reply.Ok) {
            brokenTransactionCommitted = true;
        }
        if (everyWatcher && divergence == null) {
            eventsLeftOut = false;
        }
        return new StepResult(i, step, outcome.rule().id(), allowed.stream().map(Allowed::reply).toList(), chosen.reply(),
                Optional.ofNullable(actual), modelEvents, targetEvents, Optional.empty(),
                Optional.ofNullable(divergence), failed);
    }

    /**
     * A step whose reply no allowed outcome has (the model's state still the one before the step): its category,
     * and a signature that says how the replies differ, or that a transaction's view kept a node it removed.
     */
    private Divergence replyDivergence(int i, TraceLine.Step step, String rule, List<Allowed> allowed, Reply actual) {
        Reply expected = allowed.get(0).reply();
        String category = category(step, expected, actual);
        boolean removedNodeSeen = step.command() instanceof Command.Send sent
                && (Signatures.removedNodeSeen(sent.request(), expected, actual, removedInTransaction(step, sent.request()))
                || listedTooLongWithRemovedChildren(step, sent.request(), expected, actual)
                || aclOfRemovedAncestor(step, sent.request(), expected, actual));
        return new Divergence(category, removedNodeSeen ? category + ":transaction-view-keeps-removed-node"
                : category.equals("reply")
                ? Signatures.sameKind(keyword(step), rule, expected, actual, model.state(),
                        step.command() instanceof Command.Send send && send.request() instanceof Request.NodeRequest n
                                && n.path().startsWith("/") ? n.path() : null, touched(step), removedBy(step))
                : Signatures.reply(category, keyword(step), rule, kind(expected), kind(actual)), i,
                TraceWriter.line(step.withoutExpect()), describe(allowed), String.valueOf(actual), rule);
    }

    /**
     * A step's divergence named by its cause where one known cause explains it (see {@link #byCause} and those
     * after it); judged against the state after the step ({@code chosen}'s): a RELEASE the target answers but does
     * not carry out shows at that step.
     */
    private Divergence byCauses(Divergence divergence, TraceLine.Step step, Allowed chosen, Reply actual,
                                List<Allowed> allowed, Map<String, List<WatchEvent>> targetEvents) {
        divergence = byCause(divergence, step, chosen == null ? model.state() : chosen.next(), removedRoot(step, actual));
        divergence = foreignTransaction(step, divergence, actual);
        divergence = slashWatch(step, divergence, actual);
        divergence = targetIgnoredAfterLiveUpdate(step, divergence, actual, targetEvents);
        divergence = watchLostAtMigration(step, divergence, actual);
        divergence = deadDomainEntryHonoured(step, divergence, actual, allowed);
        divergence = deadOwnerAccounting(step, divergence, actual, allowed);
        divergence = conflictBlameRaise(step, divergence, actual, allowed);
        divergence = deadDomainEntryHonouredInEvents(divergence, byConn(chosen.events()), targetEvents);
        return freedTarget(step, divergence, byConn(chosen.events()), targetEvents, actual, allowed);
    }

    /**
     * A kill of a domain the model's dialect says the daemon never releases (C: a domain some
     * introduced domain targets): the target's wait for that release is cut to
     * {@link #UNEXPECTED_RELEASE_BOUND}. The step is still sent and its hang reported as before;
     * only the wait is shorter.
     */
    private boolean unexpectedRelease(TraceLine.Step step) {
        return step.command() instanceof Command.Kill k && model.dialect().domains().targetedDomainNeverReleased()
                && targeted(model.state(), k.domid());
    }

    /**
     * A WATCH whose barrier is due on its own connection alone (the initial event is all it expects): the barrier's
     * request goes out right behind it, so the step waits one round trip, not two. A daemon answers one connection's
     * requests in order and queues the initial event while it handles the WATCH (RELEASE-4.17.7
     * xenstored_watch.c do_watch: send_ack, then send_event; process.ml do_watch: fired by the Ack's callback; QEMU
     * xenstore_impl.c xs_impl_watch: "A new watch should fire immediately"), so the barrier's reply still comes
     * after every event the WATCH queued. Only a well-formed WATCH: a malformed request may leave a daemon waiting for more
     * input (oxenstored's empty READ), which a request sent behind it would hide.
     */
    private boolean barrierBehind(TraceLine.Step step, Outcome predicted) {
        if (!isWatch(step) || !introduced.isEmpty() || gone().contains(step.conn())) {
            return false;
        }
        List<Allowed> allowed = new ArrayList<>(predicted.allowed());
        return !quiet(step, allowed) && due(allowed, liveWatchers(allowed.get(0).next())).equals(Set.of(step.conn()));
    }

    private static boolean isWatch(TraceLine.Step step) {
        return step.command() instanceof Command.Send s && s.request() instanceof Request.Watch;
    }

    /** The daemon's answer while it holds a live update back (oxenstored's, without a NUL). */
    private static final Reply HELD_BACK = new Reply.Value(io.xscheck.protocol.Bytes.latin1("BUSY"));

    /** A live update whose every allowed answer is the daemon holding it back (see {@link TargetSession#start}). */
    private static boolean updateHeldBack(TraceLine.Step step, Outcome predicted) {
        return step.command() instanceof Command.LiveUpdate
                && predicted.allowed().stream().allMatch(a -> HELD_BACK.equals(a.reply()));
    }

    /** Whether one of the model's introduced domains (perhaps {@code domid} itself) has {@code domid} as its target. */
    static boolean targeted(io.xscheck.model.ModelState state, int domid) {
        return state.domains().values().stream().anyMatch(d -> d.target() == domid);
    }

    static boolean isRestart(TraceLine.Step step) {
        return step.command() instanceof Command.LiveUpdate || step.command() instanceof Command.Migrate;
    }

    private static boolean ok(Reply r) {
        return r != null && !(r instanceof Reply.Error);
    }

    /**
     * What a restart must have kept, beyond the replies that follow: every connection still open
     * answers (sockets and guest rings: a request on each, whose reply comes after any event the
     * restart queued there, which goes on to the next {@code events} comparison), and the whole
     * tree with its ACLs is the model's. The process itself is the same one: the target fails the
     * step when it is not.
     */
    private Optional<Divergence> afterRestart(int i, TraceLine.Step step) {
        Set<String> open = new TreeSet<>(domids.keySet());
        open.removeAll(gone());
        try {
            confined(target.barrier(open)).forEach((c, evs) -> {
                if (watchers.contains(c)) {
                    targetPending.computeIfAbsent(c, k -> new ArrayList<>()).addAll(evs);
                }
            });
        } catch (SutException e) {
            // A daemon that died over the restart is one bug however its death shows (the restart's own answer or a
            // connection after it): named by how it died, as any crash.
            String signature = e.kind() == SutException.Kind.DIED ? Signatures.crash(keyword(step), e, logTail())
                    : "crash:" + keyword(step) + ":connections:" + e.kind();
            return Optional.of(new Divergence("crash", signature, i,
                    TraceWriter.line(step.withoutExpect()), "every connection answers after the restart",
                    e.getMessage(), io.xscheck.model.Rule.RESTARTS_QUIET.id()));
        }
        return treeDivergence(i, step).or(() -> step.command() instanceof Command.Migrate
                ? transactionViews(i, step) : Optional.empty());
    }

    /**
     * After a migration, each open transaction still sees its own tree: DIRECTORY of {@code /} in it,
     * on the target and the model, the unwritten ones first (see {@link #migrationCause}). Only there:
     * on C and oxenstored a read in a transaction joins its read set, which could decide a later
     * commit; QEMU's commit looks at no reads. The signature says how the view differs.
     */
    private Optional<Divergence> transactionViews(int i, TraceLine.Step step) {
        List<Map.Entry<String, String>> open = new ArrayList<>(model.openTransactions().entrySet());
        open.sort(java.util.Comparator.comparing(tx -> model.wrote(tx.getKey())));
        for (Map.Entry<String, String> tx : open) {
            TraceLine.Step look = TraceLine.Step.inTx(tx.getValue(), tx.getKey(), new Command.Send(new Request.Directory("/")));
            Outcome expected = model.predict(look);
            Reply got;
            try {
                got = target.await(look, target.start(look));
            } catch (SutException e) {
                return Optional.of(new Divergence("crash", Signatures.crash(keyword(step), e, logTail()), i,
                        TraceWriter.line(look), describe(new ArrayList<>(expected.allowed())), e.getMessage(), "harness"));
            }
            if (expected.allowed().stream().noneMatch(a -> comparison.sameReply(a.reply(), got))) {
                rootedElsewhereAtMigration = !model.wrote(tx.getKey()) && rootedElsewhere(got, look);
                return Optional.of(new Divergence("transaction", "transaction:" + keyword(step) + ":view of / in an open"
                        + " transaction:" + Signatures.view(expected.allowed().iterator().next().reply(), got,
                        model.state(), touched(look)), i, TraceWriter.line(step.withoutExpect()) + "; then " + TraceWriter.line(look),
                        describe(new ArrayList<>(expected.allowed())), String.valueOf(got), expected.rule().id()));
            }
        }
        return Optional.empty();
    }

    /**
     * The target's quota figures before a live update (see {@link QuotaCheck}); empty for other steps
     * and for a target that reports none. Read on the inspector, so no trace connection sends more.
     */
    private Map<Integer, QuotaFigures> quotasAround(TraceLine.Step step, ModelState s) {
        if (target == null || !(step.command() instanceof Command.LiveUpdate)) {
            return Map.of();
        }
        long t0 = System.nanoTime();
        try {
            return QuotaCheck.read(target.inspector(), QuotaCheck.domains(s));
        } catch (SutException e) {
            return Map.of(); // the step itself meets the same failure and reports it
        } finally {
            clock.since(StepClock.Phase.TREE_CHECK, t0);
        }
    }

    /**
     * How far dom0's entries count stood from a fresh daemon's when this case began, on a target whose restart counts
     * the entries anew (oxenstored: an earlier case's RM of / left it one short, and the reset puts back the tree, not
     * the count; {@link io.xscheck.sut.AccountingAtReset}); 0 elsewhere. A fresh target carries nothing.
     */
    private long dom0EntriesCarried() {
        if (!model.dialect().restartKnobs().entriesCountedAnewAtRestart()) {
            return 0;
        }
        return target.sut().accountingAtReset().map(a -> {
            Optional<QuotaFigures> fresh = QuotaFigures.parse(a.fresh());
            Optional<QuotaFigures> now = QuotaFigures.parse(a.afterReset());
            if (fresh.isEmpty() || now.isEmpty() || !fresh.get().byName().containsKey("entries")
                    || !now.get().byName().containsKey("entries")) {
                return 0L;
            }
            return now.get().byName().get("entries") - fresh.get().byName().get("entries");
        }).orElse(0L);
    }

    /** The figures after the restart against those before, as the model's states before and after say. */
    private Optional<Divergence> quotaDivergence(int i, TraceLine.Step step, Map<Integer, QuotaFigures> before,
                                                 ModelState modelBefore, Reply answer) {
        if (before.isEmpty()) {
            return Optional.empty();
        }
        long t0 = System.nanoTime();
        try {
            Map<Integer, QuotaFigures> after = QuotaCheck.read(target.inspector(), before.keySet());
            // an update held back (oxenstored's BUSY) or refused counted nothing
            boolean restarted = io.xscheck.sut.RestartAnswer.wentAhead(answer);
            long carried = entriesCountedAnew || !restarted ? 0 : dom0EntriesCarried();
            entriesCountedAnew |= restarted && model.dialect().restartKnobs().entriesCountedAnewAtRestart();
            return QuotaCheck.compare(before, after, modelBefore, model.state(),
                    model.dialect().restartKnobs().dom0MemoryGrowthAtFirstRestart(), carried).map(d -> new Divergence("quota",
                    d.signature(keyword(step)), i, TraceWriter.line(step.withoutExpect()),
                    "quota figures as before the restart", d.text(), "QuotaCheck"));
        } catch (SutException e) {
            return Optional.of(new Divergence("crash", Signatures.crash("quota", e, ""), i, "(reading quota figures)",
                    "the figures", e.getMessage(), "QuotaCheck"));
        } finally {
            clock.since(StepClock.Phase.TREE_CHECK, t0);
        }
    }

    /**
     * The target's whole tree as {@link #finish}'s whole check read it, when that check agreed with the model (a reset
     * may start from it: {@link io.xscheck.sut.Sut#reset(Set, Set, io.xscheck.sut.TreeImage)}).
     */
    public Optional<io.xscheck.sut.TreeImage> seenAtEnd() {
        return Optional.ofNullable(seenAtEnd);
    }

    /** The final whole-tree comparison; empty when the trees agree or there is no target. */
    public Optional<Divergence> finish() {
        if (target == null) {
            return Optional.empty();
        }
        for (StepResult r : flush()) {
            if (r.divergence().isPresent()) {
                return r.divergence();
            }
        }
        // One more request on every connection still open: a daemon that a rejected request left
        // broken (C xenstored aborts at the next request on that connection) shows it here, with
        // this case's trace, rather than at the start of whichever case comes next.
        Set<String> open = new TreeSet<>(domids.keySet());
        open.removeAll(gone());
        Map<String, List<WatchEvent>> late;
        try {
            late = confined(target.barrier(open));
        } catch (SutException e) {
            return Optional.of(new Divergence("crash", Signatures.crash("end", e, logTail()), index - 1, "(a request on every open"
                    + " connection after the last step)", "answers", e.getMessage(), "harness"));
        }
        // A connection declared after the last step (a domain back under its id) fired @introduceDomain: due here.
        Map<String, List<WatchEvent>> due = byConn(ImmutableMultiset.copyOf(introduced));
        introduced.clear();
        if (eventsOwed || !due.isEmpty()) {
            // The last steps left their barriers out: what a watcher got since is compared here (the model expects
            // nothing but those introductions).
            Map<String, List<WatchEvent>> seen = new LinkedHashMap<>();
            late.forEach((c, evs) -> {
                if ((watchers.contains(c) || due.containsKey(c)) && !evs.isEmpty()) {
                    seen.put(c, evs);
                }
            });
            boolean same = seen.keySet().equals(due.keySet()) && due.entrySet().stream().allMatch(e ->
                    HashMultiset.create(e.getValue()).equals(HashMultiset.create(seen.get(e.getKey()))));
            if (!same) {
                return Optional.of(migrationCause(null, new Divergence("events", Signatures.events("end", "Watches",
                        due, seen, model.state(), model.state(), caseRoot, model::guestMayRead), index - 1,
                        "(after the last step)", due.isEmpty() ? "[]" : describeEvents(due), describeEvents(seen), "Watches"),
                        null));
            }
        }
        // What the target answered, for its reset (Sut#reset(Set, Set, TreeImage)); not asked of one whose reset
        // renews its state (QEMU's reads nothing back) nor of a shared daemon (its case root is not the whole tree).
        Map<String, io.xscheck.sut.TreeImage.Node> seen = wholeTree && !target.sut().resetRenewsState()
                ? new LinkedHashMap<>() : null;
        Optional<Divergence> tree = treeDivergence(index - 1, null, null, seen);
        if (tree.isEmpty() && seen != null) {
            seenAtEnd = new io.xscheck.sut.TreeImage(com.google.common.collect.ImmutableMap.copyOf(seen));
        }
        return tree.map(d -> migrationCause(null, d, null));
    }

    /**
     * On a daemon the engine shares with other clients (a live host's), a transaction may also
     * fail with EAGAIN because somebody else wrote meanwhile: the model cannot see those writes,
     * and xenstore.txt ("TRANSACTION_END ... EAGAIN") tells every client to be ready to retry. A
     * failed commit leaves the state as an abort does and fires nothing.
     */
    private void othersMayConflict(TraceLine.Step step, List<Allowed> allowed) {
        if (!(step.command() instanceof Command.EndTx e) || !e.commit()) {
            return;
        }
        Reply eagain = new Reply.Error("EAGAIN");
        if (allowed.stream().anyMatch(a -> a.reply().equals(eagain))) {
            return;
        }
        Outcome abort = model.predict(new TraceLine.Step(step.conn(), step.tx(), new Command.EndTx(e.name(), false),
                Optional.empty()));
        abort.allowed().stream().filter(a -> a.reply() instanceof Reply.Ok).findFirst()
                .ifPresent(a -> allowed.add(Allowed.of(eagain, a.next())));
    }

    /** On a shared daemon, events outside the case root are other clients' business. */
    private Map<String, List<WatchEvent>> confined(Map<String, List<WatchEvent>> events) {
        if (wholeTree) {
            return events;
        }
        Map<String, List<WatchEvent>> out = new LinkedHashMap<>();
        events.forEach((c, evs) -> out.put(c, evs.stream().filter(ev -> TreeCheck.under(ev.path(), caseRoot)).toList()));
        return out;
    }

    /** Before the case's first step: the target's tree is the model's (a reset daemon, or a fresh case root). */
    private void noteCaseStart() {
        if (index == 0 && target != null) {
            checkedTree = model.state().tree();
        }
    }

    private Optional<Divergence> treeDivergence(int i, TraceLine.Step step) {
        return treeDivergence(i, step, null, null);
    }

    private Optional<Divergence> treeDivergence(int i, TraceLine.Step step, io.xscheck.model.Tree since) {
        return treeDivergence(i, step, since, null);
    }

    /**
     * The tree check: whole, or (given the tree the target last agreed with) of what changed since. {@code seen}, for
     * a whole check: filled with what the target answered (see {@link TreeCheck#compare}); null when not wanted.
     */
    private Optional<Divergence> treeDivergence(int i, TraceLine.Step step, io.xscheck.model.Tree since,
                                                Map<String, io.xscheck.sut.TreeImage.Node> seen) {
        long t0 = System.nanoTime();
        io.xscheck.model.Tree now = model.state().tree();
        checkedTree = null;
        try {
            String root = wholeTree ? "/" : caseRoot;
            Optional<TreeCheck.Difference> found = since == null ? TreeCheck.compare(model.state(), target, root, seen)
                    : TreeCheck.compareSince(since, model.state(), target, root);
            if (found.isEmpty()) {
                checkedTree = now;
            }
            return found.map(diff -> {
                Divergence d = new Divergence("tree", Signatures.tree(diff.kind(), diff.path(), caseRoot), i,
                        step == null ? "(end of trace)" : TraceWriter.line(step.withoutExpect()),
                        "the model's tree", diff.text(), "TreeCheck");
                // a node a domain C kept at its RELEASE owns, or owned then: C removes it when the domain dies at last
                // (gate seed 74001; 4.20 gate seed 79006)
                return inKeptDomainsSubtree(diff.path()) ? keptDomain(d) : byCause(d, null, model.state());
            });
        } catch (SutException e) {
            return Optional.of(new Divergence("crash", Signatures.crash("tree", e, ""), i, "(reading the tree)",
                    "the tree", e.getMessage(), "TreeCheck"));
        } finally {
            clock.since(StepClock.Phase.TREE_CHECK, t0);
        }
    }

    private StepResult eventsStep(int i, TraceLine.Step step) {
        List<WatchEvent> modelGot = modelPending.getOrDefault(step.conn(), new ArrayList<>());
        modelPending.remove(step.conn());
        List<WatchEvent> targetGot = targetPending.getOrDefault(step.conn(), new ArrayList<>());
        targetPending.remove(step.conn());
        Divergence divergence = null;
        if (target != null && !HashMultiset.create(modelGot).equals(HashMultiset.create(targetGot))) {
            divergence = new Divergence("events", lostAtMigration(Map.of(step.conn(), modelGot), Map.of(step.conn(), targetGot))
                    ? LOST_AT_MIGRATION : Signatures.events("events", "Watches", Map.of(step.conn(), modelGot),
                    Map.of(step.conn(), targetGot), model.state(), model.state(), caseRoot, model::guestMayRead), i,
                    TraceWriter.line(step.withoutExpect()),
                    modelGot.toString(), targetGot.toString(), "Watches");
        }
        List<WatchEvent> answer = target == null ? modelGot : targetGot;
        boolean failed = step.expect().map(e -> !e.matchesEvents(answer)).orElse(false);
        return new StepResult(i, step, "events", List.of(), new Reply.Ok(), Optional.empty(),
                Map.of(step.conn(), modelGot), Map.of(step.conn(), targetGot), Optional.of(answer),
                Optional.ofNullable(divergence), failed);
    }

    private Allowed choose(List<Allowed> allowed, Reply actual, Map<String, List<WatchEvent>> events) {
        for (Allowed a : allowed) {
            if (comparison.sameReply(a.reply(), actual) && comparison.sameEvents(a.events(), events)) {
                return a;
            }
        }
        return null;
    }

    /** True when some outcome with the target's reply expects, per connection, more than the target sent yet. */
    private boolean fewerEvents(List<Allowed> allowed, Reply actual, Map<String, List<WatchEvent>> events) {
        for (Allowed a : allowed) {
            if (!comparison.sameReply(a.reply(), actual)) {
                continue;
            }
            boolean contained = true;
            boolean fewer = false;
            Set<String> conns = new TreeSet<>(events.keySet());
            a.events().forEach(d -> conns.add(d.conn()));
            for (String c : conns) {
                HashMultiset<WatchEvent> want = ReplyComparison.expected(a.events(), c);
                HashMultiset<WatchEvent> got = HashMultiset.create(events.getOrDefault(c, List.of()));
                contained &= Multisets.containsOccurrences(want, got);
                fewer |= got.size() < want.size();
            }
            contained &= fewer;
            if (contained) {
                return true;
            }
        }
        return false;
    }

    private static Map<String, List<WatchEvent>> merge(Map<String, List<WatchEvent>> a, Map<String, List<WatchEvent>> b) {
        Map<String, List<WatchEvent>> out = new LinkedHashMap<>();
        a.forEach((k, v) -> out.put(k, new ArrayList<>(v)));
        b.forEach((k, v) -> out.computeIfAbsent(k, x -> new ArrayList<>()).addAll(v));
        return out;
    }

    /**
     * The watchers a step's barrier goes to: every live one, or, where steps may go ahead (see
     * {@link #sendsAhead}), those some allowed outcome sends an event. An event a faulty target
     * sends another watcher shows at a later barrier or at {@link #finish}, and the case is then
     * run again one step at a time, with every barrier, before anything is reported.
     */
    private Set<String> due(List<Allowed> allowed, Set<String> live) {
        if (!batching) {
            return live;
        }
        Set<String> out = new TreeSet<>();
        allowed.forEach(a -> a.events().forEach(d -> out.add(d.conn())));
        out.retainAll(live);
        return out;
    }

    /** A step after which a connection may be gone or restarted: anything but a tree, watch or transaction request. */
    private static boolean mayEndConnections(TraceLine.Step step) {
        Command c = step.command();
        if (c instanceof Command.StartTx || c instanceof Command.EndTx || c instanceof Command.Events) {
            return false;
        }
        return !(c instanceof Command.Send s && (s.request() instanceof Request.NodeRequest
                || s.request() instanceof Request.Watch || s.request() instanceof Request.Unwatch
                || s.request() instanceof Request.ResetWatches || s.request() instanceof Request.GetDomainPath
                || s.request() instanceof Request.IsDomainIntroduced));
    }

    /** Watching connections that still exist after the step (a dead domain's connection is gone). */
    private Set<String> liveWatchers(io.xscheck.model.ModelState after) {
        Set<String> out = new TreeSet<>(watchers);
        out.removeAll(gone);
        out.removeIf(c -> after.connection(c).isEmpty());
        return out;
    }

    private void noteGone(TraceLine.Step step, Reply reply) {
        int dead = -1;
        if (step.command() instanceof Command.Kill k) {
            dead = k.domid();
        } else if (step.command() instanceof Command.Send s && s.request() instanceof Request.Release r
                && reply instanceof Reply.Ok) {
            dead = r.domid();
        }
        if (dead > 0) {
            for (Map.Entry<String, Integer> e : domids.entrySet()) {
                if (e.getValue() == dead) {
                    gone.add(e.getKey());
                }
            }
        }
    }

    /** The signature of everything QEMU's migration does to a transaction that had written nothing. */
    static final String MIGRATED_UNWRITTEN_TRANSACTION = "transaction:migrate:a transaction open and unwritten across it";

    /**
     * QEMU 10.0.13 restores a transaction that had written nothing with the wrong root (its root
     * is a reference to the main tree's, which xenstore_impl.c lookup_tx_node looks up by a path
     * read past its end; docs/divergences.md). Every later difference inside such a transaction,
     * at a later migration, or anywhere once one of them committed (its tree replaced the store's)
     * is that one bug, each op and path failing its own way: the signature names the cause, as
     * for a lost root. At the migration itself only what the bug does there is it: the migration's
     * EIO, or an unwritten transaction's view of / rooted elsewhere ({@link #rootedElsewhere}); a
     * guest's view may hide it (its / unreadable there and here), which is why the transactions
     * are followed whatever their view showed. Divergences of cases without it keep their own.
     */
    private Divergence migrationCause(TraceLine.Step step, Divergence d, Reply actual) {
        if (d == null || d.category().equals("crash")) {
            return d;
        }
        // with one open, a migration itself fails (EIO: deserialize found no node at the stale path) or roots them
        // at another node: their view of / is that node's children (another difference at the migration is not it)
        boolean migrating = step != null && step.command() instanceof Command.Migrate
                && model.openTransactions().keySet().stream().anyMatch(name -> !model.wrote(name))
                && (rootedElsewhereAtMigration || actual instanceof Reply.Error e && e.name().equals("EIO"));
        boolean inside = step != null && (step.tx().map(unwrittenAtMigration::contains).orElse(false)
                || step.command() instanceof Command.EndTx e && unwrittenAtMigration.contains(e.name()));
        if (!migrating && !inside && !brokenTransactionCommitted) {
            return d;
        }
        return new Divergence(d.category().equals("tree") ? "tree" : "transaction", MIGRATED_UNWRITTEN_TRANSACTION,
                d.stepIndex(), d.step(), d.expected(), d.actual() + " (" + d.signature() + ")", d.rule());
    }

    /**
     * Whether a transaction's view of {@code /} is what QEMU's deserialize makes of an unwritten transaction,
     * rooted at the stale path it read: the children of a node other than {@code /}, of the store or of the
     * transaction's own tree (gate seed 68010: the store had changed since it started), or a refusal (a node
     * its connection may not read; gate seed 66002).
     */
    private boolean rootedElsewhere(Reply view, TraceLine.Step look) {
        if (view instanceof Reply.Error) {
            return true;
        }
        if (!(view instanceof Reply.Names names)) {
            return false;
        }
        Set<String> got = new HashSet<>(names.names());
        List<io.xscheck.model.Tree> trees = new ArrayList<>();
        trees.add(model.state().tree());
        model.transactionOf(look).ifPresent(tx -> trees.add(tx.view()));
        return trees.stream().anyMatch(tree -> tree.paths().stream()
                .anyMatch(p -> !p.equals("/") && new HashSet<>(tree.node(p).children()).equals(got)));
    }

    /**
     * An RM of {@code /} outside a transaction that the target carried out (QEMU answers OK and is left with no
     * root): the next request on {@code /} kills it (SIGSEGV), so neither {@link #rootLost} nor
     * {@link #rootOwnerUnreadable} asks. Their question would find no cause in a crash, and the divergence keeps
     * its signature either way; but the target would be gone, and with it the reset that lends it to the next
     * case (a tenth of QEMU's cases in a default run started a new server for this). Any other answer is asked
     * about as at any step: C's EACCES, where it lost its root at the death of the domain owning it, is that
     * cause (gate seed 75126).
     */
    private boolean removedRoot(TraceLine.Step step, Reply actual) {
        return step != null && step.tx().isEmpty() && actual instanceof Reply.Ok && step.command() instanceof Command.Send s
                && s.request() instanceof Request.Rm rm && "/".equals(absolute(step, rm.path()));
    }

    /** The model still has {@code /}, but a privileged request for it fails on the target. */
    private boolean rootLost() {
        try {
            return model.state().tree().exists("/")
                    && target.inspector().call(0, new Request.GetPerms("/")) instanceof Reply.Error;
        } catch (SutException | IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * A divergence named by the state that caused it where one known cause explains whatever request shows
     * it: a lost root, a released domain the target kept, a root owner no client can read. {@code after} is the
     * model's state once the step is done.
     */
    private Divergence byCause(Divergence divergence, TraceLine.Step step, ModelState after) {
        return byCause(divergence, step, after, false);
    }

    /** {@link #byCause(Divergence, TraceLine.Step, ModelState)}, where {@code rootRemoved}: see {@link #removedRoot}. */
    private Divergence byCause(Divergence divergence, TraceLine.Step step, ModelState after, boolean rootRemoved) {
        if (divergence == null || divergence.category().equals("crash") || !wholeTree) {
            return divergence;
        }
        if (!rootRemoved && rootLost()) {
            // Once a target has lost its root every later request fails, each in its own way: the signature
            // names that cause (C xenstored deletes / when the domain owning it is released), not the request.
            divergence = new Divergence(divergence.category(), Signatures.tree("missing-on-target", "/", caseRoot),
                    divergence.stepIndex(), divergence.step(), divergence.expected(), divergence.actual()
                    + " (the target's root is gone: dom0's GET_PERMS / fails)", divergence.rule());
        } else if (domainKeptByTarget(after) || step != null && (step.command() instanceof Command.Kill kill
                && keptAtRelease.contains(kill.domid()) || step.command() instanceof Command.Introduce again
                && keptAtRelease.contains(again.domid()) || keptDomainsNode(step))) {
            // C answers OK to a RELEASE of a domain that another one (or itself) targets, and keeps it, its nodes and
            // its connection: every later difference about that domain has this one cause, whatever request shows it,
            // its death included (the target's release of it, the model's second notice) and its introduction again
            // (the target knows it still: no @introduceDomain; gate seed 49008).
            divergence = keptDomain(divergence);
        } else if (mkdirOfRemovedLost(after)) {
            // QEMU: a transaction's MKDIR of a node it removed did nothing (its transaction still saw the node), so
            // the commit dropped the node: one cause, whatever request later shows it.
            divergence = new Divergence("tree", "tree:missing-on-target:transaction-mkdir-of-removed-node",
                    divergence.stepIndex(), divergence.step(), divergence.expected(), divergence.actual()
                    + " (a node a committed transaction removed and made again with MKDIR is missing: dom0's GET_PERMS"
                    + " of it answers ENOENT)", divergence.rule());
        } else if (writeOfRemovedKeptAcl(after)) {
            // QEMU: a transaction's WRITE of a node it removed found the node still there (its transaction still saw
            // it), so the commit kept the old node's ACL where a new node takes its parent's: one cause.
            divergence = new Divergence(divergence.category(), WRITE_OF_REMOVED_KEEPS_ACL,
                    divergence.stepIndex(), divergence.step(), divergence.expected(), divergence.actual()
                    + " (a node a committed transaction removed and wrote again has another ACL on the target: dom0's"
                    + " GET_PERMS of it)", divergence.rule());
        } else if (rootOwnerWasUnreadable || !rootRemoved && rootOwnerUnreadable()) {
            // oxenstored gives / an owner no client can read once the domain owning it is gone, and from then on
            // removes whatever is created below / at the next domain's cleanup: one cause, whatever request shows it.
            divergence = new Divergence(divergence.category(), Signatures.tree("owner-unreadable-on-target", "/", caseRoot),
                    divergence.stepIndex(), divergence.step(), divergence.expected(), divergence.actual()
                    + " (the target's root has or had an owner no client can read: dom0's GET_PERMS / came back malformed)",
                    divergence.rule());
        }
        return divergence;
    }

    /**
     * A request naming another connection's open transaction, which the model refuses as unknown to the
     * caller, and the target carried out: the target let one connection into another's transaction (QEMU:
     * xenstore_impl.c init_walk_op looks a transaction up by id alone). One cause, whatever the request
     * and its answer (a success, or a refusal only a walk of the transaction's tree can give, {@link #WALK_REFUSALS});
     * a target that refuses it some other way keeps the ordinary signature.
     */
    private Divergence foreignTransaction(TraceLine.Step step, Divergence divergence, Reply actual) {
        if (divergence == null || step.tx().isEmpty() || actual == null
                || !divergence.rule().equals(Rule.TX_UNKNOWN_ID.id())) {
            return divergence;
        }
        if (actual instanceof Reply.Error e && !WALK_REFUSALS.contains(e.name())) {
            return divergence;
        }
        String owner = model.openTransactions().get(step.tx().get());
        if (owner == null || owner.equals(step.conn())) {
            return divergence;
        }
        return new Divergence("transaction", FOREIGN_TRANSACTION, divergence.stepIndex(), divergence.step(),
                divergence.expected(), divergence.actual() + " (the transaction is " + owner + "'s)", divergence.rule());
    }

    /** Whether the target carried out a live update in this case. */
    private boolean liveUpdated;

    /** C: after a live update, a domain's target no longer counts (see {@link #targetIgnoredAfterLiveUpdate}). */
    public static final String TARGET_IGNORED_AFTER_LIVE_UPDATE = "domains:target-ignored-after-live-update";

    /**
     * C xenstored after a live update decides every request and event as if no domain had a target: a domain with
     * a target is refused what the first entry for its target granted and granted what it refused (probe
     * live-update-cxenstored.txt "a domain with a target after an update"; gate seed 77043: MKDIR of an existing node
     * whose ACL is {@code r2 b3 n3} by domain 1 targeting 3, EACCES). One cause, whatever the step: the target did
     * what the model allows with every target undone, and some domain has one. Replies and events both.
     */
    private Divergence targetIgnoredAfterLiveUpdate(TraceLine.Step step, Divergence divergence, Reply actual,
                                                    Map<String, List<WatchEvent>> targetEvents) {
        if (divergence == null || !liveUpdated || actual == null
                || model.state().domains().values().stream().noneMatch(d -> d.target() >= 0)) {
            return divergence;
        }
        Outcome untargeted = model.predictWithoutTargets(step);
        if (untargeted == null) {
            return divergence;
        }
        boolean explained = divergence.category().equals("events")
                ? choose(List.copyOf(untargeted.allowed()), actual, targetEvents) != null
                : untargeted.allowed().stream().anyMatch(a -> comparison.sameReply(a.reply(), actual));
        if (!explained) {
            return divergence;
        }
        return new Divergence(divergence.category(), TARGET_IGNORED_AFTER_LIVE_UPDATE, divergence.stepIndex(),
                divergence.step(), divergence.expected(), divergence.actual() + " (as if no domain had a target, after"
                + " the live update)", divergence.rule());
    }

    /** QEMU: a watch on "P/" is another watch than one on "P" (see {@link #slashWatch}). */
    public static final String SLASH_WATCH = "kind:watch:a watch on P/ is another than on P";

    /**
     * QEMU keeps a watch's path as the client gave it, trailing "/" and all (xenstore_impl.c validate_path
     * looks at the NUL for the slash), so "P/" and "P" with one token are two watches where the model's
     * single path finds the second a duplicate: one cause, whether the WATCH came well-formed or as a raw
     * frame (gate seed 66008). UNWATCH looks the path up as given too (xs_impl_unwatch's hash lookup), so an
     * UNWATCH of "P/" misses a watch on "P" and one of "P" misses a watch on "P/", where the model's one
     * path finds it, and the other way round (gate seed 75159). Its events are {@link Signatures}' "watch on
     * an invalid path".
     */
    private Divergence slashWatch(TraceLine.Step step, Divergence divergence, Reply actual) {
        if (divergence == null || !(step.command() instanceof Command.Send send)) {
            return divergence;
        }
        io.xscheck.protocol.Op op = send.request() instanceof Request.Watch ? io.xscheck.protocol.Op.WATCH
                : send.request() instanceof Request.Unwatch ? io.xscheck.protocol.Op.UNWATCH
                : send.request() instanceof Request.Raw raw ? raw.op() : null;
        boolean duplicateWatch = op == io.xscheck.protocol.Op.WATCH && actual instanceof Reply.Ok
                && divergence.rule().equals(Rule.WATCHES_DUPLICATE.id());
        boolean unwatchMissOrHit = op == io.xscheck.protocol.Op.UNWATCH
                && (actual instanceof Reply.Ok || actual instanceof Reply.Error e && e.name().equals("ENOENT"))
                && (divergence.rule().equals(Rule.WATCHES_UNWATCH.id())
                        || divergence.rule().equals(Rule.WATCHES_UNWATCH_UNKNOWN.id()));
        if (!duplicateWatch && !unwatchMissOrHit) {
            return divergence;
        }
        String[] fields = send.request() instanceof Request.Watch w ? new String[] {w.path(), w.token()}
                : send.request() instanceof Request.Unwatch u ? new String[] {u.path(), u.token()}
                : (((Request.Raw) send.request()).payload().toLatin1() + "\0").split("\0", -1);
        String given = fields[0];
        String token = fields[1];
        boolean slashed = endsInSlash(given) || (duplicateWatch
                ? model.state().connection(step.conn()).map(c -> c.watches().stream()
                        .anyMatch(w -> w.token().equals(token) && endsInSlash(w.given()))).orElse(false)
                // any watch on "P/", whatever its token: it is not in QEMU's list for "P", so it changes which
                // watch is first there (gate seeds 77004, 77006: G2's watch on P/ first in the model's one list)
                : model.state().connections().values().stream().flatMap(c -> c.watches().stream())
                        .anyMatch(w -> endsInSlash(w.given()) && withoutTrailingSlash(w.given()).equals(given)));
        if (!slashed) {
            return divergence;
        }
        return new Divergence(divergence.category(), SLASH_WATCH, divergence.stepIndex(), divergence.step(),
                divergence.expected(), divergence.actual() + " (one of the two paths ends in /)", divergence.rule());
    }

    private static boolean endsInSlash(String path) {
        return path.length() > 1 && path.endsWith("/");
    }

    /** "P/" as "P", as QEMU takes a node's path (validate_path); "/" stays. */
    static String withoutTrailingSlash(String path) {
        return path != null && endsInSlash(path) ? path.substring(0, path.length() - 1) : path;
    }

    /**
     * Refusals QEMU gives only from inside the walk of a transaction's tree, after it found the transaction:
     * its ACL checks (EACCES, EPERM) and its size and node quotas (xs_node_add_content E2BIG, ENOSPC).
     */
    private static final Set<String> WALK_REFUSALS = Set.of("EACCES", "EPERM", "E2BIG", "ENOSPC");

    /** The signature of a target that runs a request in another connection's transaction. */
    public static final String FOREIGN_TRANSACTION = "transaction:another connection's open transaction used";
    /** A dead domain's ACL entry honoured for a new domain of its id (XSA-322): see {@link #deadDomainEntryHonoured}. */
    public static final String DEAD_DOMAIN_ENTRY_HONOURED = "kind:entry-of-a-dead-domain-honoured";

    /** QEMU: a transaction's WRITE of a node it removed keeps the removed node's ACL at the commit. */
    static final String WRITE_OF_REMOVED_KEEPS_ACL = "tree:perms:transaction-write-of-removed-node-keeps-its-acl";

    /** C xenstored's use-after-free of a target domain's connection (xscheck-3): see {@link #freedTarget}. */
    public static final String FREED_TARGET = "domains:target-freed-while-still-targeted";

    /**
     * Notes a MKDIR, in a transaction, of a node the transaction removed (before the model follows the step),
     * and moves a transaction's such nodes to {@link #committedMkdirsOfRemoved} when the target commits it.
     */
    private void noteMkdirOfRemoved(TraceLine.Step step, Reply actual) {
        if (target == null || step.tx().isEmpty() && !(step.command() instanceof Command.EndTx)) {
            return;
        }
        boolean mkdir = step.command() instanceof Command.Send send && send.request() instanceof Request.Mkdir;
        if ((mkdir || step.command() instanceof Command.Send send && send.request() instanceof Request.Write)
                && actual instanceof Reply.Ok && removedInTransaction(step, ((Command.Send) step.command()).request())) {
            // QEMU takes "P/" for "P" (gate seed 75156: MKDIR /local/domain/1/)
            String path = withoutTrailingSlash(absolute(step, ((Request.NodeRequest) ((Command.Send) step.command())
                    .request()).path()));
            if (mkdir) {
                mkdirsOfRemoved.computeIfAbsent(step.tx().get(), k -> new TreeSet<>()).add(path);
            }
            // the node and the parents it made again: every one at or below a node the transaction removed (gate seed
            // 68010: a write of /local/domain/1/e-1 after an RM of /local/domain kept /local/domain's old ACL; gate
            // seed 75156: a MKDIR of a node the store did not have made its removed parents again the same way)
            Set<String> made = writesOfRemoved.computeIfAbsent(step.tx().get(), k -> new TreeSet<>());
            for (String p = path; p != null && !p.equals("/"); p = TreeCheck.parentOf(p)) {
                if (removedAtOrAbove(step, p)) {
                    made.add(p);
                }
            }
        } else if (step.command() instanceof Command.EndTx e) {
            Set<String> made = mkdirsOfRemoved.remove(e.name());
            Set<String> written = writesOfRemoved.remove(e.name());
            if (e.commit() && actual instanceof Reply.Ok) {
                committedMkdirsOfRemoved.addAll(made == null ? Set.of() : made);
                committedWritesOfRemoved.addAll(written == null ? Set.of() : written);
            }
        }
    }

    /**
     * QEMU's migration saves one watch per path, the first of its list and only if it is a guest's (xenstore_impl.c
     * save_watch; docs/divergences.md "a guest watch that is not the first on its path is lost"; which is first:
     * {@link QemuWatchLists}): events a guest misses on a watch the migration lost have that one cause, whatever
     * change shows it; the watch it kept must still fire.
     */
    static final String LOST_AT_MIGRATION = "events:guest-watch-sharing-its-path-lost-at-migration";

    /** Follows the target's watch lists in QEMU's order; at a migration, notes the guest watches it loses. */
    private void followWatchLists(TraceLine.Step step, Reply actual) {
        if (target == null || !model.dialect().restartKnobs().migrates() || !ok(actual)) {
            return;
        }
        int domid = domids.getOrDefault(step.conn(), 0);
        if (step.command() instanceof Command.Send send && send.request() instanceof Request.Watch w) {
            String path = absolute(step, w.path());
            if (path != null) {
                watchLists.watched(path, step.conn(), domid, w.token());
            }
        } else if (step.command() instanceof Command.Send send && send.request() instanceof Request.Unwatch u) {
            String path = absolute(step, u.path());
            if (path != null) {
                watchLists.unwatched(path, step.conn(), domid, u.token());
            }
        } else if (step.command() instanceof Command.Kill k) {
            domids.forEach((conn, d) -> {
                if (d == k.domid()) {
                    watchLists.closed(conn);
                }
            });
        } else if (step.command() instanceof Command.Migrate) {
            watchesLostAtMigration.addAll(watchLists.migrated());
        }
    }

    /**
     * A guest's WATCH answered OK where the model says EEXIST, or its UNWATCH answered ENOENT, for a watch QEMU's
     * migration lost ({@link QemuWatchLists#migrated}): the target no longer has it, the one cause of its missing
     * events too (gate seed 75126: {@code B watch /local t1 / G2 watch /local t0 / B migrate / G2 watch /local t0}).
     */
    private Divergence watchLostAtMigration(TraceLine.Step step, Divergence divergence, Reply actual) {
        if (divergence == null || !(step.command() instanceof Command.Send send)) {
            return divergence;
        }
        String token = send.request() instanceof Request.Watch w && actual instanceof Reply.Ok ? w.token()
                : send.request() instanceof Request.Unwatch u && actual instanceof Reply.Error e && e.name().equals("ENOENT")
                ? u.token() : null;
        if (token == null || !watchesLostAtMigration.contains(step.conn() + "\0" + token)) {
            return divergence;
        }
        return new Divergence(divergence.category(), LOST_AT_MIGRATION, divergence.stepIndex(), divergence.step(),
                divergence.expected(), divergence.actual() + " (the migration lost that watch)", divergence.rule());
    }

    /** Whether the target only missed events, each for a guest watch that shared its path at a migration. */
    private boolean lostAtMigration(Map<String, List<WatchEvent>> modelEvents, Map<String, List<WatchEvent>> targetEvents) {
        return !watchesLostAtMigration.isEmpty() && onlyMissed(modelEvents, targetEvents,
                (conn, ev) -> watchesLostAtMigration.contains(conn + "\0" + ev.token()));
    }

    /** Whether the target sent no event the model does not, and missed at least one, each {@code explained}. */
    private static boolean onlyMissed(Map<String, List<WatchEvent>> modelEvents, Map<String, List<WatchEvent>> targetEvents,
                                      java.util.function.BiPredicate<String, WatchEvent> explained) {
        Set<String> conns = new HashSet<>(modelEvents.keySet());
        conns.addAll(targetEvents.keySet());
        boolean missed = false;
        for (String conn : conns) {
            HashMultiset<WatchEvent> expected = HashMultiset.create(modelEvents.getOrDefault(conn, List.of()));
            HashMultiset<WatchEvent> got = HashMultiset.create(targetEvents.getOrDefault(conn, List.of()));
            if (!Multisets.difference(got, expected).isEmpty()) {
                return false;
            }
            for (WatchEvent ev : Multisets.difference(expected, got)) {
                if (!explained.test(conn, ev)) {
                    return false;
                }
                missed = true;
            }
        }
        return missed;
    }

    /**
     * QEMU's copy of the subtree an RM in a transaction removes (xenstore_impl.c copy_deleted_recurse) inserts each
     * child's copy into the table {@code op->op_opaque2} names when the child is reached, and copying an earlier
     * sibling that has children of its own left it naming that sibling's table: below a removed node with two
     * children or more, one of which has children, later siblings land inside an earlier one. The commit's walk
     * fires at those wrong paths (docs/divergences.md; traces/tx-rm-misplaced-qemu.trace): watches on the real
     * paths miss their events, watches on the wrong ones get them. One cause, whichever watch shows it.
     */
    static final String MISPLACED_AT_COMMIT = "events:commit-of-removed-subtree-fires-at-misplaced-paths";

    /**
     * Whether the target's events at this commit differ only as that misplacement makes them: each event it
     * missed is for a node such an RM removed, each it added (once) is for a path below that node.
     */
    private boolean misplacedAtCommit(TraceLine.Step step, Reply actual, Map<String, List<WatchEvent>> modelEvents,
                                      Map<String, List<WatchEvent>> targetEvents) {
        if (!(step.command() instanceof Command.EndTx e) || !e.commit() || !(actual instanceof Reply.Ok)) {
            return false;
        }
        List<io.xscheck.model.Change> removals = model.transactionNamed(e.name()).map(tx -> tx.changes().stream()
                .filter(c -> c.removal() && branchesWithChildren(c)).toList()).orElse(List.of());
        if (removals.isEmpty()) {
            return false;
        }
        Set<String> removed = new HashSet<>();
        removals.forEach(c -> c.below().forEach(r -> removed.add(r.path())));
        Set<String> conns = new HashSet<>(modelEvents.keySet());
        conns.addAll(targetEvents.keySet());
        boolean differs = false;
        for (String conn : conns) {
            HashMultiset<WatchEvent> expected = HashMultiset.create(modelEvents.getOrDefault(conn, List.of()));
            HashMultiset<WatchEvent> got = HashMultiset.create(targetEvents.getOrDefault(conn, List.of()));
            Optional<Integer> domid = model.state().connection(conn).map(c -> c.domid());
            for (Multiset.Entry<WatchEvent> missed : Multisets.difference(expected, got).entrySet()) {
                if (domid.isEmpty() || !removed.contains(canonical(missed.getElement(), domid.get()))) {
                    return false;
                }
                differs = true;
            }
            for (Multiset.Entry<WatchEvent> added : Multisets.difference(got, expected).entrySet()) {
                String path = domid.isEmpty() ? "@" : canonical(added.getElement(), domid.get());
                // below the removed node, where a misplaced copy may stand: at a path no node had, or at a removed
                // sibling's whose own copy moved away (gate seed 77040: /local/domain/1's event for /local/domain/0's)
                if (added.getCount() > 1
                        || removals.stream().noneMatch(c -> path.startsWith(c.path().equals("/") ? "/" : c.path() + "/"))) {
                    return false;
                }
                differs = true;
            }
        }
        return differs;
    }

    private static String canonical(WatchEvent ev, int domid) {
        return ev.path().startsWith("/") || ev.path().startsWith("@") ? ev.path() : "/local/domain/" + domid + "/" + ev.path();
    }

    private static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** Whether some node of the removed subtree has two children or more, one of which has children. */
    private static boolean branchesWithChildren(io.xscheck.model.Change removal) {
        Map<String, Integer> children = new HashMap<>();
        for (io.xscheck.model.Change.Removed r : removal.below()) {
            children.merge(parentOf(r.path()), 1, Integer::sum);
        }
        return removal.below().stream().anyMatch(r -> children.containsKey(r.path())
                && children.getOrDefault(parentOf(r.path()), 0) >= 2);
    }

    /**
     * A request decided by an ACL entry that names the caller's domain id but dates from an earlier domain of that
     * id, which the model therefore skips (flagged ignored, XSA-322), where the target decided as the entry says:
     * <ul>
     * <li>the model refuses under a rule on ignored entries, and the target carried the request out as the entry
     *     grants it (a READ answered with the value, a DIRECTORY with names, a WRITE with OK: gate seed 63008), or
     *     went past the permission to a check that comes after it (a quota, ENOSPC or E2BIG: gate seed 63006; the
     *     root's RM, EINVAL: gate seed 77028);</li>
     * <li>or the model allows it (the entry skipped, the default grants) where the target refused EACCES (gate seed
     *     63003: an entry {@code n2} of the dead domain 2 on the nearest existing ancestor kept the new domain 2 from
     *     creating below it).</li>
     * </ul>
     * C xenstored 4.17.7 and 4.20.4 honour such entries when no write came between the grant and the new domain
     * (docs/divergences.md). One cause, whatever the request; any other answer keeps its own signature.
     */
    private Divergence deadDomainEntryHonoured(TraceLine.Step step, Divergence divergence, Reply actual,
                                               List<Allowed> allowed) {
        if (divergence == null || !(step.command() instanceof Command.Send send)
                || !(send.request() instanceof Request.NodeRequest node)) {
            return divergence;
        }
        Request r = send.request();
        // refused under an ignored-entry rule, or EACCES for a missing node whose nearest ancestor's entry naming the
        // caller is ignored (gate seed 77051: a new domain 1's RM of a missing child of / that w1 lets it write)
        boolean modelRefusedByIgnored = IGNORED_ENTRY_RULES.contains(divergence.rule())
                || allowed.stream().allMatch(a -> a.reply() instanceof Reply.Error x && x.name().equals("EACCES"))
                && decidedByIgnoredEntry(step.conn(), node.path());
        boolean granted = modelRefusedByIgnored && (grantedAnswer(r, actual)
                // past the permission, a check that comes after it: the node-size or entry quota
                || (r instanceof Request.Write || r instanceof Request.Mkdir) && actual instanceof Reply.Error q
                && (q.name().equals("ENOSPC") || q.name().equals("E2BIG"))
                // or C's refusal to remove the root, which do_rm checks once the node is writable (gate seed 77028)
                || r instanceof Request.Rm rm && rm.path().equals("/") && actual instanceof Reply.Error x
                && x.name().equals("EINVAL")
                // or a missing node the entry let the caller see as missing, where the model hid it with EACCES
                // (4.20 gate seed 78024, C 4.17.7 and 4.20.4: r1 on /local from a dead domain 1, the new one's READ)
                || actual instanceof Reply.Error nf && nf.name().equals("ENOENT"));
        boolean refused = actual instanceof Reply.Error e && e.name().equals("EACCES")
                && allowed.stream().noneMatch(a -> a.reply() instanceof Reply.Error x && x.name().equals("EACCES"))
                && decidedByIgnoredEntry(step.conn(), node.path());
        if (!granted && !refused) {
            return divergence;
        }
        return new Divergence(divergence.category(), DEAD_DOMAIN_ENTRY_HONOURED, divergence.stepIndex(), divergence.step(),
                divergence.expected(), divergence.actual() + " (the ACL entry naming the caller's domain id dates from an"
                + " earlier domain of that id)", divergence.rule());
    }

    /** A reply divergence that is C 4.18+'s accounting bug of a transaction's node whose owner is gone ({@link DeadOwnerAccounting}). */
    private Divergence deadOwnerAccounting(TraceLine.Step step, Divergence divergence, Reply actual, List<Allowed> allowed) {
        // C's dialects: the ones that keep domain structs (DomainStructs)
        if (divergence == null || !(step.command() instanceof Command.Send send)
                || !model.dialect().acls().deadDomainAclEntriesKept()) {
            return divergence;
        }
        boolean modelSaidOk = allowed.stream().allMatch(a -> a.reply() instanceof Reply.Ok);
        boolean matches = model.transactionOf(step).map(tx -> DeadOwnerAccounting.matches(send.request(), modelSaidOk,
                actual, tx, model.state())).orElse(false);
        if (!matches) {
            return divergence;
        }
        return new Divergence(divergence.category(), DeadOwnerAccounting.SIGNATURE, divergence.stepIndex(),
                divergence.step(), divergence.expected(), divergence.actual() + " (C's node accounting finds no domain for"
                + " the owner the transaction's copy names: a known bug)", divergence.rule());
    }

    /** A commit's EINVAL that is oxenstored's blame search raising ({@link ConflictBlameRaise}). */
    private Divergence conflictBlameRaise(TraceLine.Step step, Divergence divergence, Reply actual, List<Allowed> allowed) {
        if (divergence == null || !conflictBlame.matches(step, divergence.rule(),
                allowed.stream().map(Allowed::reply).toList(), actual)) {
            return divergence;
        }
        return new Divergence(divergence.category(), ConflictBlameRaise.SIGNATURE, divergence.stepIndex(),
                divergence.step(), divergence.expected(), divergence.actual() + " (oxenstored's search for the domain to"
                + " blame for the conflict raised: a known bug)", divergence.rule());
    }

    /**
     * The same cause shown by events (gate seed 75140): the target only missed events the model sends to a guest
     * because it skips an entry naming the guest's domain id from an earlier domain of that id, which the target
     * honoured (C: {@code n2} on {@code /} from a dead domain 2 kept the new domain 2's watch on {@code /} from
     * the event for a node created below it).
     */
    private Divergence deadDomainEntryHonouredInEvents(Divergence divergence, Map<String, List<WatchEvent>> modelEvents,
                                                       Map<String, List<WatchEvent>> targetEvents) {
        if (divergence == null || !divergence.category().equals("events") || !onlyMissed(modelEvents, targetEvents,
                (conn, ev) -> ev.path().startsWith("/") && decidedByIgnoredEntry(conn, ev.path()))) {
            return divergence;
        }
        return new Divergence(divergence.category(), DEAD_DOMAIN_ENTRY_HONOURED,
                divergence.stepIndex(), divergence.step(), divergence.expected(), divergence.actual()
                + " (an ACL entry naming the watcher's domain id dates from an earlier domain of that id)", divergence.rule());
    }

    /** The answer the request gets when the permission check lets it through and it succeeds. */
    private static boolean grantedAnswer(Request r, Reply actual) {
        return r instanceof Request.Read ? actual instanceof Reply.Value
                : r instanceof Request.Directory ? actual instanceof Reply.Names
                : r instanceof Request.DirectoryPart ? actual instanceof Reply.DirectoryChunk
                : r instanceof Request.GetPerms ? actual instanceof Reply.Perms
                : actual instanceof Reply.Ok;
    }

    /** Whether the node that decides a request on {@code path} (it, else its nearest existing ancestor) skips an entry naming the caller. */
    private boolean decidedByIgnoredEntry(String conn, String path) {
        Integer domid = domids.get(conn);
        if (domid == null || domid == 0) {
            return false;
        }
        io.xscheck.model.Tree tree = model.state().tree();
        String p = absolute(conn, path);
        while (!tree.exists(p) && !p.equals("/")) {
            int slash = p.lastIndexOf('/');
            p = slash <= 0 ? "/" : p.substring(0, slash);
        }
        return tree.exists(p) && tree.node(p).ignored().contains(domid);
    }

    private static final Set<String> IGNORED_ENTRY_RULES = Set.of(Rule.ACLS_READ_DENIED_BY_IGNORED_ENTRY.id(),
            Rule.ACLS_WRITE_DENIED_BY_IGNORED_ENTRY.id(), Rule.ACLS_CREATE_DENIED_BY_IGNORED_ENTRY.id(),
            Rule.ACLS_SET_PERMS_DENIED_BY_IGNORED_ENTRY.id());

    /**
     * C xenstored: a SET_TARGET takes a reference to the target's connection, a RELEASE or the death of the target
     * drops that reference instead of freeing it (the domain is kept), and the second of them frees the
     * connection while the domains that target it still point at it (xenstored_domain.c do_set_target,
     * do_release; talloc.c talloc_free). From then on their permission checks read freed memory, which any
     * client's next allocation of that size rewrites (xscheck-3, docs/security.md): every permission decision
     * in a request of theirs, or in an event for them, has that one cause. The id read decides only whether
     * the ACL grants them access (xenstored_core.c perm_for_conn): a request that one side refuses with EACCES
     * and the other lets through (to its answer, or to a refusal that comes after the permission check: a
     * missing node, a quota). Any other difference of theirs is another bug.
     */
    private Divergence freedTarget(TraceLine.Step step, Divergence divergence, Map<String, List<WatchEvent>> modelEvents,
                                   Map<String, List<WatchEvent>> targetEvents, Reply actual, List<Allowed> allowed) {
        if (divergence == null || freedTargetOf.isEmpty() || divergence.category().equals("crash")) {
            return divergence;
        }
        if (!divergence.category().equals("events") && (actual == null
                || allowed.stream().noneMatch(a -> permissionDecisionDiffers(a.reply(), actual)))) {
            return divergence;
        }
        boolean theirs = freedTargetOf.contains(domids.getOrDefault(step.conn(), 0))
                || divergence.category().equals("events") && java.util.stream.Stream.concat(
                        modelEvents.keySet().stream(), targetEvents.keySet().stream())
                .anyMatch(c -> freedTargetOf.contains(domids.getOrDefault(c, 0)));
        if (!theirs) {
            return divergence;
        }
        return new Divergence(divergence.category(), FREED_TARGET, divergence.stepIndex(), divergence.step(),
                divergence.expected(), divergence.actual() + " (the domain's target was released and is gone: C frees the"
                + " target's connection while this domain still points at it)", divergence.rule());
    }

    /** Refusals a request may meet once its permission check let it through. */
    private static final Set<String> AFTER_PERMISSION = Set.of("ENOENT", "EEXIST", "E2BIG", "ENOSPC", "EQUOTA", "EINVAL", "EPERM");

    /** One answer is EACCES and the other one a request let through the permission check may get. */
    private static boolean permissionDecisionDiffers(Reply model, Reply target) {
        return denied(model) && letThrough(target) || denied(target) && letThrough(model);
    }

    private static boolean denied(Reply r) {
        return r instanceof Reply.Error e && e.name().equals("EACCES");
    }

    private static boolean letThrough(Reply r) {
        return !(r instanceof Reply.Error e) || AFTER_PERMISSION.contains(e.name());
    }

    /** After a RELEASE or a kill of a domain other domains target, on a dialect that keeps such domains: is it gone now? */
    private void noteFreedTarget(TraceLine.Step step, Reply actual) {
        int gone = step.command() instanceof Command.Kill k ? k.domid()
                : step.command() instanceof Command.Send send && send.request() instanceof Request.Release r
                        && actual instanceof Reply.Ok ? r.domid() : -1;
        if (target == null || gone <= 0 || !model.dialect().domains().targetedDomainNeverReleased()) {
            return;
        }
        Set<Integer> targeting = new TreeSet<>();
        model.state().domains().values().stream().filter(d -> d.target() == gone && d.domid() != gone)
                .forEach(d -> targeting.add(d.domid()));
        if (targeting.isEmpty()) {
            return;
        }
        try {
            if (new Reply.Text("F").equals(target.inspector().call(0, new Request.IsDomainIntroduced(gone)))) {
                freedTargetOf.addAll(targeting);
            }
        } catch (SutException | IllegalArgumentException e) {
            // the next step's answer shows what broke
        }
    }

    /** The divergence named by its cause: a domain the target kept at its RELEASE (see {@link #byCause}). */
    private static Divergence keptDomain(Divergence divergence) {
        return new Divergence(divergence.category(), "domains:released-domain-kept-on-target",
                divergence.stepIndex(), divergence.step(), divergence.expected(), divergence.actual()
                + " (the target still has, or had, a domain the model released or saw die)", divergence.rule());
    }

    /**
     * Whether the step names a node below the home of a domain the target kept at its release: the model removed
     * them with the domain, the target did not, and a domain introduced again does not change that (gate seed 71010:
     * `B release 1 / A introduce 1 / B rm /local/domain/1/g@h` answers OK on C, ENOENT in the model).
     */
    private boolean keptDomainsNode(TraceLine.Step step) {
        if (keptAtRelease.isEmpty() || !(step.command() instanceof Command.Send send)
                || !(send.request() instanceof Request.NodeRequest n)) {
            return false;
        }
        String path = absolute(step, n.path());
        if (path == null) {
            return false;
        }
        // or a node at or below one such a domain owns, which C removes with its subtree when the domain dies at last
        // (gate seeds 74001, 75144; default gate seed 79121: an RM below /local, which dom2 was given after its
        // RELEASE and which C took away at its death, meets no parent there)
        io.xscheck.model.Node node = model.state().tree().node(path);
        return inKeptDomainsSubtree(path) || keptAtRelease.stream()
                .anyMatch(d -> path.equals("/local/domain/" + d) || path.startsWith("/local/domain/" + d + "/"))
                // or the listing of a node with such a child (4.20 gate seed 78028, both C versions: DIRECTORY
                // /local/domain without the 1 that dom1, kept at its RELEASE, took away at its death)
                || (n instanceof Request.Directory || n instanceof Request.DirectoryPart) && node != null
                && node.children().stream().anyMatch(c -> inKeptDomainsSubtree(TreeCheck.join(path, c)));
    }

    /**
     * Whether {@code path} is, or is below, a node of a domain the target kept at its RELEASE: one it owns in the
     * model's tree (given to it after its RELEASE too: default gate seed 79121), or one it owned at that RELEASE
     * ({@link #keptOwned}), which the model's release took away and the target kept. If the model made such a path
     * again since (4.20 gate seed 79006, both C versions: {@code A setperms /local n1}, {@code A settarget 1 1},
     * {@code A release 1}, {@code A write /local/domain/2/a v}), the target's node there is still the kept domain's,
     * with another ACL. Either way C removes the node with everything below it at the domain's death.
     */
    private boolean inKeptDomainsSubtree(String path) {
        io.xscheck.model.Tree t = model.state().tree();
        for (String p = path; p != null; p = p.equals("/") ? null : TreeCheck.parentOf(p)) {
            if (t.exists(p) && keptAtRelease.contains(t.node(p).owner())) {
                return true;
            }
            for (Set<String> owned : keptOwned.values()) {
                if (owned.contains(p)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Notes a domain the target still has after a RELEASE of it that both answered OK: its death later is
     * the target's first notice that the domain goes (C fires @releaseDomain then), the model's second.
     */
    private void noteKeptAtRelease(TraceLine.Step step, Reply actual, ModelState after) {
        if (target == null || !(step.command() instanceof Command.Send send && send.request() instanceof Request.Release release)
                || !(actual instanceof Reply.Ok) || after.isIntroduced(release.domid())) {
            return;
        }
        try {
            if (new Reply.Text("T").equals(target.inspector().call(0, new Request.IsDomainIntroduced(release.domid())))) {
                keptAtRelease.add(release.domid());
                io.xscheck.model.Tree before = model.state().tree();
                Set<String> owned = keptOwned.computeIfAbsent(release.domid(), d -> new HashSet<>());
                before.paths().forEach(p -> {
                    if (before.node(p).owner() == release.domid()) {
                        owned.add(p);
                    }
                });
            }
        } catch (SutException | IllegalArgumentException e) {
            // the next step's answer shows what broke
        }
    }

    /**
     * A node a committed transaction removed and created again with MKDIR, which the model has and the target
     * does not: QEMU's MKDIR reads the node first (hw/i386/kvm/xen_xenstore.c xs_mkdir; our front end's do_mkdir)
     * and, as its transaction still sees the removed node (xenstore_impl.c deleted_in_tx), writes nothing, so the
     * commit expunges it.
     */
    /** A node a committed transaction removed and wrote again whose ACL on the target is not the model's. */
    private boolean writeOfRemovedKeptAcl(ModelState after) {
        for (String path : committedWritesOfRemoved) {
            if (!after.tree().exists(path)) {
                continue;
            }
            try {
                Reply r = target.inspector().call(0, new Request.GetPerms(path));
                if (r instanceof Reply.Perms p && !p.perms().equals(after.tree().node(path).perms())) {
                    return true;
                }
            } catch (SutException | IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    private boolean mkdirOfRemovedLost(ModelState after) {
        for (String path : committedMkdirsOfRemoved) {
            if (!after.tree().exists(path)) {
                continue;
            }
            try {
                if (target.inspector().call(0, new Request.GetPerms(path)) instanceof Reply.Error e && e.name().equals("ENOENT")) {
                    return true;
                }
            } catch (SutException | IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * Whether the target still has a guest domain of this case (one a connection is of, or one the model had
     * before the step) that the model no longer has (released or dead).
     */
    private boolean domainKeptByTarget(ModelState after) {
        Set<Integer> candidates = new TreeSet<>(domids.values());
        // a domain introduced with no connection of its own, released at this step
        candidates.addAll(model.state().domains().keySet());
        // or released at an earlier step and kept (gate seed 50022: introduced with no connection, its own target)
        candidates.addAll(keptAtRelease);
        for (int domid : candidates) {
            if (domid == 0 || after.isIntroduced(domid)) {
                continue;
            }
            try {
                if (new Reply.Text("T").equals(target.inspector().call(0, new Request.IsDomainIntroduced(domid)))) {
                    return true;
                }
            } catch (SutException | IllegalArgumentException e) {
                return false;
            }
        }
        return false;
    }

    /**
     * A kill, or a RELEASE the target carried out, of the domain that owned {@code /} in {@code before}; where the
     * dialect's RELEASE of a domain that is not introduced still cleans up its nodes and ACL entries (oxenstored
     * do_release runs Store.reset_permissions before its lookup fails), that RELEASE's EINVAL too (4.20 gate seed
     * 79002, both versions: {@code A setperms / n2}, {@code B release 2} answers EINVAL and leaves / with an owner no
     * client can read).
     */
    private static boolean ownerOfRootGone(TraceLine.Step step, ModelState before, Reply actual,
                                           boolean releaseOfUnknownCleansUp) {
        io.xscheck.model.Node root = before.tree().node("/");
        if (root == null) {
            return false;
        }
        boolean released = actual instanceof Reply.Ok
                || releaseOfUnknownCleansUp && actual instanceof Reply.Error e && e.name().equals("EINVAL");
        int gone = step.command() instanceof Command.Kill k ? k.domid()
                : step.command() instanceof Command.Send s && s.request() instanceof Request.Release r
                        && released ? r.domid() : -1;
        return gone > 0 && root.owner() == gone;
    }

    private boolean rootOwnerUnreadable() {
        try {
            target.inspector().call(0, new Request.GetPerms("/"));
            return false;
        } catch (SutException e) {
            return e.kind() == SutException.Kind.PROTOCOL && String.valueOf(e.getMessage()).contains("bad domid");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private String logTail() {
        try {
            return target.sut().logTail(30);
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** A target adapter that throws instead of answering is treated as a broken target, not an engine bug. */
    private SutException targetThrew(RuntimeException e) {
        return new SutException(SutException.Kind.PROTOCOL, target.sut().name(), "the target adapter threw " + e, "", e);
    }

    /**
     * A step no implementation fires watches for (a read, a transaction's start or abort) whose
     * every allowed outcome has no events: its barrier is left out. An event a faulty target sent
     * for it anyway is still drained and compared, at the next step's barrier or at {@link #finish}.
     */
    private static boolean quiet(TraceLine.Step step, List<Allowed> allowed) {
        Command c = step.command();
        boolean reads = c instanceof Command.StartTx || c instanceof Command.EndTx e && !e.commit()
                || c instanceof Command.Send s && (s.request() instanceof Request.Read
                || s.request() instanceof Request.Directory || s.request() instanceof Request.DirectoryPart
                || s.request() instanceof Request.GetPerms || s.request() instanceof Request.GetDomainPath
                || s.request() instanceof Request.IsDomainIntroduced);
        return reads && allowed.stream().allMatch(a -> a.events().isEmpty());
    }

    /** A domain's death (the daemon hears of it by a VIRQ, in its own time) and a restart. */
    private static boolean handledAsynchronously(TraceLine.Step step) {
        return step.command() instanceof Command.Kill || step.command() instanceof Command.LiveUpdate
                || step.command() instanceof Command.Migrate;
    }

    /** The pauses between re-barriers for events still due: short first, about 50 ms in all. */
    private static final long[] EVENT_PAUSES_MILLIS = {1, 1, 2, 2, 4, 4, 8, 8, 10, 10};

    private static void sleepBriefly(int retry) {
        try {
            Thread.sleep(EVENT_PAUSES_MILLIS[Math.min(retry, EVENT_PAUSES_MILLIS.length - 1)]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** How many events one side has and the other lacks, over every connection (multisets). */
    static int eventsApart(Map<String, List<WatchEvent>> a, Map<String, List<WatchEvent>> b) {
        Set<String> conns = new HashSet<>(a.keySet());
        conns.addAll(b.keySet());
        int apart = 0;
        for (String c : conns) {
            com.google.common.collect.Multiset<WatchEvent> x = HashMultiset.create(a.getOrDefault(c, List.of()));
            com.google.common.collect.Multiset<WatchEvent> y = HashMultiset.create(b.getOrDefault(c, List.of()));
            apart += com.google.common.collect.Multisets.difference(x, y).size()
                    + com.google.common.collect.Multisets.difference(y, x).size();
        }
        return apart;
    }

    static Map<String, List<WatchEvent>> byConn(ImmutableMultiset<Delivery> deliveries) {
        Map<String, List<WatchEvent>> out = new LinkedHashMap<>();
        deliveries.forEach(d -> out.computeIfAbsent(d.conn(), k -> new ArrayList<>()).add(d.event()));
        return out;
    }

    /** Whether the step's transaction removed the request's path or one above it. */
    private boolean removedInTransaction(TraceLine.Step step, Request request) {
        String path = request instanceof Request.NodeRequest n ? absolute(step, n.path()) : null;
        if (path == null) {
            return false;
        }
        return removedAtOrAbove(step, path);
    }

    /** Whether the step's transaction removed {@code path} or a node above it. */
    private boolean removedAtOrAbove(TraceLine.Step step, String path) {
        return transactionRemoved(step, removed -> path.equals(removed) || removed.equals("/")
                || path.startsWith(removed + "/"));
    }

    /** Whether the step's transaction removed a node whose path passes {@code which}. */
    private boolean transactionRemoved(TraceLine.Step step, java.util.function.Predicate<String> which) {
        return model.transactionOf(step).map(tx -> tx.changes().stream()
                .anyMatch(c -> c.removal() && which.test(c.path()))).orElse(false);
    }

    /**
     * A GET_PERMS in a transaction that removed the node or an ancestor, answered with the ACL that removed node had
     * in the store: the node the transaction made again below it took its parent's ACL from the removed node the
     * target's transaction still sees (QEMU; gate seed 70010: `B@T4 rm /local / B@T4 write /local/domain/1/c` gives
     * /local/domain/1/c the old /local/domain's ACL), the same cause as any other sight of a removed node.
     */
    private boolean aclOfRemovedAncestor(TraceLine.Step step, Request request, Reply expected, Reply actual) {
        if (!(request instanceof Request.GetPerms g) || !(expected instanceof Reply.Perms)
                || !(actual instanceof Reply.Perms got)) {
            return false;
        }
        String path = absolute(step, g.path());
        if (path == null) {
            return false;
        }
        // the removed node as the store has it, or as the transaction's start had it when the store lost it since
        // (QEMU's transaction sees its start's tree; gate seed 79103: the store's RM of /local/b came after the
        // transaction's RM of /local, and its MKDIR of /local/b kept the old node's b7 r1 r1)
        List<io.xscheck.model.Tree> trees = new ArrayList<>(List.of(model.state().tree()));
        model.transactionOf(step).ifPresent(tx -> trees.add(tx.base()));
        for (String p = path; ; p = TreeCheck.parentOf(p)) {
            String at = p;
            if (removedAtOrAbove(step, p) && trees.stream().anyMatch(t -> t.exists(at) && t.node(at).perms().equals(got.perms()))) {
                return true;
            }
            if (p.equals("/")) {
                return false;
            }
        }
    }

    /**
     * A DIRECTORY the model answers with names and the target refuses E2BIG, in a transaction that removed children
     * of the node: the removed names the target's transaction still lists made the listing too long for a reply
     * (gate seed 63014), the same cause as any other sight of a removed node.
     */
    private boolean listedTooLongWithRemovedChildren(TraceLine.Step step, Request request, Reply expected, Reply actual) {
        if (!(request instanceof Request.Directory d) || !(expected instanceof Reply.Names)
                || !(actual instanceof Reply.Error e && e.name().equals("E2BIG"))) {
            return false;
        }
        String path = absolute(step, d.path());
        if (path == null) {
            return false;
        }
        String below = path.equals("/") ? "/" : (path.endsWith("/") ? path : path + "/");
        return transactionRemoved(step, removed -> removed.startsWith(below));
    }

    /** A request's path as an absolute one (a relative path is below the connection's domain's home), or null. */
    private String absolute(TraceLine.Step step, String path) {
        if (path.startsWith("/")) {
            return path;
        }
        Integer domid = domids.get(step.conn());
        return domid == null || path.isEmpty() || path.startsWith("@") ? null : "/local/domain/" + domid + "/" + path;
    }

    /** For a commit, the ACLs under which its transaction changed each node (see {@link Signatures#events}). */
    private Map<String, List<List<Perm>>> changeAcls(TraceLine.Step step) {
        if (!(step.command() instanceof Command.EndTx e) || !e.commit()) {
            return Map.of();
        }
        Map<String, List<List<Perm>>> out = new HashMap<>();
        model.transactionNamed(e.name()).ifPresent(tx -> tx.changes().forEach(c -> {
            out.computeIfAbsent(c.path(), k -> new ArrayList<>()).addAll(c.acls());
            c.below().forEach(r -> out.computeIfAbsent(r.path(), k -> new ArrayList<>()).add(r.acl()));
        }));
        return out;
    }

    /** The nodes the step's transaction removed: each removal's node and those below it. */
    private Set<String> removedBy(TraceLine.Step step) {
        return changedPaths(step, true);
    }

    /** The paths the step's transaction changed so far (removed ones included), for a reply's signature. */
    private Set<String> touched(TraceLine.Step step) {
        return changedPaths(step, false);
    }

    private Set<String> changedPaths(TraceLine.Step step, boolean removalsOnly) {
        Set<String> out = new HashSet<>();
        model.transactionOf(step).ifPresent(tx -> tx.changes().stream().filter(c -> !removalsOnly || c.removal())
                .forEach(c -> {
                    out.add(c.path());
                    c.below().forEach(r -> out.add(r.path()));
                }));
        return out;
    }

    static String category(TraceLine.Step step, Reply model, Reply target) {
        if (step.command() instanceof Command.EndTx) {
            return "transaction";
        }
        boolean me = model instanceof Reply.Error;
        boolean te = target instanceof Reply.Error;
        if (me && te) {
            return "error";
        }
        return me != te ? "kind" : "reply";
    }

    /** The first word of the step, e.g. {@code write}. */
    static String keyword(TraceLine.Step step) {
        return TraceWriter.keyword(step.command());
    }

    static String kind(Reply r) {
        if (r == null) {
            return "none";
        }
        if (r instanceof Reply.Error e) {
            return e.name();
        }
        return r.getClass().getSimpleName();
    }

    private String describe(List<Allowed> allowed) {
        if (allowed.size() == 1) {
            return String.valueOf(allowed.get(0).reply());
        }
        return TraceWriter.expect(expectOf(allowed.stream().map(Allowed::reply).toList()));
    }

    /** The EXPECT that the model's allowed replies make. */
    public Expect expectOf(List<Reply> replies) {
        List<Expect> options = new ArrayList<>();
        for (Reply r : replies) {
            Expect e = Expect.of(r, comparison.orderedDirectories());
            if (!options.contains(e)) {
                options.add(e);
            }
        }
        return options.size() == 1 ? options.get(0) : new Expect.AnyOf(options);
    }

    private static String describeEvents(Object events) {
        return String.valueOf(events);
    }

    /** Closes the target's connections, then gives the case root back (its watches are gone by then). */
    @Override
    public void close() {
        if (target != null) {
            target.close();
            if (claimed != null) {
                target.sut().releaseCaseRoot(claimed);
                claimed = null;
            }
        }
    }
}
