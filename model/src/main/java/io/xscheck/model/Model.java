package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableMultiset;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsError;

/**
 * The reference model of one dialect: {@code (state, connection, transaction, request) -> the set of
 * allowed outcomes}. Pure: no I/O, no clocks, no randomness; states are immutable values. The rules
 * live in the rooms ({@link Paths}, {@link Permissions}, {@link TreeOps}, {@link Watches},
 * {@link Transactions}, {@link Domains}, {@link Quotas}); this class only routes a request to them.
 */
public final class Model {
    private final Dialect dialect;

    public Model(Dialect dialect) {
        if (dialect == null) {
            throw new IllegalArgumentException("dialect is required");
        }
        this.dialect = dialect;
    }

    public Dialect dialect() {
        return dialect;
    }

    /**
     * Whether unprivileged domain {@code domid} (with no target) may read a node with this ACL, by
     * this dialect's matching rule ({@link Permissions}): for telling whether an event a target sent
     * was one the guest must not see (XSA-115).
     */
    public boolean guestMayRead(int domid, java.util.List<Perm> acl) {
        return Permissions.canRead(dialect, new Caller("", domid, false, -1), ImmutableList.copyOf(acl));
    }

    /** The store as the daemon starts: "/" and the dialect's initial nodes, all "n0" with empty values. */
    public ModelState initial() {
        ImmutableList<Perm> n0 = ImmutableList.of(Perm.none(0));
        Tree t = Tree.withRoot(Node.empty(n0, 0));
        for (var e : dialect.initialNodes().entrySet()) {
            t = t.create(e.getKey(), new Node(e.getValue(), n0, ImmutableList.of(), 0), 0);
        }
        return new ModelState(t, ImmutableMap.of(), ImmutableMap.of(), ImmutableMap.of(), 0, 0, com.google.common.collect.ImmutableSet.of(0),
                com.google.common.collect.ImmutableSet.of(), DomainStructs.NONE, 0, ImmutableMap.of());
    }

    /**
     * A new connection named {@code conn} speaking as {@code domid}: 0 is a privileged dom0 socket,
     * anything else an unprivileged guest, whose domain is recorded as introduced if it was not
     * (a target's openGuest introduces it; no event is modelled for that implicit introduction).
     */
    public ModelState connect(ModelState s, String conn, int domid) {
        return connect(s, conn, domid, 1);
    }

    /**
     * {@link #connect(ModelState, String, int)} for a connection that served clients before, with no watch and no
     * transaction left, whose next transaction gets {@code nextTxId}: both daemons number transactions per
     * connection and go on counting when RESET_WATCHES ends them (C xenstored_transaction.c do_transaction_start,
     * conn->next_transaction_id; oxenstored connection.ml start_transaction, next_tid; only a reconnect or a live
     * update starts again at 1). A connection the harness lends again after a reset is such a one.
     */
    public ModelState connect(ModelState s, String conn, int domid, long nextTxId) {
        if (nextTxId < 1) {
            throw new IllegalArgumentException("transaction ids start at 1: " + nextTxId);
        }
        if (s.connections().containsKey(conn)) {
            throw new IllegalArgumentException("connection '" + conn + "' already exists");
        }
        if (domid < 0) {
            throw new IllegalArgumentException("domid must not be negative: " + domid);
        }
        ModelState next = s.withConnection(conn, Connection.fresh(domid, nextTxId));
        if (domid != 0 && !s.domains().containsKey(domid)) {
            if (dialect.acls().deadDomainAclEntriesKept()) {
                next = DomainStructs.allocate(next, domid, true);
            }
            // a guest's connection is a running domain: one killed before is a new domain of that id now (the
            // harness's fake hypervisor marks it running before it introduces it), which no later death notification
            // or restart cleans up as dead (gate seed 63009: a live update after a domain came back under its id)
            next = next.withDomain(new Domain(domid, 0, 1, -1, false)).withoutDead(domid);
        }
        return next;
    }

    /** The connection closed: its watches and open transactions go (C and oxenstored connection teardown). */
    public ModelState disconnect(ModelState s, String conn) {
        return Watches.keepQemuFirstWatches(dialect, s, s.withoutConnection(conn));
    }

    /** The domain died (VIRQ_DOM_EXC): cleanup and {@code @releaseDomain} per {@link Domains}. */
    public Outcome killDomain(ModelState s, int domid) {
        return keepQemuFirstWatches(s, Domains.death(dialect, s, domid));
    }

