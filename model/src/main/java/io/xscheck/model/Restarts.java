package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Restarts that keep the store: a daemon's live update, QEMU's migration. The promise both rest
 * on is that a quiet restart is a no-op: the tree with its ACLs and special nodes, the watches
 * (which fire as before, exactly once, and nothing fires for the restart itself), the introduced
 * domains and their targets all stay as they were; connections stay open. Only what the
 * implementations say they do not keep differs, per {@link RestartKnobs}.
 *
 * <p>Evidence: first the probe transcripts model/src/test/resources/probes/live-update-*.txt
 * (every knob names its section); then C xenstored's xenstored_control.c at RELEASE-4.17.7
 * (lu_check_lu_allowed, lu_reject_reason: who may go ahead and the refusal text; lu_dump_state:
 * what the state dump holds, transactions not among it) and oxenstored's process.ml (its
 * live-update command answering "BUSY") and xenstored.ml (the DB dump and restore, and the
 * start-up writes); for QEMU's migration, probe qemu-migrate.txt and QEMU 10.0.13's
 * hw/i386/kvm/xenstore_impl.c (xs_impl_serialize, save_watch, xs_impl_deserialize).
 */
public final class Restarts {
    /** What the client sees of {@code -f}: the binary's path does not matter to the model. */
    static final Request.Control NAME_BINARY = new Request.Control(List.of("live-update", "-f", "BINARY"));

    private Restarts() {
    }

    /** {@code NAME liveupdate [force]} on connection {@code conn}. */
    static Outcome liveUpdate(Model model, ModelState s, String conn, boolean force) {
        Dialect d = model.dialect();
        Connection c = s.connections().get(conn);
        if (c == null) {
            throw new IllegalArgumentException("unknown connection '" + conn + "'");
        }
        Caller caller = Model.callerOf(d, s, conn, c);
        if (!caller.privileged() || d.domains().domainAndControlOpsRefused()) {
            // The -f request is refused as any CONTROL from this caller is (Model.route's privilege check).
            return model.step(s, conn, 0, NAME_BINARY);
        }
        RestartKnobs k = d.restartKnobs();
        switch (k.liveUpdate()) {
            case NONE:
                // xenstore.txt CONTROL: the commands are implementation specific; one without live update
                // answers as to any command it does not know.
                return Model.error(s, XsError.EINVAL, Rule.RESTARTS_NO_LIVE_UPDATE);
            case BUSY_WHILE_TRANSACTIONS:
                if (openTransactions(s) > 0) {
                    // oxenstored process.ml LiveUpdate: "BUSY" while any transaction is open, -F or not; the
                    // transaction is kept (probe live-update-oxenstored.txt "open transaction").
                    return Outcome.of(Allowed.of(raw("BUSY"), s), Rule.RESTARTS_BUSY_WHILE_TRANSACTIONS);
                }
                if (k.targetHoldsUpdateBack() && s.domains().values().stream().anyMatch(dom -> dom.target() >= 0)) {
                    // probe live-update-oxenstored.txt "set target": BUSY as long as a domain has a target.
                    return Outcome.of(Allowed.of(raw("BUSY"), s), Rule.RESTARTS_BUSY_WHILE_TARGETS);
                }
                return Outcome.of(restarted(model, raw("OK"), s), Rule.RESTARTS_QUIET);
            case HELD_REPLY_DROPS_FORCED_TRANSACTIONS:
            default:
                if (openTransactions(s) == 0) {
                    return Outcome.of(restarted(model, new Reply.Text("OK"), s), Rule.RESTARTS_QUIET);
                }
                if (force) {
                    // xenstored_control.c lu_check_lu_allowed: -F with every transaction older than -t (0 s
                    // here) goes ahead; transactions are not dumped, so they are gone after exec.
                    return Outcome.of(restarted(model, new Reply.Text("OK"), dropTransactions(s)),
                            Rule.RESTARTS_FORCED_DROPS_TRANSACTIONS);
                }
                // xenstored_control.c lu_reject_reason: at the deadline (-t 0: now), one line per connection
                // with a transaction, its age in whole seconds (0, or 1 across a second boundary), each line
                // after a newline, none at the end (probe live-update-cxenstored.txt "open transaction").
                return new Outcome(refusals(s), Rule.RESTARTS_REFUSED_WHILE_TRANSACTIONS);
        }
    }

