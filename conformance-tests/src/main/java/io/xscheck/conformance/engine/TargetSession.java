package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One target's side of a lockstep run: its connections by trace name and its own transaction ids.
 * Never sees the model.
 */
public final class TargetSession implements AutoCloseable {
    /**
     * A reply takes well under a millisecond; one this late is asked about: it is a hang once the daemon is seen
     * answering another connection meanwhile ({@link #servesOthers}), else the step waits on. Only that answer
     * decides, so this need not cover a loaded machine's delays (it was 500 ms; oxenstored's known empty-READ hang,
     * three a 15 s bench, cost 14% of that bench at 0.7 s each; at 150 ms its raw requests' waits were still 1.1 s of
     * a 15 s oxenstored bench, at 350 ms each). A reply later than this costs one request on the inspector.
     */
    static final long HUNG_AFTER_MILLIS = 50;
    /** Replies on one connection come in order, but give the daemon's last write a moment. */
    private static final long ORDER_GRACE_MILLIS = 100;
    /**
     * How long a late step's daemon may take to answer another connection before it counts as starved of the CPU:
     * a target starved on a loaded machine answers late but by itself (gate seed 41045: QEMU's front end answered a
     * guest's SET_PERMS after 1 s at a load of 16 on 2 cores, and the harness called it "answered only after more
     * input"; the trace replays clean). Starved, the step gets this long again, with no more input on its connection.
     */
    private static final long STARVED_GRACE_MILLIS = 1500;
    /**
     * Once the daemon answered another connection, how long the late step still gets: that answer may have come
     * first out of the same turn of the daemon's loop, and our reader thread may run a little behind.
     */
    private static final long SERVED_GRACE_MILLIS = 200;

    /** A cheap request whose reply comes after every event queued before it on its connection. */
    private static final Request BARRIER = new Request.IsDomainIntroduced(0);

    private final Sut sut;
    private final Map<String, SutConnection> conns = new LinkedHashMap<>();
    private final TxNames txs = new TxNames();
    private SutConnection inspector;

    public TargetSession(Sut sut) {
        this.sut = sut;
    }

    public Sut sut() {
        return sut;
    }

    /**
     * Opens the connection {@code conn} names, unless it is open; returns the id the daemon gives its next
     * transaction (1, but a connection an earlier case used goes on from its last: {@link SutConnection#nextTransactionId}).
     */
    public long declare(TraceLine.Conn conn) {
        if (conns.containsKey(conn.name())) {
            return 1;
        }
        SutConnection c = conn.guest() ? sut.openCaseGuest(conn.domid()) : sut.openCasePrivileged();
        conns.put(conn.name(), c);
        return c.nextTransactionId();
    }

    /** Starts the step; the future completes with the target's reply. Null for {@code events}. */
    public CompletableFuture<Reply> start(TraceLine.Step step) {
        return start(step, null);
    }

    /**
     * {@link #start(TraceLine.Step)}, where a {@code kill} waits at most {@code releaseBound} for
     * the release when that is not null (a release the model's dialect does not expect).
     */
    public CompletableFuture<Reply> start(TraceLine.Step step, java.time.Duration releaseBound) {
        return start(step, releaseBound, false);
    }

    /**
     * {@link #start(TraceLine.Step, java.time.Duration)}, where a {@code liveupdate} that {@code heldBackExpected}
     * (the model's only answer is the daemon's BUSY) is not polled long (see {@link Sut#liveUpdate(SutConnection,
     * boolean, boolean)}).
     */
    public CompletableFuture<Reply> start(TraceLine.Step step, java.time.Duration releaseBound, boolean heldBackExpected) {
        Command c = step.command();
        if (c instanceof Command.Events) {
            return null;
        }
        if (c instanceof Command.Kill k) {
            if (releaseBound == null) {
                sut.killDomain(k.domid());
            } else {
                sut.killDomain(k.domid(), releaseBound);
            }
            return CompletableFuture.completedFuture(new Reply.Ok());
        }
        SutConnection conn = conn(step.conn());
        if (c instanceof Command.LiveUpdate u) {
            // synchronous: the step is over once the daemon has restarted (or refused)
            return CompletableFuture.completedFuture(sut.liveUpdate(conn, u.force(), heldBackExpected));
        }
        if (c instanceof Command.Migrate) {
            return CompletableFuture.completedFuture(sut.migrate(conn));
        }
        int tx = (int) step.tx().map(txs::id).orElse(0L).longValue();
        if (c instanceof Command.Send s) {
            return conn.send(tx, s.request());
        }
        if (c instanceof Command.StartTx) {
            return conn.send(tx, new Request.TransactionStart());
        }
        if (c instanceof Command.EndTx e) {
            return conn.send((int) txs.id(e.name()), new Request.TransactionEnd(e.commit()));
        }
        if (!(c instanceof Command.Introduce i)) {
            // rawbytes and ring: no model predicts them; replay checks such traces for robustness instead.
            throw new IllegalArgumentException("'" + io.xscheck.conformance.trace.TraceWriter.command(c)
                    + "' is not run in lockstep with the model (replay --robustness runs it)");
        }
        return conn.send(tx, IntroduceArgs.request(i));
    }