    private Outcome keepQemuFirstWatches(ModelState before, Outcome o) {
        if (!dialect.watches().unwatchOnlyFirstOnPath()) {
            return o;
        }
        return new Outcome(o.allowed().stream().map(a -> new Allowed(a.reply(),
                Watches.keepQemuFirstWatches(dialect, before, a.next()), a.events()))
                .collect(com.google.common.collect.ImmutableSet.toImmutableSet()), o.rule());
    }

    /** {@code live-update} of the daemon, asked on {@code conn} (see {@link Restarts}). */
    public Outcome liveUpdate(ModelState s, String conn, boolean force) {
        return Restarts.liveUpdate(this, s, conn, force);
    }

    /** QEMU's migration of the store, asked on {@code conn} (see {@link Restarts}). */
    public Outcome migrate(ModelState s, String conn) {
        return Restarts.migrate(this, s, conn);
    }

    /**
     * One request on {@code conn} inside transaction {@code txId} (0 = none; otherwise an id this
     * model handed out in a {@link Reply.TransactionId}).
     */
    public Outcome step(ModelState s, String conn, long txId, Request req) {
        Connection c = s.connections().get(conn);
        if (c == null) {
            throw new IllegalArgumentException("unknown connection '" + conn + "'");
        }
        Caller caller = callerOf(dialect, s, conn, c);
        try {
            return keepQemuFirstWatches(s, route(s, caller, c, txId, req));
        } catch (Refusal r) {
            return error(s, r.error, r.rule);
        }
    }

    private Outcome route(ModelState s, Caller caller, Connection c, long txId, Request req) {
        Dialect d = dialect;
        if (req instanceof Request.Raw raw) {
            return Raws.step(this, s, caller, c, txId, raw);
        }
        if (isPrivilegedOp(req.op())) {
            if (d.domains().domainAndControlOpsRefused()) {
                // QEMU answers EACCES to INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET (QEMU hw/i386/kvm/xen_xenstore.c).
                throw new Refusal(XsError.EACCES, Rule.DOMAINS_NOT_SUPPORTED);
            }
            if (!caller.privileged() && req instanceof Request.Control && d.requests().unprivilegedControlIsOk()) {
                // oxenstored process.ml do_debug: an unprivileged caller gets a bare ack, nothing is done.
                return Outcome.of(Allowed.of(new Reply.Text("OK"), s), Rule.CONTROL_UNPRIVILEGED_OK);
            }
            if (!caller.privileged()) {
                // C process_message: priv-only ops from unprivileged -> EACCES (before the tx lookup); oxenstored is_dom0.
                throw new Refusal(XsError.EACCES, Rule.DOMAINS_PRIVILEGED_ONLY);
            }
        }
        if (txId != 0 && d.transactions().pathCheckedBeforeTransaction() && req instanceof Request.NodeRequest nr
                && !c.transactions().containsKey(txId)) {
            // QEMU: xs_impl_set_perms checks its entries first, then init_walk_op validates the path, then looks the
            // transaction up (an invalid request is refused as such)
            if (req instanceof Request.SetPerms sp && d.setPerms().setPermsArgumentsCheckedFirst()) {
                Permissions.setPermsArguments(new TreeOps.Env(d, caller, s.generation() + 1, s.existing()), sp.perms());
            }
            Paths.resolveNode(d, caller, nr.path());
        }
        if (txId != 0 && !(req instanceof Request.Watch) && !(req instanceof Request.Unwatch)
                && !(req instanceof Request.TransactionStart) && !(req instanceof Request.TransactionEnd)
                && !c.transactions().containsKey(txId)) {
            // C process_message: transaction_lookup for every op but WATCH/UNWATCH (XS_FLAG_NOTID) -> ENOENT;
            // oxenstored get_transaction -> EIO (probe differential/rep3-cxenstored-5.trace: SET_PERMS @releaseDomain naming an unknown transaction -> ENOENT in C).
            throw new Refusal(d.transactions().unknownTransactionError(), Rule.TX_UNKNOWN_ID);
        }
        if (req instanceof Request.Watch w) {
            // C/oxenstored: WATCH ignores the transaction id (XSA-115).
            Watches.Registered r = Watches.watch(d, caller, s, c, w.path(), w.token());
            return Outcome.of(new Allowed(r.reply(), s.withConnection(caller.conn(), r.conn()), r.events()), r.rule());
        }
        if (req instanceof Request.Unwatch u) {
            return Outcome.of(Allowed.of(new Reply.Ok(), Watches.unwatch(d, caller, s, c, u.path(), u.token())),
                    Rule.WATCHES_UNWATCH);
        }
        if (req instanceof Request.ResetWatches) {
            Connection next = c.withWatches(ImmutableList.of());
            if (d.watches().resetWatchesEndsTransactions()) {
                // C do_reset_watches: conn_delete_all_transactions; oxenstored likewise; QEMU keeps them.
                next = next.withTransactions(ImmutableMap.of());
            }
            ModelState after = s.withConnection(caller.conn(), next);
            if (d.watches().resetWatchesPerDomain()) {
                // QEMU xs_impl_reset_watches: every watch of the domid goes, on every connection.
                for (var e : s.connections().entrySet()) {
                    if (e.getValue().domid() == c.domid() && !e.getKey().equals(caller.conn())) {
                        after = after.withConnection(e.getKey(), e.getValue().withWatches(ImmutableList.of()));
                    }
                }
            }
            return Outcome.of(Allowed.of(new Reply.Ok(), after), Rule.WATCHES_RESET);
        }
        if (req instanceof Request.TransactionStart) {
            return start(s, caller, c, txId);
        }
        if (req instanceof Request.TransactionEnd t) {
            return end(s, caller, c, txId, t.commit());
        }
        if (req instanceof Request.Introduce i) {
            return Domains.introduce(d, s, i.domid(), i.mfn(), i.port());
        }
        if (req instanceof Request.Release r) {
            return Domains.release(d, s, r.domid());
        }
        if (req instanceof Request.IsDomainIntroduced i) {
            return Domains.isIntroduced(d, s, i.domid());
        }
        if (req instanceof Request.Resume r) {
            return Domains.resume(d, s, r.domid());
        }
        if (req instanceof Request.SetTarget t) {
            return Domains.setTarget(d, s, t.domid(), t.target());
        }
        if (req instanceof Request.GetDomainPath g) {
            return Domains.domainPath(d, s, g.domid());
        }
        if (req instanceof Request.Control ctl) {
            return control(s, caller, ctl);
        }
        if (req instanceof Request.SetPerms sp && d.acls().deadDomainAclEntriesKept()) {
            ModelState allocated = permrefs(s, caller, sp.perms());
            if (allocated != s) {
                try {
                    return permsOrTree(allocated, caller, c, txId, req);
                } catch (Refusal r) {
                    return error(allocated, r.error, r.rule);
                }
            }
        }
        return permsOrTree(s, caller, c, txId, req);
    }