    /** What the client sees of xscheck's front end's migration request. */
    static final Request.Control MIGRATE = new Request.Control(List.of("x-xscheck-migrate"));

    /** {@code NAME migrate}: QEMU's serialize, create, deserialize (xscheck's QEMU front end, migrate.c). */
    static Outcome migrate(Model model, ModelState s, String conn) {
        Dialect d = model.dialect();
        Connection c = s.connections().get(conn);
        if (c == null) {
            throw new IllegalArgumentException("unknown connection '" + conn + "'");
        }
        if (!d.restartKnobs().migrates()) {
            // a private request of xscheck's QEMU front end; nothing else knows it
            return Model.error(s, XsError.EINVAL, Rule.RESTARTS_NO_MIGRATION);
        }
        if (!Model.callerOf(d, s, conn, c).privileged()) {
            // refused as any CONTROL from a guest is
            return model.step(s, conn, 0, MIGRATE);
        }
        // QEMU's stream does not say whose a watch is; deserialize gives every saved watch to the one guest
        // (domid and opaque) it is told of. The front end refuses when that would not be QEMU's case.
        Set<Integer> watchingGuests = new TreeSet<>();
        int watchingConnections = 0;
        for (Connection x : s.connections().values()) {
            if (x.domid() != 0 && !x.watches().isEmpty()) {
                watchingGuests.add(x.domid());
            }
        }
        for (Connection x : s.connections().values()) {
            if (watchingGuests.contains(x.domid())) {
                watchingConnections++;
            }
        }
        if (watchingConnections > 1) {
            return Model.error(s, XsError.EBUSY, Rule.RESTARTS_MIGRATION_NEEDS_ONE_GUEST);
        }
        // Everything else is kept (tree, ACLs, transactions and their ids, the guest's watches, which fire
        // as before and not for the migration itself); dom0's watches are not part of the guest's state.
        ImmutableMap.Builder<String, Connection> b = ImmutableMap.builder();
        s.connections().forEach((name, x) -> b.put(name, x.domid() == 0 ? x.withWatches(ImmutableList.of()) : x));
        return Outcome.of(Allowed.of(new Reply.Text("OK"), s.withConnections(b.buildOrThrow())), Rule.RESTARTS_MIGRATED);
    }

    private static int openTransactions(ModelState s) {
        return s.connections().values().stream().mapToInt(c -> c.transactions().size()).sum();
    }

    /**
     * The state after the restart itself: the same, but transaction ids start again at 1 where the
     * knob says so, and the new process does what it does at any start ({@link RestartKnobs.AfterRestart}).
     */
    private static Allowed restarted(Model model, Reply reply, ModelState s) {
        Dialect d = model.dialect();
        RestartKnobs k = d.restartKnobs();
        if (d.acls().deadDomainAclEntriesKept()) {
            s = DomainStructs.liveUpdated(s);
        }
        if (k.transactionIdsRestart()) {
            ImmutableMap.Builder<String, Connection> b = ImmutableMap.builder();
            s.connections().forEach((name, c) -> b.put(name, c.transactions().isEmpty() ? c.withNextTxId(1) : c));
            s = s.withConnections(b.buildOrThrow());
        }
        switch (k.afterRestart()) {
            case DEAD_DOMAINS_RELEASED: {
                if (s.dead().isEmpty()) {
                    return Allowed.of(reply, s);
                }
                // Domains.death sweeps every introduced domain that is dead, as C's check_domains does;
                // naming one already dead adds nothing else.
                Allowed swept = Domains.death(d, s, s.dead().iterator().next()).single();
                return new Allowed(reply, swept.next(), swept.events());
            }
            case STARTUP_NODES_REWRITTEN:
                return Allowed.of(reply, startupNodes(model, s));
            case NOTHING:
            default:
                return Allowed.of(reply, s);
        }
    }

