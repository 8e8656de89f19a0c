package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.model.Allowed;
import io.xscheck.model.Dialect;
import io.xscheck.model.Model;
import io.xscheck.model.ModelState;
import io.xscheck.model.Outcome;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;

/** The model's side of a lockstep run: the current state only (no history) and its transaction names. */
public final class ModelSession {
    /** The harness's own connection, never a trace's (trace names cannot start with '#'). */
    private static final String HARNESS = "#harness";

    private final Model model;
    private final Dialect dialect;
    private final TxNames txs = new TxNames();
    private ModelState state;

    private final java.util.Map<String, String> txConns = new java.util.HashMap<>();

    public ModelSession(Dialect dialect) {
        this.dialect = dialect;
        this.model = new Model(dialect);
        this.state = model.initial();
    }

    /** Whether guest {@code domid} may read a node with {@code acl}, by the dialect's rule. */
    public boolean guestMayRead(int domid, java.util.List<io.xscheck.protocol.Perm> acl) {
        return model.guestMayRead(domid, acl);
    }

    public Dialect dialect() {
        return dialect;
    }

    public ModelState state() {
        return state;
    }

    public void declare(TraceLine.Conn conn) {
        declare(conn, 1);
    }

    /** {@link #declare(TraceLine.Conn)} for a connection whose next transaction gets {@code nextTxId} (a lent one). */
    public void declare(TraceLine.Conn conn, long nextTxId) {
        state = model.connect(state, conn.name(), conn.domid(), nextTxId);
    }

    /**
     * The watch events that introducing {@code conn}'s domain fires, when declaring it makes the
     * harness send XS_INTRODUCE (a guest the model does not know yet): C xenstored and oxenstored
     * fire {@code @introduceDomain} to its watchers then, as for any INTRODUCE. Computed as the
     * model's own INTRODUCE from a harness connection would; the state still follows
     * {@link #declare}, which makes the domain exist.
     */
    public com.google.common.collect.ImmutableMultiset<io.xscheck.model.Delivery> introductionEvents(TraceLine.Conn conn) {
        if (!conn.guest() || state.domains().containsKey(conn.domid())) {
            return com.google.common.collect.ImmutableMultiset.of();
        }
        ModelState withHarness = model.connect(state, HARNESS, 0);
        return model.step(withHarness, HARNESS, 0, IntroduceArgs.request(conn.domid())).allowed().stream()
                .filter(a -> a.reply() instanceof Reply.Ok).findFirst().map(Allowed::events)
                .orElse(com.google.common.collect.ImmutableMultiset.of());
    }

    /** What the model allows for the step; null for {@code events}, which asks nothing. */
    public Outcome predict(TraceLine.Step step) {
        Command c = step.command();
        long tx = step.tx().map(txs::id).orElse(0L);
        if (c instanceof Command.Send s && s.request() instanceof Request.Control control) {
            try {
                return model.step(state, step.conn(), tx, control);
            } catch (IllegalArgumentException e) {
                // a daemon's diagnostics (quota, memreport, ...): a trace may ask only what the model answers
                throw new TraceUseException(step.conn() + " control " + String.join(" ", control.args()) + ": "
                        + e.getMessage() + "; a trace can use only the control commands the model answers");
            }
        }
        if (c instanceof Command.Send s) {
            return model.step(state, step.conn(), tx, s.request());
        }
        if (c instanceof Command.StartTx) {
            return model.step(state, step.conn(), tx, new Request.TransactionStart());
        }
        if (c instanceof Command.EndTx e) {
            return model.step(state, step.conn(), txs.id(e.name()), new Request.TransactionEnd(e.commit()));
        }
        if (c instanceof Command.Introduce i) {
            return model.step(state, step.conn(), tx, IntroduceArgs.request(i));
        }
        if (c instanceof Command.Kill k) {
            return model.killDomain(state, k.domid());
        }
        if (c instanceof Command.LiveUpdate u) {
            return model.liveUpdate(state, step.conn(), u.force());
        }
        if (c instanceof Command.Migrate) {
            return model.migrate(state, step.conn());
        }
        return null;
    }

    /**
     * What the model would allow for a request step if no domain had a target (SET_TARGET undone): how C decides
     * after a live update (see {@link Lockstep}'s target-ignored cause). Null for any other step.
     */
    public Outcome predictWithoutTargets(TraceLine.Step step) {
        if (!(step.command() instanceof Command.Send s)) {
            return null;
        }
        com.google.common.collect.ImmutableMap.Builder<Integer, io.xscheck.model.Domain> domains =
                com.google.common.collect.ImmutableMap.builder();
        state.domains().forEach((id, d) -> domains.put(id, d.target() >= 0 ? d.withTarget(-1) : d));
        ModelState untargeted = new ModelState(state.tree(), state.connections(), domains.buildOrThrow(),
                state.specialAcls(), state.generation(), state.commits(), state.existing(), state.dead(),
                state.domainStructs(), state.lastTxId(), state.specialWrites());
        return model.step(untargeted, step.conn(), step.tx().map(txs::id).orElse(0L), s.request());
    }

    /** The model's transaction a step runs in, if it names one the model still has open. */
    public java.util.Optional<io.xscheck.model.Transaction> transactionOf(TraceLine.Step step) {
        if (step.tx().isEmpty()) {
            return java.util.Optional.empty();
        }
        long id = txs.id(step.tx().get());
        return state.connection(step.conn()).map(c -> c.transactions().get(id));
    }

    /** The model's open transaction of that trace name, if any. */
    public java.util.Optional<io.xscheck.model.Transaction> transactionNamed(String name) {
        String conn = txConns.get(name);
        if (conn == null || !txs.bound().containsKey(name)) {
            return java.util.Optional.empty();
        }
        long id = txs.id(name);
        return state.connection(conn).map(c -> c.transactions().get(id));
    }

    /** Moves to the outcome the target chose (or the model's own choice when there is no target). */
    public void follow(TraceLine.Step step, Allowed chosen) {
        state = chosen.next();
        if (step.command() instanceof Command.StartTx t && chosen.reply() instanceof Reply.TransactionId id) {
            txs.bind(t.name(), id.id());
            txConns.put(t.name(), step.conn());
        }
    }

    /**
     * Back to a state this session was in, between steps that only changed its {@link ModelState}: the steps
     * sent ahead (node requests, no transaction start) are judged each in the state it was predicted in.
     */
    void restore(ModelState earlier) {
        state = earlier;
    }

    /** Whether the open transaction named {@code name} has written anything (false when it is not open). */
    public boolean wrote(String name) {
        long id = txs.id(name);
        String conn = txConns.get(name);
        return conn != null && state.connection(conn).map(c -> c.transactions().get(id)).map(t -> t.wrote())
                .orElse(false);
    }

    /** The transactions open in the model now, by trace name, each with its connection. */
    public java.util.SortedMap<String, String> openTransactions() {
        java.util.SortedMap<String, String> out = new java.util.TreeMap<>();
        txs.bound().forEach((name, id) -> {
            String conn = txConns.get(name);
            if (conn != null && state.connection(conn).map(c -> c.transactions().containsKey(id)).orElse(false)) {
                out.put(name, conn);
            }
        });
        return out;
    }
}