    /**
     * C do_set_perms allocates a struct for every named domain the hypervisor knows and xenstored does not
     * (domain_alloc_permrefs), after the count checks and before anything else, whatever the answer.
     */
    private ModelState permrefs(ModelState s, Caller caller, java.util.List<Perm> perms) {
        if (perms.isEmpty() || dialect.quotas().checkPerms(caller, perms.size()).isPresent()) {
            return s;
        }
        ModelState next = s;
        for (Perm p : perms) {
            if (s.domainExists(p.domid())) {
                next = DomainStructs.allocate(next, p.domid(), false);
            }
        }
        return next;
    }

    private Outcome permsOrTree(ModelState s, Caller caller, Connection c, long txId, Request req) {
        Dialect d = dialect;
        if (req instanceof Request.GetPerms g && g.path().startsWith("@") && d.setPerms().specialNamesArePermNodes()) {
            return specialInTransaction(s, caller, c, txId, req, tx -> SpecialNodes.getPerms(d, s, caller, c, g.path(), tx));
        }
        if (req instanceof Request.SetPerms sp && sp.path().startsWith("@") && !d.paths().specialPathsAreNodes()) {
            return specialInTransaction(s, caller, c, txId, req, tx -> setSpecialPerms(s, caller, c, sp, tx));
        }
        return treeRequest(s, caller, c, txId, req);
    }

    private static boolean isPrivilegedOp(Op op) {
        return op == Op.INTRODUCE || op == Op.RELEASE || op == Op.IS_DOMAIN_INTRODUCED || op == Op.RESUME
                || op == Op.SET_TARGET || op == Op.CONTROL;
    }

