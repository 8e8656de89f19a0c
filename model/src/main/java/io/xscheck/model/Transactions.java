package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMultiset;
import com.google.common.collect.ImmutableSet;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * <h2>Transactions</h2>
 * TRANSACTION_START gives an id (opaque; the model counts per connection from 1 like C and
 * oxenstored); requests carrying that id see the transaction's view and change only it; END with
 * {@code T} commits, with {@code F} aborts; after END the id is gone whatever the result
 * (xenstore.txt "TRANSACTION_START/END"). Watch events of a transaction fire at a successful
 * commit only. No nesting: START inside a transaction is EBUSY (QEMU EINVAL). An unknown id is
 * ENOENT (oxenstored EIO).
 *
 * <p>The conflict rule is where the implementations differ most ({@link Dialect#txConflictRule()}):
 * <ul>
 * <li>C: the transaction sees each node as it was when it first touched it (not as of START); the
 *     commit fails with EAGAIN iff a node it first read (missing nodes included) changed since.
 *     Disjoint changes commit. A transaction marked failed answers ENOMEM.</li>
 * <li>oxenstored: a snapshot as of START; commit if nothing changed since, else replay every
 *     request against the current store and commit iff every reply is the same. A transaction
 *     that wrote nothing never fails.</li>
 * <li>QEMU: a snapshot; EAGAIN iff anything at all was committed since START.</li>
 * <li>spec: must commit if nothing changed, may fail with EAGAIN otherwise.</li>
 * </ul>
 */
final class Transactions {
    private Transactions() {
    }

    static boolean lazyView(Dialect d) {
        return d.txConflictRule() == Dialect.TxConflictRule.READ_GENERATIONS;
    }

    static Transaction begin(ModelState s, long id) {
        return new Transaction(id, s.tree(), s.tree(), PersistentMap.empty(), s.commits(), ImmutableList.of(), ImmutableList.of(), false, false);
    }

    /** The tree a request inside {@code tx} sees. */
    static Tree view(Dialect d, ModelState s, Transaction tx) {
        if (!lazyView(d)) {
            return tx.view();
        }
        // C: nodes not yet touched by the transaction are read from the live tree (xenstored_transaction.c access_node).
        Tree[] t = {s.tree()};
        tx.accessed().forEach((p, a) -> t[0] = a.node().isPresent() ? t[0].put(p, a.node().get()) : t[0].drop(p));
        return t[0];
    }

    /** The transaction after a request ran in it (refused or not). */
    static Transaction after(Dialect d, Transaction tx, Tree before, String target, boolean isRm,
                             Request req, Reply reply, TreeOps.Result result) {
        Transaction t = tx;
        if (d.txConflictRule() == Dialect.TxConflictRule.REPLAY || d.txConflictRule() == Dialect.TxConflictRule.MAY_FAIL_IF_ANYTHING_CHANGED) {
            // oxenstored process.ml: Transaction.add_operation records every request and its reply.
            t = t.plusRecorded(new Transaction.Recorded(req, reply));
        }
        if (lazyView(d) && target != null) {
            PersistentMap<String, Transaction.Accessed> acc = t.accessed();
            for (String p : lookups(before, target, isRm)) {
                if (!acc.containsKey(p)) {
                    Node n = before.node(p);
                    // C access_node(NODE_ACCESS_READ): remember the generation (NO_GENERATION if missing) to check at commit.
                    acc = acc.with(p, new Transaction.Accessed(java.util.Optional.ofNullable(n),
                            n == null ? Transaction.Accessed.NO_GENERATION : n.generation(), true, false));
                }
            }
            if (result != null) {
                for (String p : result.written()) {
                    Transaction.Accessed prev = acc.get(p);
                    long gen = prev == null ? Transaction.Accessed.NO_GENERATION : prev.generation();
                    boolean check = prev != null && prev.checkGeneration();
                    acc = acc.with(p, new Transaction.Accessed(java.util.Optional.ofNullable(result.tree().node(p)), gen, check, true));
                }
            }
            t = t.withAccessed(acc);
        }
        if (result != null) {
            if (!lazyView(d)) {
                t = t.withView(result.tree());
            }
            t = t.plusChanges(result.changes());
            if (!result.written().isEmpty()) {
                t = t.markWrote();
            }
        }
        return t;
    }

    /** The nodes C reads for a request on {@code path}: the node, ancestors up to an existing one, and for RM the parent and subtree. */
    private static List<String> lookups(Tree t, String path, boolean isRm) {
        List<String> out = new ArrayList<>();
        out.add(path);
        String p = path;
        while (!t.exists(p) && !p.equals("/")) {
            p = Paths.parent(p);
            out.add(p);
        }
        if (isRm && t.exists(path) && !path.equals("/")) {
            out.add(Paths.parent(path));
            out.addAll(t.subtree(path));
        }
        return out;
    }

    /** TRANSACTION_END T: the allowed outcomes of committing {@code tx} (already removed from {@code s}). */
    static Outcome commit(Model m, ModelState s, Caller c, Transaction tx) {
        Dialect d = m.dialect();
        switch (d.txConflictRule()) {
            case READ_GENERATIONS -> {
                if (tx.failed()) {
                    // C do_transaction_end: a transaction marked failed -> ENOMEM.
                    return error(s, XsError.ENOMEM, "Transactions.failedTransaction");
                }
                for (Map.Entry<String, Transaction.Accessed> e : tx.accessed().entries()) {
                    Transaction.Accessed a = e.getValue();
                    if (!a.checkGeneration()) {
                        continue;
                    }
                    Node now = s.tree().node(e.getKey());
                    long gen = now == null ? Transaction.Accessed.NO_GENERATION : now.generation();
                    if (gen != a.generation()) {
                        // C finalize_transaction: a node read in the transaction changed since -> EAGAIN.
                        return error(s, XsError.EAGAIN, "Transactions.conflictReadNodeChanged");
                    }
                }
                long gen = s.generation() + 1;
                Tree t = s.tree();
                boolean changed = false;
                for (Map.Entry<String, Transaction.Accessed> e : tx.accessed().entries()) {
                    Transaction.Accessed a = e.getValue();
                    if (!a.modified()) {
                        continue;
                    }
                    changed = true;
                    t = a.node().isPresent() ? t.put(e.getKey(), a.node().get().withValue(a.node().get().value(), gen)) : t.drop(e.getKey());
                }
                ModelState next = changed ? s.committed(t, gen) : s;
                // C: one event per modified node (accessed_node fire_watch; a non-exact event replaces an exact one).
                ImmutableList<Change> fired = withoutCreatedAndDeleted(tx, t, perNode(tx.changes()));
                return Outcome.of(new Allowed(new Reply.Ok(), next, Watches.fire(d, next, fired)),
                        "Transactions.commit");
            }
            case ANY_COMMIT_SINCE_START -> {
                if (s.commits() != tx.startCommits()) {
                    // QEMU xs_impl_transaction_end: the main tree moved since START -> EAGAIN (probe qemu-xenstore-impl.txt).
                    return error(s, XsError.EAGAIN, "Transactions.conflictAnyCommit");
                }
                return Outcome.of(snapshotCommit(d, s, tx, perNode(tx.changes())), "Transactions.commit");
            }
            case REPLAY -> {
                if (!tx.wrote()) {
                    // oxenstored do_transaction_end: a read-only transaction commits as an abort.
                    return Outcome.of(Allowed.of(new Reply.Ok(), s), "Transactions.commitReadOnly");
                }
                if (s.commits() == tx.startCommits()) {
                    // oxenstored transaction.ml try_commit: root unchanged -> the transaction's root becomes the store's.
                    return Outcome.of(snapshotCommit(d, s, tx, withParentInRoot(tx, tx.changes())), "Transactions.commit");
                }
                Tree replayed = replay(m, s, c, tx);
                if (replayed == null) {
                    // oxenstored process.ml transaction_replay: a reply differs -> EAGAIN.
                    return error(s, XsError.EAGAIN, "Transactions.conflictReplayDiffers");
                }
                ModelState next = s.committed(replayed, s.generation() + 1);
                // oxenstored process_watch: one event per write op of the original transaction.
                return Outcome.of(new Allowed(new Reply.Ok(), next, Watches.fire(d, next, withParentInRoot(tx, tx.changes()))),
                        "Transactions.commitReplayed");
            }
            case MAY_FAIL_IF_ANYTHING_CHANGED -> {
                if (s.commits() == tx.startCommits()) {
                    return Outcome.of(snapshotCommit(d, s, tx, perNode(tx.changes())), "Transactions.commit");
                }
                // xenstore.txt "TRANSACTION_END": EAGAIN if another change intervened; committing serializably is also fine.
                Allowed fail = Allowed.of(Reply.Error.of(XsError.EAGAIN), s);
                Tree replayed = replay(m, s, c, tx);
                if (replayed == null) {
                    return new Outcome(ImmutableSet.of(fail), "Transactions.conflictMayFail");
                }
                ModelState next = s.committed(replayed, s.generation() + 1);
                Allowed ok = new Allowed(new Reply.Ok(), next, Watches.fire(d, next, perNode(tx.changes())));
                return new Outcome(ImmutableSet.of(ok, fail), "Transactions.conflictMayFail");
            }
            default -> throw new IllegalStateException();
        }
    }

    private static Allowed snapshotCommit(Dialect d, ModelState s, Transaction tx, ImmutableList<Change> changes) {
        if (!tx.wrote()) {
            return Allowed.of(new Reply.Ok(), s);
        }
        ModelState next = s.committed(tx.view(), s.generation() + 1);
        return new Allowed(new Reply.Ok(), next, Watches.fire(d, next, changes));
    }

    /** Replays the recorded requests on the current tree; the resulting tree, or null if a reply differs. */
    private static Tree replay(Model m, ModelState s, Caller c, Transaction tx) {
        Tree t = s.tree();
        long gen = s.generation() + 1;
        for (Transaction.Recorded r : tx.recorded()) {
            if (r.request() instanceof Request.Raw raw) {
                io.xscheck.protocol.Op op = raw.op();
                if (op == io.xscheck.protocol.Op.INVALID || op == io.xscheck.protocol.Op.WATCH_EVENT
                        || op == io.xscheck.protocol.Op.ERROR) {
                    // oxenstored function_of_type_simple_op raises for these -> transaction_replay fails -> EAGAIN.
                    return null;
                }
                // A malformed request of a known op fails the same way again.
                continue;
            }
            Reply again;
            try {
                TreeOps.Result res = m.runTreeOp(new TreeOps.Env(m.dialect(), c, gen, s.existing()), t, r.request());
                again = res.reply();
                t = res.tree();
            } catch (Refusal ref) {
                again = Reply.Error.of(ref.error);
            }
            if (!again.equals(r.reply())) {
                return null;
            }
        }
        return t;
    }

    /**
     * C: a node created and deleted inside the transaction fires nothing at commit: watch_permitted
     * finds neither its original ACL nor the node (xenstored_watch.c; probe cxenstored-4.17.7-dom0-more.txt
     * "tx create /x1/y then RM it" no event).
     */
    private static ImmutableList<Change> withoutCreatedAndDeleted(Transaction tx, Tree after, ImmutableList<Change> changes) {
        ImmutableList.Builder<Change> out = ImmutableList.builder();
        for (Change c : changes) {
            if (invisible(tx, after, c.path())) {
                continue;
            }
            ImmutableList<Change.Removed> below = c.below().stream().filter(r -> !invisible(tx, after, r.path()))
                    .collect(ImmutableList.toImmutableList());
            out.add(new Change(c.path(), c.exact(), c.removal(), c.acls(), below));
        }
        return out.build();
    }

    private static boolean invisible(Transaction tx, Tree after, String path) {
        Transaction.Accessed a = tx.accessed().get(path);
        return a != null && a.generation() == Transaction.Accessed.NO_GENERATION && !after.exists(path);
    }

    /**
     * oxenstored process_watch: an event for P fires only if P's parent is in the root it is checked
     * against: the store at START for RM, the transaction's final store otherwise (connection.ml
     * lookup_watch_perm; probe oxenstored-4.17.7-dom0-more.txt "tx WRITE /n/m (creates /n) then RM /n").
     */
    private static ImmutableList<Change> withParentInRoot(Transaction tx, ImmutableList<Change> changes) {
        ImmutableList.Builder<Change> out = ImmutableList.builder();
        for (Change c : changes) {
            Tree root = c.removal() ? tx.base() : tx.view();
            if (!c.path().equals("/") && root.exists(Paths.parent(c.path()))) {
                out.add(c);
            }
        }
        return out.build();
    }

    /** One change per path; a non-exact change replaces an exact one (C queue_watches). */
    private static ImmutableList<Change> perNode(ImmutableList<Change> changes) {
        Map<String, Change> by = new LinkedHashMap<>();
        for (Change c : changes) {
            Change prev = by.get(c.path());
            if (prev == null || (prev.exact() && !c.exact()) || c.removal()) {
                by.put(c.path(), c);
            }
        }
        return ImmutableList.copyOf(by.values());
    }

    private static Outcome error(ModelState s, XsError e, String rule) {
        return Outcome.of(new Allowed(Reply.Error.of(e), s, ImmutableMultiset.of()), rule);
    }
}
