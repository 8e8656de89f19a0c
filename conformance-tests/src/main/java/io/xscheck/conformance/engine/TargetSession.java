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

/**
 * One target's side of a lockstep run: its connections by trace name and its own transaction ids.
 * Never sees the model.
 */
public final class TargetSession implements AutoCloseable {
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

    public void declare(TraceLine.Conn conn) {
        if (conns.containsKey(conn.name())) {
            return;
        }
        conns.put(conn.name(), conn.guest() ? sut.openGuest(conn.domid()) : sut.openPrivileged());
    }

    /** Starts the step; the future completes with the target's reply. Null for {@code events}. */
    public CompletableFuture<Reply> start(TraceLine.Step step) {
        Command c = step.command();
        if (c instanceof Command.Events) {
            return null;
        }
        if (c instanceof Command.Kill k) {
            sut.killDomain(k.domid());
            return CompletableFuture.completedFuture(new Reply.Ok());
        }
        SutConnection conn = conn(step.conn());
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
        Command.Introduce i = (Command.Introduce) c;
        return conn.send(tx, IntroduceArgs.request(i.domid()));
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
                pending.put(name, c.send(0, new Request.IsDomainIntroduced(0)));
            }
        }
        Map<String, List<WatchEvent>> out = new LinkedHashMap<>();
        for (Map.Entry<String, CompletableFuture<Reply>> e : pending.entrySet()) {
            Awaits.reply(e.getValue(), sut);
            out.put(e.getKey(), new ArrayList<>(conns.get(e.getKey()).drainEvents()));
        }
        return out;
    }

    /** A privileged connection outside every transaction, for reading the whole tree back. */
    public SutConnection inspector() {
        if (inspector == null) {
            inspector = sut.openPrivileged();
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