    private Outcome start(ModelState s, Caller caller, Connection c, long txId) {
        if (txId != 0) {
            if (dialect.transactions().nestedTransactionError() == XsError.EINVAL) {
                // QEMU: TRANSACTION_START with a non-zero tx_id -> EINVAL (probe qemu-xenstore-impl.txt).
                throw new Refusal(XsError.EINVAL, Rule.TX_NESTED);
            }
            // C do_transaction_start: EBUSY if that transaction exists, else the unknown-id error (oxenstored EIO).
            Transaction outer = c.transactions().get(txId);
            if (outer == null) {
                throw new Refusal(dialect.transactions().unknownTransactionError(), Rule.TX_NESTED);
            }
            if (dialect.transactions().txConflictRule() != TransactionKnobs.TxConflictRule.REPLAY) {
                throw new Refusal(XsError.EBUSY, Rule.TX_NESTED);
            }
            // oxenstored process_packet records the refused start in the transaction like any request, and its replay
            // cannot run it (function_of_type_simple_op raises: EAGAIN at a commit that replays; traces/tx-nested-start-ox.trace).
            Reply busy = Reply.Error.of(XsError.EBUSY);
            Connection recorded = c.withTransaction(outer.plusRecorded(new Transaction.Recorded(new Request.TransactionStart(), busy)));
            return Outcome.of(Allowed.of(busy, s.withConnection(caller.conn(), recorded)), Rule.TX_NESTED);
        }
        dialect.quotas().checkTransactions(caller, s, c).ifPresent(err -> {
            throw new Refusal(err, Rule.QUOTAS_TRANSACTIONS);
        });
        if (dialect.transactions().idsAcrossConnections()) {
            // QEMU xs_impl_transaction_start: tx_id = ++s->last_tx, one counter for every connection
            long id = s.lastTxId() + 1;
            ModelState counted = s.withLastTxId(id);
            Connection next = c.withTransaction(Transactions.begin(counted, id));
            return Outcome.of(Allowed.of(new Reply.TransactionId(id), counted.withConnection(caller.conn(), next)),
                    Rule.TX_START);
        }
        long id = c.nextTxId();
        Connection next = c.withNextTxId(id + 1).withTransaction(Transactions.begin(s, id));
        return Outcome.of(Allowed.of(new Reply.TransactionId(id), s.withConnection(caller.conn(), next)),
                Rule.TX_START);
    }

    private Outcome end(ModelState s, Caller caller, Connection c, long txId, boolean commit) {
        Transaction tx = c.transactions().get(txId);
        if (tx == null) {
            // C do_transaction_end: no transaction -> ENOENT; oxenstored: EIO for an unknown id (probe oxenstored-4.17.7-dom0.txt "TEND of ended tx").
            throw new Refusal(txId == 0 ? XsError.ENOENT : dialect.transactions().unknownTransactionError(), Rule.TX_END_UNKNOWN);
        }
        ModelState without = s.withConnection(caller.conn(), c.withoutTransaction(txId));
        if (!commit) {
            // xenstore.txt "TRANSACTION_END" F: discard.
            return Outcome.of(Allowed.of(new Reply.Ok(), without), Rule.TX_ABORT);
        }
        return Transactions.commit(this, without, caller, tx);
    }