    /** The harness-side name of the restarted daemon's own start-up writes (trace names cannot start with '#'). */
    private static final String STARTUP = "#startup";

    /**
     * oxenstored's start-up nodes written again: the special nodes if missing (ACL n0), and
     * /tool/xenstored written as dom0 writes it, so a missing /tool comes back the way any
     * implicit parent does (with its parent's ACL: probe live-update-oxenstored.txt "start up nodes"; "/" with ACL "b7 b0 w7", "RM /",
     * update: /tool has "b7 b0 w7"). Events of these writes are not modelled: none was seen.
     */
    private static ModelState startupNodes(Model model, ModelState s) {
        Dialect d = model.dialect();
        ImmutableList<Perm> n0 = ImmutableList.of(Perm.none(0));
        Tree t = s.tree();
        long gen = s.generation();
        for (Map.Entry<String, Bytes> e : d.initialNodes().entrySet()) {
            if (Paths.basename(e.getKey()).startsWith("@") && !t.exists(e.getKey())) {
                t = t.create(e.getKey(), new Node(e.getValue(), n0, ImmutableList.of(), gen), gen);
            }
        }
        s = s.withTree(t);
        Bytes tool = d.initialNodes().get("/tool/xenstored");
        if (tool == null || (t.exists("/tool/xenstored") && t.node("/tool/xenstored").value().equals(tool))) {
            return s;
        }
        ModelState withWriter = model.connect(s, STARTUP, 0);
        ModelState written = model.step(withWriter, STARTUP, 0, new Request.Write("/tool/xenstored", tool)).allowed()
                .iterator().next().next();
        return model.disconnect(written, STARTUP);
    }

    private static ModelState dropTransactions(ModelState s) {
        ImmutableMap.Builder<String, Connection> b = ImmutableMap.builder();
        s.connections().forEach((name, c) -> b.put(name, c.withTransactions(ImmutableMap.of())));
        return s.withConnections(b.buildOrThrow());
    }

    /** Every refusal text C may send: per connection with transactions, "Domain D: 0 s" or "... 1 s". */
    private static ImmutableSet<Allowed> refusals(ModelState s) {
        List<Integer> holders = new ArrayList<>();
        for (Map.Entry<String, Connection> e : s.connections().entrySet()) {
            if (!e.getValue().transactions().isEmpty()) {
                holders.add(e.getValue().domid());
            }
        }
        // In the order of C's own list of connections (xenstored_control.c lu_reject_reason walks `connections`),
        // which is the order the daemon accepted them in: a daemon reused across cases keeps some connections and
        // not others, so any order (gate seed 50065: "Domain 1, Domain 2, Domain 0").
        List<List<Integer>> orders = holders.size() <= MAX_PERMUTED ? permutations(holders) : List.of(holders);
        ImmutableSet.Builder<Allowed> out = ImmutableSet.builder();
        for (List<Integer> order : orders) {
            for (int ages = 0; ages < (1 << order.size()); ages++) {
                StringBuilder text = new StringBuilder("Domains with long running transactions:");
                for (int i = 0; i < order.size(); i++) {
                    text.append("\nDomain ").append(order.get(i)).append(": ").append((ages >> i) & 1).append(" s");
                }
                out.add(Allowed.of(new Reply.Text(text.toString()), s));
            }
        }
        return out.build();
    }

    private static final int MAX_PERMUTED = 5;

    private static List<List<Integer>> permutations(List<Integer> items) {
        if (items.size() <= 1) {
            return List.of(items);
        }
        List<List<Integer>> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            List<Integer> rest = new ArrayList<>(items);
            Integer first = rest.remove(i);
            for (List<Integer> tail : permutations(rest)) {
                List<Integer> p = new ArrayList<>();
                p.add(first);
                p.addAll(tail);
                out.add(p);
            }
        }
        return out;
    }

    private static Reply raw(String text) {
        return new Reply.Value(Bytes.latin1(text));
    }
}