    /**
     * The target's reply to {@code step}, where a reply that has not come within
     * {@link #HUNG_AFTER_MILLIS} counts as a hang (a local daemon answers in microseconds). To say
     * which hang, a probe (a harmless request) then goes out on the same connection; a daemon
     * answers one connection's requests in order. A step answered only once the probe arrived was
     * waiting for more input (oxenstored with an empty READ); a probe answered while the step is
     * not means the step was dropped; neither answered within the full bound is a daemon that
     * stopped. Either way the report comes after about three seconds (a late reply gets a further
     * {@link #STARVED_GRACE_MILLIS} with no more input first), not the full bound.
     */
    public Reply await(TraceLine.Step step, CompletableFuture<Reply> pending) {
        try {
            return pending.get(HUNG_AFTER_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException slow) {
            SutConnection c = conns.get(step.conn());
            if (c == null) {
                return Awaits.reply(pending, sut);
            }
            long designed = sut.mayDelay(c.domid()).toMillis();
            if (designed > 0) {
                // A wait the target imposes by design (C's write rate limit) ends by itself, with no more input.
                try {
                    return pending.get(designed, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stillSlow) {
                    // then it is a hang of one of the kinds below
                } catch (InterruptedException | ExecutionException e) {
                    return Awaits.reply(pending, sut);
                }
            }
            try {
                return pending.get(servesOthers() ? SERVED_GRACE_MILLIS : STARVED_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException stillSlow) {
                // no reply with no more input: probe which kind of hang
            } catch (InterruptedException | ExecutionException e) {
                return Awaits.reply(pending, sut);
            }
            CompletableFuture<Reply> probe = c.send(0, new Request.IsDomainIntroduced(0));
            try {
                CompletableFuture.anyOf(pending, probe).get(Awaits.BOUND_SECONDS, TimeUnit.SECONDS);
                pending.get(ORDER_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            } catch (TimeoutException | ExecutionException | InterruptedException e) {
                if (e instanceof InterruptedException) {
                    Thread.currentThread().interrupt();
                }
            }
            if (!pending.isDone()) {
                if (probe.isDone() && !probe.isCompletedExceptionally()) {
                    throw new SutException(SutException.Kind.HUNG, sut.name(), "no reply to " + step.conn()
                            + "'s request, while a later request on the same connection was answered",
                            sut.logTail(20));
                }
                return Awaits.reply(pending, sut);
            }
            Reply late = Awaits.reply(pending, sut); // a failure (the daemon died) is the report
            throw new SutException(SutException.Kind.HUNG, sut.name(), "no reply to " + step.conn() + "'s request in "
                    + HUNG_AFTER_MILLIS + " ms; it came (" + late + ") only after a later request on the same"
                    + " connection", sut.logTail(20));
        } catch (InterruptedException | ExecutionException e) {
            return Awaits.reply(pending, sut);
        }
    }

    /**
     * Whether the daemon answers a harmless request on the inspector connection within {@link #STARVED_GRACE_MILLIS}:
     * one that does has the CPU, so a step still unanswered on its own connection waits for something else (more
     * input, or nothing: dropped). The daemons serve their connections from one loop (C xenstored, oxenstored, our
     * QEMU front end), so the step, sent first, had its turn. False when the daemon does not answer or has failed;
     * the step's own wait then says which.
     */
    private boolean servesOthers() {
        try {
            // not call(): a request left unanswered here is the step's report's business, not the inspector's
            inspector().send(0, new Request.IsDomainIntroduced(0)).get(STARVED_GRACE_MILLIS, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (SutException | IllegalArgumentException | ExecutionException | TimeoutException e) {
            return false;
        }
    }

    /** Records what a completed step means for later steps (a transaction's id). */
    public void completed(TraceLine.Step step, Reply reply) {
        if (step.command() instanceof Command.StartTx t && reply instanceof Reply.TransactionId id) {
            txs.bind(t.name(), id.id());
        }
    }

    /**
     * The events each of {@code watchers} received up to now: a cheap request on each, pipelined;
     * its reply comes after every event already queued for that connection.
     */
    public Map<String, List<WatchEvent>> barrier(Set<String> watchers) {
        Map<String, CompletableFuture<Reply>> pending = new LinkedHashMap<>();
        for (String name : watchers) {
            SutConnection c = conns.get(name);
            if (c != null) {
                pending.put(name, c.send(0, BARRIER));
            }
        }
        Map<String, List<WatchEvent>> out = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Reply>> e : pending.entrySet()) {
            Awaits.reply(e.getValue(), sut);
            out.put(e.getKey(), new ArrayList<>(conns.get(e.getKey()).drainEvents()));
        }
        return out;
    }

    /** Sends a barrier's request on {@code conn} now, for {@link #barrier(String, CompletableFuture)} to await. */
    public CompletableFuture<Reply> barrierRequest(String conn) {
        return conn(conn).send(0, BARRIER);
    }

    /** {@link #barrier(Set)} for {@code conn} alone, whose request went out already ({@link #barrierRequest}). */
    public Map<String, List<WatchEvent>> barrier(String conn, CompletableFuture<Reply> sent) {
        Awaits.reply(sent, sut);
        Map<String, List<WatchEvent>> out = new LinkedHashMap<>();
        out.put(conn, new ArrayList<>(conn(conn).drainEvents()));
        return out;
    }

    /** A privileged connection outside every transaction, for reading the whole tree back. */
    public SutConnection inspector() {
        if (inspector == null) {
            inspector = sut.openInspector();
        }
        return inspector;
    }

    private SutConnection conn(String name) {
        SutConnection c = conns.get(name);
        if (c == null) {
            throw new SutException(SutException.Kind.ENVIRONMENT, sut.name(), "connection " + name
                    + " was not declared", "");
        }
        return c;
    }

    @Override
    public void close() {
        conns.values().forEach(SutConnection::close);
        conns.clear();
        if (inspector != null) {
            inspector.close();
        }
    }
}