    private Outcome treeRequest(ModelState s, Caller caller, Connection c, long txId, Request req) {
        long gen = s.generation() + 1;
        TreeOps.Env env = new TreeOps.Env(dialect, caller, gen, s.existing());
        if (txId == 0) {
            TreeOps.Result r = runTreeOp(env, s.tree(), req);
            if (r.written().isEmpty()) {
                return Outcome.of(Allowed.of(r.reply(), s), r.rule());
            }
            ModelState next = s.committed(r.tree(), gen);
            return Outcome.of(new Allowed(r.reply(), next, Watches.fire(dialect, next, r.changes())), r.rule());
        }
        Transaction tx = c.transactions().get(txId);
        if (tx == null) {
            // C: transaction_lookup fails -> ENOENT; oxenstored: Not_found escapes to the catch-all -> EIO.
            throw new Refusal(dialect.transactions().unknownTransactionError(), Rule.TX_UNKNOWN_ID);
        }
        Tree view = Transactions.view(dialect, s, tx);
        String target = targetOf(caller, req);
        boolean isRm = req instanceof Request.Rm;
        TreeOps.Result r;
        try {
            r = runTreeOp(env, view, req);
        } catch (Refusal ref) {
            // Refusals of the arguments come before C looks at any node, so they touch nothing (probe differential/rep3-cxenstored-8.trace: a guest
            // transaction's SET_PERMS with an unknown owner -> ENOENT, outside write of an ancestor, END T -> OK in C).
            String touched = PRE_LOOKUP_RULES.contains(ref.rule) ? null : target;
            Transaction after = Transactions.after(dialect, tx, view, touched, isRm, req, Reply.Error.of(ref.error), null, ref.rule);
            if (Transactions.lazyView(dialect) && (ref.rule == Rule.QUOTAS_NODE_SIZE || ref.rule == Rule.QUOTAS_NODE_SIZE_OF_PARENT)) {
                // C write_node: "Reverting access_node() is hard, so just fail the transaction" -> END T gives ENOMEM
                // (probe differential/rep7-cxenstored-8.trace: a guest's too-big WRITE in a transaction, END T -> ENOMEM).
                after = after.markFailed();
            }
            if (dialect.acls().deadDomainAclEntriesKept()) {
                after = DomainStructs.flagCopies(s, tx, after);
            }
            ModelState next = s.withConnection(caller.conn(), c.withTransaction(after));
            return Outcome.of(Allowed.of(Reply.Error.of(ref.error), next), ref.rule);
        }
        Transaction after = Transactions.after(dialect, tx, view, target, isRm, req, r.reply(), r);
        if (dialect.acls().deadDomainAclEntriesKept()) {
            after = DomainStructs.flagCopies(s, tx, after);
        }
        ModelState next = s.withConnection(caller.conn(), c.withTransaction(after));
        if (!r.written().isEmpty()) {
            next = next.withGeneration(gen);
        }
        return Outcome.of(Allowed.of(r.reply(), next), r.rule());
    }

    /**
     * A special node's GET/SET_PERMS inside a transaction (C 4.18+, Dialect#specialNamesArePermNodes):
     * when get_node_chk_perm refuses it, errno_from_parents reads "/" through the transaction
     * (ask_parents, access_node), so a change of "/" before the commit fails it with EAGAIN (probe
     * cxenstored-4.20.4-probes.txt, versions/c-special-in-transaction.trace). The special
     * node's ACL set in a transaction is the transaction's until its commit (SpecialNodes).
     */
    private Outcome specialInTransaction(ModelState s, Caller caller, Connection c, long txId, Request req,
                                         java.util.function.Function<java.util.Optional<Transaction>, Outcome> op) {
        if (txId == 0 || !dialect.setPerms().specialNamesArePermNodes()) {
            return op.apply(java.util.Optional.empty());
        }
        Transaction tx = c.transactions().get(txId);
        if (tx == null) {
            throw new Refusal(dialect.transactions().unknownTransactionError(), Rule.TX_UNKNOWN_ID);
        }
        try {
            return op.apply(java.util.Optional.of(tx));
        } catch (Refusal ref) {
            if (!SPECIAL_OR_MISSING_RULES.contains(ref.rule)) {
                throw ref;
            }
            Tree view = Transactions.view(dialect, s, tx);
            Transaction after = Transactions.after(dialect, tx, view, "/", false, req, Reply.Error.of(ref.error), null);
            return Outcome.of(Allowed.of(Reply.Error.of(ref.error), s.withConnection(caller.conn(), c.withTransaction(after))),
                    ref.rule);
        }
    }

    /** Refusals in a special node's lookup, which C 4.20's errno_from_parents follows by reading "/". */
    private static final java.util.Set<Rule> SPECIAL_OR_MISSING_RULES = java.util.EnumSet.of(
            Rule.SPECIAL_GET_PERMS, Rule.SPECIAL_GET_PERMS_DENIED, Rule.SPECIAL_SET_PERMS, Rule.SPECIAL_SET_PERMS_DENIED,
            Rule.SPECIAL_SET_PERMS_IN_TRANSACTION, Rule.ACLS_MISSING_NODE, Rule.ACLS_MISSING_NODE_HIDDEN);

    private static final java.util.Set<Rule> PRE_LOOKUP_RULES = java.util.EnumSet.of(
            Rule.ACLS_SET_PERMS_EMPTY, Rule.QUOTAS_PERMS_PER_NODE, Rule.ACLS_SET_PERMS_OWNER_UNKNOWN);

    private String targetOf(Caller caller, Request req) {
        String given = pathOf(req);
        if (given == null) {
            return null;
        }
        try {
            return Paths.resolveNode(dialect, caller, given);
        } catch (Refusal r) {
            return null;
        }
    }

