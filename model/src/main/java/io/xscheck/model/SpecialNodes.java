package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMultiset;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsError;

import java.util.Map;
import java.util.Optional;

/**
 * C xenstored 4.18+ keeps "@introduceDomain" and "@releaseDomain" as nodes of its database that
 * GET_PERMS and SET_PERMS reach (Dialect#specialNamesArePermNodes). Source: tools/xenstored/core.c
 * at RELEASE-4.20.4, do_get_perms and do_set_perms call get_node(..., allow_special = true),
 * get_node_chk_perm and errno_from_parents; watch.c fire_watches, watch_permitted, is_child.
 * Probe: model/src/test/resources/probes/cxenstored-4.20.4-probes.txt (versions/c-special-*.trace).
 *
 * <p>Their ACL is the model's special ACL (default {@code n0}), which also filters the events of
 * domain introduction and release, as in 4.17.
 */
final class SpecialNodes {

    private static final ImmutableList<Perm> DEFAULT_ACL = ImmutableList.of(Perm.none(0));

    private SpecialNodes() {
    }

    static boolean known(String name) {
        return name.equals("@introduceDomain") || name.equals("@releaseDomain");
    }

    /**
     * GET_PERMS of an "@" name: the ACL of a special node, else a missing node. Inside a
     * transaction, an ACL the transaction set (not yet committed) is the one it sees.
     */
    static Outcome getPerms(Dialect d, ModelState s, Caller caller, Connection c, String name, Optional<Transaction> tx) {
        if (!known(name)) {
            throw missing(d, s, caller, false, tx);
        }
        ImmutableList<Perm> acl = acl(s, name, tx);
        if (!Permissions.canRead(d, caller, acl)) {
            // get_node_chk_perm: EACCES, which errno_from_parents keeps whatever "/" grants.
            throw new Refusal(XsError.EACCES, Rule.SPECIAL_GET_PERMS_DENIED);
        }
        // In a transaction the read is recorded like any node's (access_node), and a SET_PERMS of the name since makes
        // the commit EAGAIN (probe cxenstored-4.20.4-probes.txt, versions/c-special-read-in-transaction.trace).
        ModelState next = tx.isEmpty() ? s
                : s.withConnection(caller.conn(), c.withTransaction(tx.get().withSpecialRead(name, s.specialWrites(name))));
        return Outcome.of(Allowed.of(new Reply.Perms(acl), next), Rule.SPECIAL_GET_PERMS);
    }

    /**
     * SET_PERMS of an "@" name, after the argument checks: a node change that fires watches. Inside
     * a transaction it is written to the transaction and fires at commit (fire_watches queues events
     * while conn->transaction is set; transaction.c); {@link #committed} applies it then (probe
     * cxenstored-4.20.4-probes.txt, versions/c-special-setperms-in-transaction.trace).
     */
    static Outcome setPerms(Dialect d, ModelState s, Caller caller, Connection c, Request.SetPerms sp,
                            Optional<Transaction> tx) {
        String name = sp.path();
        if (!known(name)) {
            throw missing(d, s, caller, true, tx);
        }
        ImmutableList<Perm> old = acl(s, name, tx);
        if (!Permissions.canWrite(d, caller, old) || !(caller.privileged() || Permissions.isOwner(caller, old))) {
            // get_node(..., XS_PERM_WRITE | XS_PERM_OWNER): a guest needs write access and to own the node.
            throw new Refusal(XsError.EACCES, Rule.SPECIAL_SET_PERMS_DENIED);
        }
        if (!caller.privileged() && sp.perms().get(0).domid() != old.get(0).domid()) {
            // do_set_perms: "Unprivileged domains may not change the owner."
            throw new Refusal(d.setPerms().ownerChangeError(), Rule.ACLS_OWNER_CHANGE);
        }
        ImmutableList<Perm> acl = ImmutableList.copyOf(sp.perms());
        if (tx.isPresent()) {
            // do_set_perms reads the node first (get_node), so the commit checks it as a read one too (T4 of
            // versions/c-special-read-in-transaction.trace: EAGAIN after an outside SET_PERMS of the name)
            ModelState next = s.withConnection(caller.conn(),
                    c.withTransaction(tx.get().withSpecialRead(name, s.specialWrites(name)).withSpecialAcl(name, acl)));
            return Outcome.of(Allowed.of(new Reply.Ok(), next), Rule.SPECIAL_SET_PERMS_IN_TRANSACTION);
        }
        ModelState next = s.withSpecialAcl(name, acl);
        return Outcome.of(new Allowed(new Reply.Ok(), next, events(d, next, name, old, acl)), Rule.SPECIAL_SET_PERMS);
    }

    /** A committed transaction's special ACLs, applied with their events (transaction.c finalize_transaction). */
    static Allowed committed(Dialect d, Allowed commit, Transaction tx) {
        ModelState next = commit.next();
        ImmutableMultiset.Builder<Delivery> events = ImmutableMultiset.<Delivery>builder().addAll(commit.events());
        for (Map.Entry<String, ImmutableList<Perm>> e : tx.specialAcls().entrySet()) {
            ImmutableList<Perm> old = acl(next, e.getKey(), Optional.empty());
            next = next.withSpecialAcl(e.getKey(), e.getValue());
            events.addAll(events(d, next, e.getKey(), old, e.getValue()));
        }
        return new Allowed(commit.reply(), next, events.build());
    }

    /**
     * fire_watches(name, exact = false): every watch whose path is the name or "/" (is_child says
     * "/" holds everything), for watchers that may read the node before or after, or its parent "/"
     * (watch_permitted).
     */
    private static ImmutableMultiset<Delivery> events(Dialect d, ModelState s, String name, ImmutableList<Perm> old,
                                                      ImmutableList<Perm> now) {
        ImmutableMultiset.Builder<Delivery> out = ImmutableMultiset.builder();
        Node root = s.tree().node("/");
        for (Map.Entry<String, Connection> e : s.connections().entrySet()) {
            Caller watcher = Model.callerOf(d, s, e.getKey(), e.getValue());
            boolean permitted = watcher.privileged() || Permissions.canRead(d, watcher, old)
                    || Permissions.canRead(d, watcher, now) || (root != null && Permissions.canRead(d, watcher, root.access()));
            if (!permitted) {
                continue;
            }
            for (Watch w : e.getValue().watches()) {
                if (w.canonical().equals(name) || w.canonical().equals("/")) {
                    out.add(new Delivery(e.getKey(), new WatchEvent(name, w.token())));
                }
            }
        }
        return out.build();
    }

    private static ImmutableList<Perm> acl(ModelState s, String name, Optional<Transaction> tx) {
        ImmutableList<Perm> pending = tx.map(t -> t.specialAcls().get(name)).orElse(null);
        return pending != null ? pending : s.specialAcls().getOrDefault(name, DEFAULT_ACL);
    }

    /**
     * An unknown "@" name: missing, judged by what "/" grants, which errno_from_parents reads through the transaction
     * when there is one: a transaction that already read "/" sees its ACL as it read it (4.20 gate seed 79016, C 4.20.4:
     * a guest transaction's refused WRITE read "/", an outside SET_PERMS of "/" then granted the guest read, and its
     * GET_PERMS of @other stayed EACCES; without that WRITE, ENOENT).
     */
    private static Refusal missing(Dialect d, ModelState s, Caller caller, boolean write, Optional<Transaction> tx) {
        Tree seen = tx.map(t -> Transactions.view(d, s, t)).orElse(s.tree());
        return Permissions.missing(d, caller, seen, "/", write);
    }
}
