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
        return d.transactions().txConflictRule() == TransactionKnobs.TxConflictRule.READ_GENERATIONS;
    }

    static Transaction begin(ModelState s, long id) {
        return new Transaction(id, s.tree(), s.tree(), PersistentMap.empty(), s.commits(), ImmutableList.of(), ImmutableList.of(), false, false, "", "",
                com.google.common.collect.ImmutableMap.of(), com.google.common.collect.ImmutableMap.of());
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
        return after(d, tx, before, target, isRm, req, reply, result, null);
    }

    /** {@code refusal}: the rule that refused the request, if one did. */
    static Transaction after(Dialect d, Transaction tx, Tree before, String target, boolean isRm,
                             Request req, Reply reply, TreeOps.Result result, Rule refusal) {
        Transaction t = tx;
        if (d.transactions().txConflictRule() == TransactionKnobs.TxConflictRule.REPLAY || d.transactions().txConflictRule() == TransactionKnobs.TxConflictRule.MAY_FAIL_IF_ANYTHING_CHANGED) {
            // oxenstored process.ml: Transaction.add_operation records every request and its reply.
            t = t.plusRecorded(new Transaction.Recorded(req, reply));
        }
        if (lazyView(d) && target != null) {
            PersistentMap<String, Transaction.Accessed> acc = t.accessed();
            // an RM refused with EIO walked the subtree, whether it deleted part of it first or nothing (4.20 gate seed
            // 78005: the child it could not find stays missing in the transaction, so a second RM of the parent after
            // an outside write re-made that child is EIO again on 4.17.7 and 4.20.4)
            boolean walked = isRm && reply instanceof Reply.Error err && err.name().equals("EIO");
            // A quota refusal comes after the node was found (C write_node): no parent was read for an error
            // (probe cxenstored-4.17.7-tx-quota-refusal.txt).
            boolean quota = reply instanceof Reply.Error q && (q.name().equals("E2BIG") || q.name().equals("ENOSPC"))
                    // C do_set_perms: the owner change is refused after get_node found the node, which reads no
                    // parent (gate seed 50013; traces/tx-setperms-owner-change-c.trace)
                    || refusal == Rule.ACLS_OWNER_CHANGE;
            boolean parentMissing = isRm && reply instanceof Reply.Error inval && inval.name().equals("EINVAL");
            for (String p : lookups(before, target, isRm, result == null && !quota, walked, parentMissing)) {
                if (!acc.containsKey(p)) {
                    Node n = before.node(p);
                    // C access_node(NODE_ACCESS_READ): remember the generation (NO_GENERATION if missing) to check at commit.
                    acc = acc.with(p, new Transaction.Accessed(java.util.Optional.ofNullable(n),
                            n == null ? Transaction.Accessed.NO_GENERATION : n.generation(), true, false, acc.size()));
                }
            }
            if (result != null) {
                for (String p : result.written()) {
                    Transaction.Accessed prev = acc.get(p);
                    long gen = prev == null ? Transaction.Accessed.NO_GENERATION : prev.generation();
                    boolean check = prev != null && prev.checkGeneration();
                    acc = acc.with(p, new Transaction.Accessed(java.util.Optional.ofNullable(result.tree().node(p)), gen, check, true,
                            prev == null ? acc.size() : prev.order()));
                }
            }
            t = t.withAccessed(acc);
        }
        if (d.transactions().txConflictRule() == TransactionKnobs.TxConflictRule.REPLAY && target != null && result != null) {
            t = withLowPaths(t, before, target, req, result);
        }
        if (result != null) {
            if (!lazyView(d)) {
                t = t.withView(result.tree());
            }
            t = t.plusChanges(result.changes());
            if (!result.changes().isEmpty()) {
                // oxenstored is_read_only: only write ops that fire watches count; implicit parents of a failed WRITE do
                // not, so such a transaction commits as an abort (probe differential/rep7-oxenstored-3.trace: END T -> OK, the parents gone).
                t = t.markWrote();
            }
        }
        return t;
    }

    /** oxenstored transaction.ml set_read_lowpath / set_write_lowpath after a request that did its work. */
    private static Transaction withLowPaths(Transaction t, Tree before, String target, Request req, TreeOps.Result r) {
        boolean ok = r.reply() instanceof Reply.Ok || !(r.reply() instanceof Reply.Error);
        String read = t.readLow();
        String write = t.writeLow();
        if (ok && (req instanceof Request.Read || req instanceof Request.Directory || req instanceof Request.GetPerms)) {
            read = lowest(read, target);
        } else if (req instanceof Request.Mkdir && target.equals("/") && !r.changes().isEmpty()) {
            write = lowest(write, "/");
        } else if (req instanceof Request.Write || req instanceof Request.Mkdir) {
            if (!r.written().isEmpty()) {
                // write of an existing node: the node; creation (implicit parents included): the nearest existing ancestor.
                write = lowest(write, before.exists(target) ? target : Permissions.nearestExisting(before, target));
            }
        } else if (ok && req instanceof Request.SetPerms) {
            write = lowest(write, target);
        } else if (ok && req instanceof Request.Rm && !r.written().isEmpty()) {
            write = lowest(write, Paths.parent(target));
        }
        return t.withLowPaths(read, write);
    }

    /** Longest common prefix of two paths, by name (transaction.ml get_lowest); "" is "none yet". */
    static String lowest(String a, String b) {
        if (a.isEmpty()) {
            return b;
        }
        String[] x = a.equals("/") ? new String[0] : a.substring(1).split("/");
        String[] y = b.equals("/") ? new String[0] : b.substring(1).split("/");
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(x.length, y.length) && x[i].equals(y[i]); i++) {
            out.append('/').append(x[i]);
        }
        return out.length() == 0 ? "/" : out.toString();
    }

    /** oxenstored transaction.ml test_coalesce: the subtree at {@code path} is untouched since START. */
    private static boolean canCoalesce(Tree old, Tree now, String path) {
        if (path.isEmpty()) {
            return true;
        }
        Node o = old.node(path);
        Node n = now.node(path);
        if (o == null && n == null) {
            return path.equals("/") || now.exists(Paths.parent(path));
        }
        if (o == null || n == null) {
            return false;
        }
        List<String> a = old.subtree(path);
        List<String> b = now.subtree(path);
        if (!a.equals(b)) {
            return false;
        }
        for (String p : a) {
            // Physical equality in oxenstored; here equal nodes, generation included (every change takes a new one).
            if (!old.node(p).equals(now.node(p))) {
                return false;
            }
        }
        // check_parents_perms_identical: every node from the root down to the path has the same ACL.
        for (String p = path; ; p = Paths.parent(p)) {
            Node x = old.node(p);
            Node y = now.node(p);
            if (x == null || y == null || !x.perms().equals(y.perms())) {
                return false;
            }
            if (p.equals("/")) {
                return true;
            }
        }
    }

    /** oxenstored commit_partial: the transaction's subtree at the write path replaces the store's. */
    private static Tree graft(Tree main, Tree view, String path, long gen) {
        if (path.isEmpty()) {
            return main;
        }
        Tree t = main;
        for (String p : main.subtree(path)) {
            t = t.drop(p);
        }
        for (String p : view.subtree(path)) {
            t = t.put(p, view.node(p));
        }
        if (!path.equals("/") && !main.exists(path) && view.exists(path)) {
            Node parent = t.node(Paths.parent(path));
            if (parent != null && !parent.children().contains(Paths.basename(path))) {
                t = t.put(Paths.parent(path), parent.withChild(Paths.basename(path), gen));
            }
        }
        return t;
    }

    /** The nodes C reads for a request on {@code path}: the node, ancestors up to an existing one, and for RM the parent and subtree. */
    private static List<String> lookups(Tree t, String path, boolean isRm, boolean refused, boolean walked, boolean parentMissing) {
        List<String> out = new ArrayList<>();
        out.add(path);
        String p = path;
        if (parentMissing && t.exists(p) && !p.equals("/") && !t.exists(Paths.parent(p))) {
            // C rm_node found the node but not its parent: EINVAL after reading the parent alone, no walk up
            // (xenstored_core.c rm_node at RELEASE-4.17.7; pinned trace tx-rm-einval-parent-c.trace).
            out.add(Paths.parent(p));
            return out;
        }
        if (refused && t.exists(p) && !p.equals("/")) {
            // C get_node failure -> errno_from_parents -> ask_parents reads the parent (xenstored_core.c ask_parents at RELEASE-4.17.7: a guest's refused READ
            // in a transaction, outside change of the parent's child list, END T -> EAGAIN).
            p = Paths.parent(p);
            out.add(p);
        }
        while (!t.exists(p) && !p.equals("/")) {
            p = Paths.parent(p);
            out.add(p);
        }
        if (walked && t.exists(path) && !path.equals("/")) {
            // An RM refused with EIO had walked the subtree as its copy lists it, reading each node up to the child it
            // could not find, that one included, and none after it (4.20 gate seed 78016: a sibling listed after the
            // missing one stays unread, so the transaction later reads it from the main tree, on 4.17.7 and 4.20.4);
            // a node read missing in a transaction stays missing there (C read_node: NO_GENERATION access, then
            // transaction_prepend finds no copy; probe cxenstored-4.17.7-tx-rm-eio.txt, third trace).
            out.add(Paths.parent(path));
            out.addAll(TreeOps.walkReads(t, path));
        } else if (isRm && !refused && t.exists(path) && !path.equals("/")) {
            // C rm_node reads the parent, then walks the subtree (only once the RM is allowed; probe differential/rep5-cxenstored-7.trace: a refused RM
            // in a transaction did not conflict with an outside change below the node).
            out.add(Paths.parent(path));
            out.addAll(t.subtree(path));
        }
        return out;
    }

    /** TRANSACTION_END T: the allowed outcomes of committing {@code tx} (already removed from {@code s}). */
    static Outcome commit(Model m, ModelState s, Caller c, Transaction tx) {
        Dialect d = m.dialect();
        switch (d.transactions().txConflictRule()) {
            case READ_GENERATIONS -> {
                if (tx.failed()) {
                    // C do_transaction_end: a transaction marked failed -> ENOMEM.
                    return error(s, XsError.ENOMEM, Rule.TX_FAILED);
                }
                for (Map.Entry<String, Long> e : tx.specialReads().entrySet()) {
                    if (s.specialWrites(e.getKey()) != e.getValue()) {
                        // C 4.18+ finalize_transaction: a special node read in the transaction was set since -> EAGAIN
                        // (4.20 gate seed 78023; versions/c-special-read-in-transaction.trace).
                        return error(s, XsError.EAGAIN, Rule.TX_CONFLICT_READ_NODE_CHANGED);
                    }
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
                        return error(s, XsError.EAGAIN, Rule.TX_CONFLICT_READ_NODE_CHANGED);
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
                Tree committedTree = t;
                ImmutableList<Change> fired = asCommitted(tx, withoutCreatedAndDeleted(tx, t, perNode(tx.changes())), s.tree(), committedTree);
                Allowed done = new Allowed(new Reply.Ok(), next, Watches.fire(d, next, fired));
                // C 4.18+: special nodes' ACLs set in the transaction apply now, with their events (SpecialNodes).
                return Outcome.of(tx.specialAcls().isEmpty() ? done : SpecialNodes.committed(d, done, tx), Rule.TX_COMMIT);
            }
            case ANY_COMMIT_SINCE_START -> {
                if (s.commits() != tx.startCommits()) {
                    // QEMU xs_impl_transaction_end: the main tree moved since START -> EAGAIN (probe qemu-xenstore-impl.txt).
                    return error(s, XsError.EAGAIN, Rule.TX_CONFLICT_ANY_COMMIT);
                }
                if (!tx.wrote()) {
                    // QEMU transaction_commit: root_tx becomes this transaction's id even when it changed nothing, so older
                    // transactions then fail (xenstore_impl.c transaction_commit sets root_tx: A tx T2, B tx T3, B commit T3, A commit T2 -> EAGAIN).
                    return Outcome.of(Allowed.of(new Reply.Ok(), s.committedUnchanged()), Rule.TX_COMMIT_UNCHANGED);
                }
                return treeCommit(d, s, tx, perNode(tx.changes()));
            }
            case REPLAY -> {
                if (!tx.wrote()) {
                    // oxenstored do_transaction_end: a read-only transaction commits as an abort.
                    return Outcome.of(Allowed.of(new Reply.Ok(), s), Rule.TX_COMMIT_READ_ONLY);
                }
                if (s.commits() == tx.startCommits()) {
                    // oxenstored transaction.ml try_commit: root unchanged -> the transaction's root becomes the store's.
                    return treeCommit(d, s, tx, withParentInRoot(d, c, tx, tx.changes()));
                }
                if (canCoalesce(tx.base(), s.tree(), tx.readLow()) && canCoalesce(tx.base(), s.tree(), tx.writeLow())) {
                    // oxenstored transaction.ml commit_partial: the read and write subtrees are untouched -> graft.
                    ModelState next = s.committed(graft(s.tree(), tx.view(), tx.writeLow(), s.generation() + 1), s.generation() + 1);
                    Allowed grafted = new Allowed(new Reply.Ok(), next, Watches.fire(d, next, withParentInRoot(d, c, tx, tx.changes())));
                    if (tx.recorded().stream().anyMatch(x -> x.request() instanceof Request.DirectoryPart)) {
                        // With a DIRECTORY_PART (an op oxenstored does not know) in it, such a transaction coalesced in
                        // two probes (rep6-oxenstored-5; a DIRECTORY_PART after the outside write) and failed in a third
                        // (traces/tx-directorypart-no-coalesce-ox.trace, gate seed 49012, 4.17.7 and 4.20.4: EAGAIN where
                        // a READ instead coalesces); what decides is not found yet, so the model allows both.
                        return new Outcome(ImmutableSet.of(grafted, Allowed.of(Reply.Error.of(XsError.EAGAIN), s)),
                                Rule.TX_COMMIT_REPLAYED_WITH_DIRECTORY_PART);
                    }
                    return Outcome.of(grafted, Rule.TX_COMMIT_COALESCED);
                }
                Replayed r = replay(m, s, c, tx);
                if (r.unreplayable() && !r.mismatch()) {
                    // oxenstored transaction_replay: an op it cannot replay raises, caught -> EAGAIN.
                    return error(s, XsError.EAGAIN, Rule.TX_CONFLICT_UNREPLAYABLE);
                }
                if (!r.mismatch() && !r.wrote() && tx.recorded().stream().anyMatch(x -> x.request() instanceof Request.DirectoryPart)) {
                    // The same uncertainty as below for a replay that wrote nothing (process.ml transaction_replay at RELEASE-4.17.7: tx MKDIR of a node
                    // created outside meanwhile, tx DIRECTORY_PART, END T -> EAGAIN on 4.17.7 and 4.20.4).
                    Allowed ok = new Allowed(new Reply.Ok(), s, Watches.fire(d, s, withParentInRoot(d, c, tx, tx.changes())));
                    return new Outcome(ImmutableSet.of(ok, Allowed.of(Reply.Error.of(XsError.EAGAIN), s)),
                            Rule.TX_COMMIT_REPLAYED_WITH_DIRECTORY_PART);
                }
                if (!r.mismatch() && !r.wrote()) {
                    // oxenstored: the replay's transaction did no write that fires watches (an RM of a node gone
                    // meanwhile, a write that failed after creating its parents), so the store is left as it is: the
                    // parents vanish with it (as in oxenstoredTransactionWhoseOnlyWriteFailedCommitsAsAnAbort;
                    // probe oxenstored-4.17.7-tx-rm-created.txt, fourth trace).
                    // The events still come from the original transaction's ops (process.ml do_transaction_end:
                    // process_watch on the transaction, not on its replay).
                    return Outcome.of(new Allowed(new Reply.Ok(), s, Watches.fire(d, s, withParentInRoot(d, c, tx, tx.changes()))),
                            Rule.TX_COMMIT_REPLAYED_READ_ONLY);
                }
                if (!r.mismatch() && tx.recorded().stream().anyMatch(x -> x.request() instanceof Request.DirectoryPart)) {
                    // oxenstored with a DIRECTORY_PART in the replayed transaction answered OK once and EAGAIN once for
                    // replays whose replies all repeat (probes differential/rep6-oxenstored-5.trace, rep7-oxenstored-3.trace): the model allows both.
                    ModelState next = s.committed(r.tree(), s.generation() + 1);
                    Allowed ok = new Allowed(new Reply.Ok(), next, Watches.fire(d, next, withParentInRoot(d, c, tx, tx.changes())));
                    return new Outcome(ImmutableSet.of(ok, Allowed.of(Reply.Error.of(XsError.EAGAIN), s)),
                            Rule.TX_COMMIT_REPLAYED_WITH_DIRECTORY_PART);
                }
                if (r.mismatch()) {
                    if (tx.recorded().stream().anyMatch(x -> x.request() instanceof Request.DirectoryPart
                            || isUnreplayable(m.dialect(), x.request()))) {
                        // The same EAGAIN, under its own rule: oxenstored's blame search that follows replays the
                        // transaction against guests' history records and raises at the op it cannot replay, which
                        // escapes as EINVAL (probes differential/rep3-oxenstored-3.trace, rep4-oxenstored-5.trace):
                        // a bug, named in the engine (ConflictBlameRaise), not an answer the model allows.
                        return error(s, XsError.EAGAIN, Rule.TX_CONFLICT_REPLAY_DIFFERS_UNREPLAYABLE);
                    }
                    // oxenstored process.ml transaction_replay: a reply differs -> EAGAIN.
                    return error(s, XsError.EAGAIN, Rule.TX_CONFLICT_REPLAY_DIFFERS);
                }
                ModelState next = s.committed(r.tree(), s.generation() + 1);
                // oxenstored process_watch: one event per write op of the original transaction.
                return Outcome.of(new Allowed(new Reply.Ok(), next, Watches.fire(d, next, withParentInRoot(d, c, tx, tx.changes()))),
                        Rule.TX_COMMIT_REPLAYED);
            }
            case MAY_FAIL_IF_ANYTHING_CHANGED -> {
                if (s.commits() == tx.startCommits()) {
                    return treeCommit(d, s, tx, perNode(tx.changes()));
                }
                // xenstore.txt "TRANSACTION_END": EAGAIN if another change intervened; committing serializably is also fine.
                Allowed fail = Allowed.of(Reply.Error.of(XsError.EAGAIN), s);
                Replayed r = replay(m, s, c, tx);
                if (r.mismatch() || r.unreplayable()) {
                    return new Outcome(ImmutableSet.of(fail), Rule.TX_CONFLICT_MAY_FAIL);
                }
                ModelState next = s.committed(r.tree(), s.generation() + 1);
                Allowed ok = new Allowed(new Reply.Ok(), next, Watches.fire(d, next, perNode(tx.changes())));
                return new Outcome(ImmutableSet.of(ok, fail), Rule.TX_CONFLICT_MAY_FAIL);
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

    /** A commit of the transaction's tree, with the events the dialect fires for it (TransactionKnobs.commitEvents). */
    private static Outcome treeCommit(Dialect d, ModelState s, Transaction tx, ImmutableList<Change> changes) {
        if (d.transactions().commitEvents() == TransactionKnobs.CommitEvents.PER_CHANGE || !tx.wrote()) {
            return Outcome.of(snapshotCommit(d, s, tx, changes), Rule.TX_COMMIT);
        }
        ModelState next = s.committed(tx.view(), s.generation() + 1);
        ImmutableSet.Builder<Allowed> out = ImmutableSet.builder();
        for (ImmutableList<Change> fired : TransactionTreeEvents.allowed(tx.base(), tx.view(), tx.changes())) {
            out.add(new Allowed(new Reply.Ok(), next, Watches.fire(d, next, fired)));
        }
        return new Outcome(out.build(), Rule.TX_COMMIT);
    }

    /** The outcome of replaying a transaction's requests on the current tree. */
    /** @param wrote whether a replayed op did a write that fires watches (oxenstored add_wop) */
    private record Replayed(Tree tree, boolean mismatch, boolean unreplayable, boolean wrote) {
    }

    private static boolean isUnreplayable(Dialect d, Request r) {
        if (r instanceof Request.Raw raw) {
            // oxenstored records a request of an unknown type too, and function_of_type_simple_op raises for it
            // (process.ml transaction_replay: the raise is caught as a conflict, EAGAIN).
            return raw.op() == io.xscheck.protocol.Op.INVALID;
        }
        // a TRANSACTION_START sent inside the transaction (refused, recorded): function_of_type_simple_op raises for it too
        return r instanceof Request.TransactionStart;
    }

    /** Replays the recorded requests on the current tree, stopping at the first difference or unreplayable op. */
    private static Replayed replay(Model m, ModelState s, Caller c, Transaction tx) {
        Tree t = s.tree();
        boolean wrote = false;
        long gen = s.generation() + 1;
        for (Transaction.Recorded r : tx.recorded()) {
            if (isUnreplayable(m.dialect(), r.request())) {
                // oxenstored function_of_type_simple_op raises for an op it does not know.
                return new Replayed(t, false, true, false);
            }
            if (r.request() instanceof Request.Raw) {
                // A malformed request of a known op fails the same way again.
                continue;
            }

            Reply again;
            try {
                TreeOps.Result res = m.runTreeOp(new TreeOps.Env(m.dialect(), c, gen, s.existing()), t, r.request());
                again = res.reply();
                t = res.tree();
                wrote |= !res.changes().isEmpty();
            } catch (Refusal ref) {
                again = Reply.Error.of(ref.error);
            }
            if (!again.equals(r.reply())) {
                return new Replayed(t, true, false, wrote);
            }
        }
        return new Replayed(t, false, false, wrote);
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
    /**
     * oxenstored process_watch looks a transaction's RM events up in the tree of the transaction's start
     * (oldroot), so a watch below the removed node fires only if its parent was there then (probe
     * oxenstored-4.17.7-tx-rm-created.txt: tx WRITE /local/domain/1, tx RM /local, commit -> no event for a watch on /local/domain/c).
     */
    private static Change removedAsInBase(Tree base, Change c) {
        if (!base.exists(c.path())) {
            // A node the transaction both created and removed: lookup_watch_perm of a watch below it finds no parent in
            // oldroot, so only watches on it and above fire (tx WRITE /c/_f, tx RM /c/_f, WATCH /c/_f/data,
            // commit -> no event; probe oxenstored-4.17.7-tx-rm-created.txt). Whom they fire for is decided by the
            // node's parent in oldroot alone, the node not being there, whatever ACL the transaction gave the node
            // (gate seed 75117; traces/tx-created-removed-perms-oldroot-ox.trace: tx WRITE, SETPERMS r2, RM of a node
            // below one domain 1 may not read: no event for domain 1's watch on /).
            ImmutableList<ImmutableList<io.xscheck.protocol.Perm>> parent = !c.path().equals("/")
                    && base.exists(Paths.parent(c.path())) ? ImmutableList.of(base.node(Paths.parent(c.path())).access())
                    : ImmutableList.of();
            return new Change(c.path(), c.exact(), false, parent, ImmutableList.of());
        }
        // What was below the node in oldroot, whatever an earlier op of the transaction removed: a later RM of an
        // ancestor fires those watches again (probe oxenstored-4.17.7-tx-rm-created.txt, replayed commits).
        ImmutableList.Builder<Change.Removed> kept = ImmutableList.builder();
        for (String p : base.subtree(c.path())) {
            if (!p.equals(c.path())) {
                kept.add(new Change.Removed(p, base.node(p).access()));
            }
        }
        // The removed node's own ACL and its parent's as they stood in oldroot too, not as the transaction left them
        // (process.ml process_watch: Rm looks perms up in oldroot only; pinned trace conformance-tests/.../traces/tx-rm-perms-oldroot-ox.trace: tx SETPERMS / r3, tx RM /, a
        // guest's watch on /q1 -> no event on 4.17.7 and 4.20.4, where a SETPERMS before START fires it).
        ImmutableList.Builder<ImmutableList<io.xscheck.protocol.Perm>> acls = ImmutableList.builder();
        acls.add(base.node(c.path()).access());
        if (!c.path().equals("/") && base.exists(Paths.parent(c.path()))) {
            acls.add(base.node(Paths.parent(c.path())).access());
        }
        return new Change(c.path(), c.exact(), c.removal(), acls.build(), kept.build());
    }

    private static ImmutableList<Change> withParentInRoot(Dialect d, Caller caller, Transaction tx, ImmutableList<Change> changes) {
        ImmutableList.Builder<Change> out = ImmutableList.builder();
        // process.ml process_watch: SETPERMS is looked up with ?oldroot as well as the final root, so its event fires
        // if the parent was in either (probe oxenstored-4.17.7-tx-rm-created.txt: tx SETPERMS /r/g/d, tx RM /r/g); a
        // WRITE or MKDIR of the same path only in the final root, each op its own event (gate seed 49008: tx WRITE
        // and SETPERMS of /local/domain/2/vm, tx RM /local: one event, the SETPERMS's; traces/tx-events-per-op-ox.trace).
        // Events of one path are alike, so which of its changes is the SETPERMS's does not matter, only how many are.
        java.util.Map<String, Integer> setPerms = new java.util.HashMap<>();
        // The path as the node's: "@introduceDomain" is the node /@introduceDomain on oxenstored (gate seed 77013: tx
        // SETPERMS @introduceDomain n2 b2 n1 after r0, a guest's watch on /@introduceDomain fires at the replayed
        // commit as the ACL at START lets it read), a guest's relative path its home's child.
        tx.recorded().forEach(r -> {
            if (r.request() instanceof Request.SetPerms sp && r.reply() instanceof Reply.Ok) {
                String node = sp.path().startsWith("/") ? sp.path() : nodeOf(d, caller, sp.path());
                if (node != null) {
                    setPerms.merge(node, 1, Integer::sum);
                }
            }
        });
        for (Change c : changes) {
            Tree root = c.removal() ? tx.base() : tx.view();
            boolean bySetPerms = !c.removal() && setPerms.getOrDefault(c.path(), 0) > 0;
            if (bySetPerms) {
                setPerms.merge(c.path(), -1, Integer::sum);
            }
            boolean inOldRoot = bySetPerms && !c.path().equals("/") && tx.base().exists(Paths.parent(c.path()));
            // "/" itself never fires (Watches), but an RM of "/" still fires the watches below it.
            if (c.path().equals("/") || root.exists(Paths.parent(c.path())) || inOldRoot) {
                out.add(c.removal() ? removedAsInBase(tx.base(), c) : asInRoots(tx, c, bySetPerms));
            }
        }
        return out.build();
    }

    /** The node a path the transaction used names, or null where it names none (a special name of C's or QEMU's). */
    private static String nodeOf(Dialect d, Caller caller, String given) {
        if (given.startsWith("@") && !d.paths().specialPathsAreNodes()) {
            return null;
        }
        try {
            return Paths.resolveNode(d, caller, given);
        } catch (Refusal r) {
            return null;
        }
    }

    /**
     * oxenstored checks a committed WRITE's or MKDIR's watchers against the node and its parent in the
     * transaction's final store, a SETPERMS's against them in the store at START too (process.ml
     * process_watch, connection.ml lookup_watch_perms), not as they were when the op ran (pinned trace
     * conformance-tests/.../traces/tx-events-final-store-ox.trace: tx WRITE /tool/xenstored, tx SETPERMS /tool/xenstored b2 w0 r3, commit: a watch of domain 2 on
     * /tool fires twice on 4.17.7 and 4.20.4).
     */
    private static Change asInRoots(Transaction tx, Change c, boolean setPerms) {
        ImmutableList.Builder<ImmutableList<io.xscheck.protocol.Perm>> acls = ImmutableList.builder();
        addAround(acls, tx.view(), c.path());
        if (setPerms) {
            addAround(acls, tx.base(), c.path());
        }
        return new Change(c.path(), c.exact(), c.removal(), acls.build(), c.below());
    }

    private static void addAround(ImmutableList.Builder<ImmutableList<io.xscheck.protocol.Perm>> acls, Tree root, String path) {
        if (root.exists(path)) {
            acls.add(root.node(path).access());
        }
        if (!path.equals("/") && root.exists(Paths.parent(path))) {
            acls.add(root.node(Paths.parent(path)).access());
        }
    }

    /**
     * The changes of a committed C transaction as C fires them: one per node it accessed and changed, a node an
     * RM removed below the node it was asked to remove included (delnode_sub queued an exact event on it), each
     * checked as {@link #asAtCommit} says. Fired at commit with no node to read, a removed node is judged by
     * its ACL as the transaction first saw it only, not by its parent's (pinned trace
     * tx-commit-events-final-perms-c.trace: tx SETPERMS /local/domain/1 n0, tx RM /local/domain/1, commit: guest 2,
     * owner of /local/domain/1 before, watching the child /local/domain/1/e-1 owned by dom0, gets nothing; 4.17.7
     * and 4.20.4).
     */
    private static ImmutableList<Change> asCommitted(Transaction tx, ImmutableList<Change> changes, Tree before, Tree after) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        changes.forEach(c -> seen.add(c.path()));
        ImmutableList.Builder<Change> out = ImmutableList.builder();
        for (Change c : changes) {
            out.add(asAtCommit(tx, new Change(c.path(), c.exact(), c.removal(), c.acls(), ImmutableList.of()), before, after));
            for (Change.Removed r : c.below()) {
                if (seen.add(r.path())) {
                    out.add(asAtCommit(tx, new Change(r.path(), true, true, ImmutableList.of(), ImmutableList.of()), before, after));
                }
            }
        }
        return out.build();
    }

    /**
     * The ACLs C checks a committed change's watchers against (xenstored_transaction.c finalize_transaction,
     * xenstored_watch.c watch_permitted): the node's ACL as the transaction first saw it, if it existed
     * then (at a commit that succeeds, that is the main tree's before the commit), else nothing; then the
     * node as it stands after the commit, when it is still there, and its parent as the store has it when the node fires (pinned
     * trace conformance-tests/.../traces/tx-commit-events-final-perms-c.trace: a transaction that creates /tool/data and gives it "r2" fires a guest's watch on /tool, 4.17.7
     * and 4.20.4).
     */
    private static Change asAtCommit(Transaction tx, Change c, Tree before, Tree after) {
        ImmutableList.Builder<ImmutableList<io.xscheck.protocol.Perm>> acls = ImmutableList.builder();
        Node saved = before.node(c.path());
        if (saved != null) {
            acls.add(saved.access());
        }
        Node now = after.node(c.path());
        if (now != null) {
            acls.add(now.access());
            // The parent as the store has it when this node's watches fire: C commits and fires node by node in
            // the order the transaction first touched them, so the parent is committed already only if the
            // transaction touched it first; a node it created was touched (read as missing) before the parents it
            // created or changed on the way (same pinned trace: tx WRITE /tool/xenstored/a, tx SETPERMS
            // /tool/xenstored r2, commit: a guest 2 watching / gets /tool/xenstored only; and tx MKDIR
            // /local/domain/1/e-1 creating /local/domain/1, tx SETPERMS /local/domain/1 n2, commit: a guest 2
            // watching /local/domain/1/e-1 gets nothing, as the parent is not in the store yet; 4.17.7 and 4.20.4).
            Node parent = null;
            if (!c.path().equals("/")) {
                String parentPath = Paths.parent(c.path());
                Transaction.Accessed mine = tx.accessed().get(c.path());
                Transaction.Accessed theirs = tx.accessed().get(parentPath);
                boolean parentFirst = mine != null && theirs != null && theirs.modified() && theirs.order() < mine.order();
                parent = parentFirst ? after.node(parentPath) : before.node(parentPath);
            }
            if (parent != null) {
                acls.add(parent.access());
            }
        }
        return new Change(c.path(), c.exact(), c.removal(), acls.build(), c.below());
    }

    /** One change per path; a non-exact change replaces an exact one (C queue_watches). */
    private static ImmutableList<Change> perNode(ImmutableList<Change> changes) {
        Map<String, Change> by = new LinkedHashMap<>();
        for (Change c : changes) {
            Change prev = by.get(c.path());
            if (prev != null && prev.removal() && c.removal()) {
                // Removed twice (re-created in between): every node either removal took was accessed and fires, so the
                // later removal's list keeps the earlier one's too (pinned trace tx-rm-twice-c.trace: tx RM /local/domain, tx MKDIR g@h, tx RM
                // /local/domain, commit: a watch on /local/domain/2, removed the first time, fires on 4.17.7).
                java.util.LinkedHashMap<String, Change.Removed> below = new java.util.LinkedHashMap<>();
                prev.below().forEach(r -> below.put(r.path(), r));
                c.below().forEach(r -> below.putIfAbsent(r.path(), r));
                by.put(c.path(), new Change(c.path(), c.exact(), true, c.acls(), ImmutableList.copyOf(below.values())));
            } else if (prev == null || c.removal()) {
                by.put(c.path(), c);
            } else if (!prev.removal()) {
                // One event for the node, which a watcher may see if it may read the node under any ACL the
                // transaction's changes of it had (QEMU: a transaction creates /local/domain/1/_f/data, then gives
                // it to domain 1; the commit fires domain 1's watch on _f; pinned trace tx-commit-acl-qemu.trace).
                Change kept = prev.exact() && !c.exact() ? c : prev;
                Change other = kept == c ? prev : c;
                java.util.LinkedHashSet<ImmutableList<io.xscheck.protocol.Perm>> acls = new java.util.LinkedHashSet<>(kept.acls());
                acls.addAll(other.acls());
                by.put(c.path(), new Change(kept.path(), kept.exact(), false, ImmutableList.copyOf(acls), kept.below()));
            } else if (prev.exact() && !c.exact()) {
                by.put(c.path(), c);
            }
        }
        return ImmutableList.copyOf(by.values());
    }

    private static Outcome error(ModelState s, XsError e, Rule rule) {
        return Outcome.of(new Allowed(Reply.Error.of(e), s, ImmutableMultiset.of()), rule);
    }
}