    /** Runs a tree request (path resolution included) on {@code t}; throws {@link Refusal}. */
    TreeOps.Result runTreeOp(TreeOps.Env env, Tree t, Request req) {
        Dialect d = env.d();
        Caller c = env.c();
        if (req instanceof Request.Read r) {
            return TreeOps.read(env, t, Paths.resolveNode(d, c, r.path()));
        }
        if (req instanceof Request.Write w) {
            return TreeOps.write(env, t, Paths.resolveNode(d, c, w.path()), w.value());
        }
        if (req instanceof Request.Mkdir m) {
            return TreeOps.mkdir(env, t, Paths.resolveNode(d, c, m.path()));
        }
        if (req instanceof Request.Rm r) {
            return TreeOps.rm(env, t, Paths.resolveNode(d, c, r.path()));
        }
        if (req instanceof Request.Directory dd) {
            return TreeOps.directory(env, t, Paths.resolveNode(d, c, dd.path()));
        }
        if (req instanceof Request.DirectoryPart dp) {
            if (!d.tree().directoryPartSupported()) {
                // oxenstored 4.17: no DIRECTORY_PART in libs/xb/op.ml -> ENOSYS.
                throw new Refusal(XsError.ENOSYS, Rule.TREE_DIRECTORY_PART_UNSUPPORTED);
            }
            return TreeOps.directoryPart(env, t, Paths.resolveNode(d, c, dp.path()), dp.offset());
        }
        if (req instanceof Request.GetPerms g) {
            return TreeOps.getPerms(env, t, Paths.resolveNode(d, c, g.path()));
        }
        if (req instanceof Request.SetPerms sp) {
            if (d.setPerms().setPermsArgumentsCheckedFirst()) {
                Permissions.setPermsArguments(env, sp.perms());
            }
            return TreeOps.setPerms(env, t, Paths.resolveNode(d, c, sp.path()), ImmutableList.copyOf(sp.perms()));
        }
        throw new IllegalArgumentException("not a tree request: " + req);
    }

    /** The path argument of a tree request, or null. */
    static String pathOf(Request req) {
        return req instanceof Request.NodeRequest n ? n.path() : null;
    }

    /** SET_PERMS on "@introduceDomain"/"@releaseDomain" where they are not nodes (C set_perms_special). */
    private Outcome setSpecialPerms(ModelState s, Caller caller, Connection c, Request.SetPerms sp,
                                    java.util.Optional<Transaction> tx) {
        try {
            return setSpecialPermsChecked(s, caller, c, sp, tx);
        } catch (Refusal r) {
            if (dialect.setPerms().specialSetPermsFailureGivesStaleErrno() && r.rule.room() != Room.QUOTAS
                    && r.rule != Rule.ACLS_SET_PERMS_OWNER_UNKNOWN && r.rule != Rule.ACLS_SET_PERMS_EMPTY) {
                // C do_set_perms: "if (set_perms_special(...)) return errno;" -- errno, not the result: a stale value leaks.
                return new Outcome(com.google.common.collect.ImmutableSet.of(
                        Allowed.of(Reply.Error.of(XsError.EINVAL), s), Allowed.of(Reply.Error.of(XsError.ENOENT), s),
                        Allowed.of(Reply.Error.of(XsError.EACCES), s),
                        // probe live-update-cxenstored.txt "stale errno of SET_PERMS on an unknown @ name after an update": the restore's EEXIST
                        Allowed.of(Reply.Error.of(XsError.EEXIST), s),
                        // xenstored_core.c do_set_perms at RELEASE-4.17.7 (traces/c-stale-errno-enospc.trace, seen by gate, seed 34005): ENOSPC left by the guest's refused oversize WRITE just before; EIO
                        // as in Raws.cStaleErrno
                        Allowed.of(Reply.Error.of(XsError.ENOSPC), s), Allowed.of(Reply.Error.of(XsError.EIO), s)),
                        Rule.ACLS_SET_SPECIAL_PERMS_STALE_ERRNO);
            }
            throw r;
        }
    }

    private Outcome setSpecialPermsChecked(ModelState s, Caller caller, Connection c, Request.SetPerms sp,
                                           java.util.Optional<Transaction> tx) {
        String name = sp.path();
        if (dialect.setPerms().setPermsArgumentsCheckedFirst()) {
            Permissions.setPermsArguments(new TreeOps.Env(dialect, caller, s.generation() + 1, s.existing()), sp.perms());
        }
        if (dialect.setPerms().specialNamesArePermNodes()) {
            return SpecialNodes.setPerms(dialect, s, caller, c, sp, tx);
        }
        if (!dialect.paths().specialWatchesSupported() || !(name.equals("@introduceDomain") || name.equals("@releaseDomain"))) {
            // C set_perms_special: any other "@" name -> EINVAL; QEMU has no '@'.
            throw new Refusal(XsError.EINVAL, Rule.ACLS_SET_PERMS_UNKNOWN_SPECIAL);
        }
        if (sp.perms().isEmpty()) {
            throw new Refusal(XsError.EINVAL, Rule.ACLS_SET_PERMS_EMPTY);
        }
        ImmutableList<Perm> old = s.specialAcls().getOrDefault(name, ImmutableList.of(Perm.none(0)));
        if (!Permissions.canWrite(dialect, caller, old) || !(caller.privileged() || Permissions.isOwner(caller, old))) {
            // C set_perms_special: needs WRITE|OWNER on the special node's ACL (xenstored_domain.c at RELEASE-4.17.7;
            // probe cxenstored-4.20.4-probes.txt, versions/c-special-nodes.trace step 14: a writer that is not the
            // owner gets EINVAL, a stale errno, from 4.17.7).
            throw new Refusal(XsError.EACCES, Rule.ACLS_SET_PERMS_DENIED);
        }
        return Outcome.of(Allowed.of(new Reply.Ok(), s.withSpecialAcl(name, ImmutableList.copyOf(sp.perms()))),
                Rule.ACLS_SET_SPECIAL_PERMS);
    }

    /** C xenstored_control.c's commands; their output is diagnostic text the model does not predict. */
    private static final java.util.Set<String> C_CONTROL_COMMANDS = java.util.Set.of(
            "check", "log", "logfile", "memreport", "print", "quota", "quota-soft", "live-update", "help");

    private Outcome control(ModelState s, Caller caller, Request.Control ctl) {
        String cmd = ctl.args().isEmpty() ? "" : ctl.args().get(0);
        if (dialect.requests().unknownControlCommandIsOk()) {
            if (dialect.requests().controlCompactAndTrim() && (cmd.equals("compact") || cmd.equals("trim"))) {
                // process.ml do_debug (4.18+): Gc.compact / History.trim, answered without a NUL.
                return Outcome.of(Allowed.of(new Reply.Value(Bytes.latin1(cmd.equals("compact") ? "Compacted" : "trimmed")), s),
                        Rule.CONTROL_COMPACT_TRIM);
            }
            // oxenstored process.ml do_debug: an unknown DEBUG command answers with an ack, "OK\0" under type
            // DEBUG, which a CONTROL reply decodes to as text (ReplyCodec); its known commands print diagnostics,
            // which the model does not predict.
            boolean known = java.util.Set.of("print", "quota", "watches", "xenbus", "mfn", "live-update").contains(cmd)
                    || dialect.requests().controlCompactAndTrim() && cmd.equals("txn");
            if (!known) {
                return Outcome.of(Allowed.of(new Reply.Text("OK"), s), Rule.CONTROL_UNKNOWN_COMMAND);
            }
        } else if (!C_CONTROL_COMMANDS.contains(cmd)) {
            // C do_control: an unknown command -> EINVAL.
            throw new Refusal(XsError.EINVAL, Rule.CONTROL_UNKNOWN_COMMAND);
        }
        throw new IllegalArgumentException("CONTROL '" + cmd + "' is not modelled (its output is daemon-specific diagnostics)");
    }

    static Outcome error(ModelState s, XsError e, Rule rule) {
        return Outcome.of(new Allowed(Reply.Error.of(e), s, ImmutableMultiset.of()), rule);
    }

    static Caller callerOf(Dialect d, ModelState s, String name, Connection c) {
        Domain dom = s.domains().get(c.domid());
        int target = dom == null ? -1 : dom.target();
        // C domain_is_unprivileged: only ring connections of domid != 0; oxenstored is_dom0 also for a target of 0.
        boolean privileged = c.domid() == 0 || (target == 0 && d.acls().targetOfDom0IsPrivileged());
        return new Caller(name, c.domid(), privileged, target);
    }

    /** Bytes of a Raw payload as text, for rules that look at malformed input. */
    static String text(Bytes b) {
        return b.toLatin1();
    }
}
