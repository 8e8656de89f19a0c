package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.XsError;
import java.util.ArrayList;
import java.util.List;

/**
 * <h2>Tree operations</h2>
 * READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART, GET_PERMS and SET_PERMS on one tree (the main
 * tree, or a transaction's view). Each returns the reply, the new tree, the changes that fire
 * watches, and the paths whose nodes it changed; a refused request throws {@link Refusal}.
 *
 * <ul>
 * <li>WRITE and MKDIR create missing parents with an empty value and a copy of their parent's ACL;
 *     a node an unprivileged domain creates is owned by it in C, by the parent's owner elsewhere
 *     ({@link Dialect#ownerOfGuestCreatedNode()}). Only the named node fires watches, not the
 *     implicit parents (C create_node after XSA-326; oxenstored with_watch:false).</li>
 * <li>MKDIR of an existing node: OK, no change, no event (C do_mkdir, oxenstored Already_exist).</li>
 * <li>RM removes the whole subtree whatever the children's ACLs; a missing node per
 *     {@link Dialect#rmOfMissingNode()}; "/" per {@link Dialect#rmOfRoot()}.</li>
 * <li>DIRECTORY lists children in {@link Dialect#directoryOrder()}.</li>
 * </ul>
 */
final class TreeOps {
    private TreeOps() {
    }

    /** Everything a tree operation needs to know about its context. */
    record Env(Dialect d, Caller c, long gen, java.util.Set<Integer> existing) {
        boolean domainExists(int domid) {
            return domid == 0 || existing.contains(domid);
        }
    }

    /** A successful operation. {@code written}: paths whose node was created, changed or removed. */
    record Result(Reply reply, Tree tree, ImmutableList<Change> changes, ImmutableList<String> written, Rule rule) {
        static Result readOnly(Reply reply, Tree t, Rule rule) {
            return new Result(reply, t, ImmutableList.of(), ImmutableList.of(), rule);
        }
    }

    /** XENSTORE_PAYLOAD_MAX: a longer reply is E2BIG (C send_reply, XSA-72; QEMU). */
    static final int PAYLOAD_MAX = 4096;

    static Result read(Env e, Tree t, String path) {
        Node n = t.node(path);
        if (n == null) {
            throw Permissions.missing(e.d(), e.c(), t, path, false);
        }
        if (!Permissions.canRead(e.d(), e.c(), n.access())) {
            // xenstore.txt "READ" needs read permission; C get_node EACCES.
            throw Permissions.denied(Rule.ACLS_READ_DENIED, e.c(), n);
        }
        return Result.readOnly(new Reply.Value(n.value()), t, Rule.TREE_READ);
    }

    static Result write(Env e, Tree t, String path, Bytes value) {
        if (e.d().tree().writeCreatesParentsFirst()) {
            return writeParentsFirst(e, t, path, value);
        }
        Node n = t.node(path);
        if (n != null) {
            return writeExisting(e, t, path, n, value);
        }
        return create(e, t, path, value, Rule.TREE_WRITE_CREATES);
    }

    private static Result writeExisting(Env e, Tree t, String path, Node n, Bytes value) {
        if (!Permissions.canWrite(e.d(), e.c(), n.access())) {
            // C get_node(XS_PERM_WRITE) EACCES; oxenstored Store.write check_perm.
            throw Permissions.denied(Rule.ACLS_WRITE_DENIED, e.c(), n);
        }
        e.d().quotas().checkNodeSize(e.c(), value, n.perms(), n.children()).ifPresent(err -> {
            throw new Refusal(err, Rule.QUOTAS_NODE_SIZE);
        });
        boolean keep = e.d().tree().sameValueWriteKeepsNode() && n.value().equals(value);
        Tree next = keep ? rebuiltAncestors(t, path, e.gen()) : t.put(path, n.withValue(value, e.gen()));
        // xenstore.txt "WRITE": fires watches on the node (and ancestors' watches by prefix); same value still fires.
        return new Result(new Reply.Ok(), next, ImmutableList.of(change(t, path, n.access(), n.access())),
                ImmutableList.of(path), Rule.TREE_WRITE_EXISTING);
    }

    /**
     * oxenstored keeps a node written with its own value (store.ml set_value) but rebuilds every ancestor on the
     * way down (replace_child makes a new record whatever the child), so a coalescing check at an ancestor sees
     * it changed (gate seed 50070; traces/tx-coalesce-same-value-ox.trace). A new generation stands for the new
     * record: nothing else reads an oxenstored node's generation.
     */
    private static Tree rebuiltAncestors(Tree t, String path, long gen) {
        Tree out = t;
        for (String p = path; !p.equals("/"); ) {
            p = Paths.parent(p);
            Node a = out.node(p);
            out = out.put(p, a.withValue(a.value(), gen));
        }
        return out;
    }

    /**
     * oxenstored's order (process.ml do_write, store.ml write): create the missing parents first
     * (no events), then check the value size, then the entry quota of a new node, then the
     * permission. Parents created in the first step stay when a later check fails.
     */
    private static Result writeParentsFirst(Env e, Tree t, String path, Bytes value) {
        Tree t1 = t;
        ImmutableList<String> parentsWritten = ImmutableList.of();
        String parent = Paths.parent(path);
        if (!path.equals("/") && !t.exists(parent)) {
            // process.ml create_implicit_path: one MKDIR per missing parent, with_watch:false.
            Result made = create(e, t, parent, Bytes.EMPTY, Rule.TREE_IMPLICIT_PARENTS);
            t1 = made.tree();
            parentsWritten = made.written();
        }
        Node n = t1.node(path);
        try {
            e.d().quotas().checkNodeSize(e.c(), value, n == null ? t1.node(parent).perms() : n.perms(),
                    n == null ? ImmutableList.of() : n.children()).ifPresent(err -> {
                // oxenstored store.ml write: Quota.check (value size) before the permission check.
                throw new Refusal(err, Rule.QUOTAS_NODE_SIZE);
            });
            Result r = n != null ? writeExisting(e, t1, path, n, value) : create(e, t1, path, value, Rule.TREE_WRITE_CREATES);
            if (parentsWritten.isEmpty()) {
                return r;
            }
            return new Result(r.reply(), r.tree(), r.changes(),
                    ImmutableList.<String>builder().addAll(parentsWritten).addAll(r.written()).build(), r.rule());
        } catch (Refusal ref) {
            if (parentsWritten.isEmpty()) {
                throw ref;
            }
            // The refusal comes after create_implicit_path: the parents stay (process.ml create_implicit_path runs before Store.write's Quota.check: a too-big WRITE leaves its parent).
            // What sets this outcome apart (a refusal that still changed the tree) is the implicit-parents rule.
            return new Result(Reply.Error.of(ref.error), t1, ImmutableList.of(), parentsWritten, Rule.TREE_IMPLICIT_PARENTS);
        }
    }

    static Result mkdir(Env e, Tree t, String path) {
        Node n = t.node(path);
        if (n != null) {
            if (path.equals("/") && e.d().tree().mkdirOfRootUnchecked()) {
                // oxenstored store.ml path_mkdir: path = [] returns the root before any check; no Already_exist is
                // raised, so it counts as a write op of a transaction (probe differential/rep8-oxenstored-2.trace: tx MKDIR /, then a conflict -> EAGAIN).
                return new Result(new Reply.Ok(), t, ImmutableList.of(Change.of("/", ImmutableList.of(n.access()))),
                        ImmutableList.of(), Rule.TREE_MKDIR_ROOT);
            }
            if (e.d().tree().mkdirOfExistingNodeNeedsWrite() && !Permissions.canWrite(e.d(), e.c(), n.access())) {
                // C do_mkdir: get_node(XS_PERM_WRITE) fails with EACCES even though the node exists.
                throw Permissions.denied(Rule.ACLS_WRITE_DENIED, e.c(), n);
            }
            if (e.d().tree().mkdirOfExistingNodeNeedsRead() && !Permissions.canRead(e.d(), e.c(), n.access())) {
                // QEMU xen_xenstore.c: MKDIR is a READ first.
                throw Permissions.denied(Rule.ACLS_READ_DENIED, e.c(), n);
            }
            // C do_mkdir "If it already exists, fine."; oxenstored do_mkdir ignores Already_exist; QEMU probe qemu-xenstore-impl.txt.
            return Result.readOnly(new Reply.Ok(), t, Rule.TREE_MKDIR_EXISTING);
        }
        return create(e, t, path, Bytes.EMPTY, Rule.TREE_MKDIR_CREATES);
    }

    private static Result create(Env e, Tree t, String path, Bytes value, Rule rule) {
        String anchor = Permissions.nearestExisting(t, path);
        Node anc = t.node(anchor);
        if (e.d().quotas().entriesCheckedFirst()) {
            // oxenstored store.ml mkdir/write: the first new node's Quota.check (its owner: the deepest existing
            // node's) comes before path_mkdir's or path_write's permission check
            e.d().quotas().checkEntries(t, e.c(), anc.owner(), 1).ifPresent(err -> {
                throw new Refusal(err, Rule.QUOTAS_ENTRIES);
            });
        }
        if (!Permissions.canWrite(e.d(), e.c(), anc.access())) {
            // C construct_node via errno_from_parents; oxenstored create_implicit_path: write on the nearest existing ancestor.
            throw Permissions.denied(Rule.ACLS_CREATE_DENIED, e.c(), anc);
        }
        List<String> missing = new ArrayList<>();
        for (String p = path; !p.equals(anchor); p = Paths.parent(p)) {
            missing.add(0, p);
        }
        ImmutableList<Perm> acl = anc.perms();
        if (!e.c().privileged()
                && e.d().acls().ownerOfGuestCreatedNode() == AclKnobs.OwnerOfGuestCreatedNode.CREATOR) {
            // C construct_node: "Inherit permissions, unpriv domains own what they create."
            acl = ImmutableList.<Perm>builder().add(new Perm(acl.get(0).access(), e.c().domid()))
                    .addAll(acl.subList(1, acl.size())).build();
        }
        // C create_node counts the creator's entries; oxenstored the owner of the new nodes (Quota.check).
        int owner = acl.get(0).domid();
        e.d().quotas().checkEntries(t, e.c(), owner, missing.size()).ifPresent(err -> {
            throw new Refusal(err, Rule.QUOTAS_ENTRIES);
        });
        e.d().quotas().checkNodeSize(e.c(), value, acl, ImmutableList.of()).ifPresent(err -> {
            throw new Refusal(err, Rule.QUOTAS_NODE_SIZE);
        });
        if (e.d().quotas().nodeSizeCountsRecord()) {
            // C create_node writes the existing parent with the new child name too: its record can pass the limit
            // (probe differential/rep4-cxenstored-3.trace: guest WRITE under a dom0 node with a long value -> ENOSPC).
            e.d().quotas().checkNodeSize(e.c(), anc.value(), anc.perms(), anc.withChild(Paths.basename(missing.get(0)), 0).children())
                    .ifPresent(err -> {
                        throw new Refusal(err, Rule.QUOTAS_NODE_SIZE_OF_PARENT);
                    });
        }
        Tree next = t;
        for (int i = 0; i < missing.size(); i++) {
            String p = missing.get(i);
            Bytes v = i == missing.size() - 1 ? value : Bytes.EMPTY;
            next = next.create(p, new Node(v, acl, ImmutableList.of(), e.gen(), anc.ignored()), e.gen());
        }
        ImmutableList.Builder<String> written = ImmutableList.builder();
        written.add(anchor).addAll(missing);
        return new Result(new Reply.Ok(), next, ImmutableList.of(change(next, path, null, next.node(path).access())), written.build(), rule);
    }

    static Result rm(Env e, Tree t, String path) {
        Node n = t.node(path);
        if (path.equals("/")) {
            if (!Permissions.canWrite(e.d(), e.c(), n.access())) {
                // C do_rm: get_node(XS_PERM_WRITE) comes before the "/" check (probe differential/rep-cxenstored-6.trace: guest RM / -> EACCES);
                // oxenstored after XSA-353: rm of "/" checks write on the root.
                throw Permissions.denied(Rule.ACLS_WRITE_DENIED, e.c(), n);
            }
            if (e.d().tree().rmOfRoot() == TreeKnobs.RmOfRoot.EINVAL) {
                // C do_rm: streq(name, "/") -> EINVAL.
                throw new Refusal(XsError.EINVAL, Rule.TREE_RM_ROOT);
            }
            // oxenstored store.ml path_rm []: deletes every child of the root; process_watch fires "/" recursively.
            Tree next = t;
            List<String> written = new ArrayList<>();
            written.add("/");
            ImmutableList.Builder<Change.Removed> below = ImmutableList.builder();
            for (String child : n.children()) {
                String cp = Paths.child("/", child);
                for (String p : t.subtree(cp)) {
                    below.add(new Change.Removed(p, t.node(p).access()));
                }
                List<String> removed = new ArrayList<>();
                next = next.removeSubtree(cp, e.gen(), removed);
                written.addAll(removed);
            }
            Change c = new Change("/", false, true, ImmutableList.of(n.access()), below.build());
            return new Result(new Reply.Ok(), next, ImmutableList.of(c), ImmutableList.copyOf(written),
                    Rule.TREE_RM_ROOT_REMOVES_CHILDREN);
        }
        if (n == null) {
            return rmMissing(e, t, path);
        }
        if (!Permissions.canWrite(e.d(), e.c(), n.access())) {
            // C do_rm get_node(XS_PERM_WRITE); oxenstored Store.rm check_perm.
            throw Permissions.denied(Rule.ACLS_WRITE_DENIED, e.c(), n);
        }
        return rmExisting(e, t, path);
    }

    private static Result rmExisting(Env e, Tree t, String path) {
        Node n = t.node(path);
        Node parentNode = t.node(Paths.parent(path));
        if (parentNode == null) {
            // C rm_node: the parent is read first; in a transaction that saw it missing, read_node fails -> EINVAL
            // (probe differential/rep2-cxenstored-9.trace: tx RM /local/domain (ENOENT), outside creates /local/domain/2/vm, tx RM /local/domain/2 -> EINVAL).
            throw new Refusal(XsError.EINVAL, Rule.TREE_RM_PARENT_MISSING_IN_VIEW);
        }
        List<String> walked = new ArrayList<>();
        if (!walkDeleting(t, path, walked)) {
            // C _rm: walk_node_tree with delnode_sub at each node's exit, children first in list order. A listed child
            // it cannot read stops the walk with corrupt() and EIO: a child removed outside since the transaction
            // copied its parent (probe differential/rep2-cxenstored-10.trace: tx RM /local/domain -> EIO), or one listed twice and deleted at its first
            // entry (add_child does not look for the name: a transaction that read a parent, then re-created a child
            // its copy still listed). What the walk had deleted by then stays deleted in the transaction, each name
            // taken off its parent's list once (probe cxenstored-4.17.7-tx-rm-eio.txt, second and fourth traces).
            if (walked.isEmpty()) {
                throw new Refusal(XsError.EIO, Rule.TREE_RM_LISTED_CHILD_MISSING);
            }
            Tree next = t;
            List<String> written = new ArrayList<>(walked);
            for (String g : walked) {
                next = next.drop(g);
                // delnode_sub takes each deleted node's name off its parent's list, one entry of it.
                Node parent = next.node(Paths.parent(g));
                if (parent != null) {
                    List<String> names = new ArrayList<>(parent.children());
                    names.remove(Paths.basename(g));
                    next = next.put(Paths.parent(g), parent.withChildren(ImmutableList.copyOf(names), e.gen()));
                    written.add(Paths.parent(g));
                }
            }
            return new Result(Reply.Error.of(XsError.EIO), next, ImmutableList.of(),
                    ImmutableList.copyOf(new java.util.LinkedHashSet<>(written)), Rule.TREE_RM_LISTED_CHILD_MISSING);
        }
        if (!parentNode.children().contains(Paths.basename(path))) {
            // C delete_child: "Can't find child" -> corrupt() and EIO, when the transaction's copy of the parent predates
            // the node (probe differential/rep3-cxenstored-4.trace: tx READ /, outside WRITE /e-1, tx RM /e-1 -> EIO). By then delete_node has already
            // deleted the node and everything below it in the transaction (xenstored_core.c delete_node: the subtree
            // goes first, delete_child last), so the transaction no longer sees them; the parent is unchanged and no
            // watch fires (do_rm fires only after _rm succeeds). Probe cxenstored-4.17.7-tx-rm-eio.txt.
            List<String> removed = new ArrayList<>();
            Tree next = t.removeSubtree(path, e.gen(), removed);
            return new Result(Reply.Error.of(XsError.EIO), next, ImmutableList.of(), ImmutableList.copyOf(removed),
                    Rule.TREE_RM_CHILD_NOT_LISTED);
        }
        List<String> removed = new ArrayList<>();
        Tree next = t.removeSubtree(path, e.gen(), removed);
        ImmutableList.Builder<Change.Removed> below = ImmutableList.builder();
        for (String p : removed.subList(1, removed.size())) {
            below.add(new Change.Removed(p, t.node(p).access()));
        }
        Node parent = t.node(Paths.parent(path));
        ImmutableList<ImmutableList<Perm>> acls = parent == null ? ImmutableList.of(n.access())
                : ImmutableList.of(n.access(), parent.access());
        Change c = new Change(path, false, true, acls, below.build());
        ImmutableList.Builder<String> written = ImmutableList.builder();
        written.add(Paths.parent(path)).addAll(removed);
        // xenstore.txt "RM": removes the node and all its children, whatever their permissions.
        return new Result(new Reply.Ok(), next, ImmutableList.of(c), written.build(), Rule.TREE_RM);
    }

    /** Post-order over the listed children; false at the first one that is missing or already gone. */
    private static boolean walkDeleting(Tree t, String p, List<String> gone) {
        for (String c : t.node(p).children()) {
            String cp = Paths.child(p, c);
            if (!t.exists(cp) || gone.contains(cp)) {
                return false;
            }
            if (!walkDeleting(t, cp, gone)) {
                return false;
            }
        }
        gone.add(p);
        return true;
    }

    /**
     * The nodes C's RM walk reads, in its order ({@link #walkDeleting}'s: a node, then its children in list order,
     * each subtree before the next), up to and including the first listed child it cannot read; every node of the
     * subtree when it can read them all. The walk stops there (corrupt(), EIO): the nodes after it are never read.
     */
    static List<String> walkReads(Tree t, String p) {
        List<String> out = new ArrayList<>();
        readsUntilMissing(t, p, new ArrayList<>(), out);
        return out;
    }

    private static boolean readsUntilMissing(Tree t, String p, List<String> gone, List<String> out) {
        out.add(p);
        for (String c : t.node(p).children()) {
            String cp = Paths.child(p, c);
            if (!t.exists(cp) || gone.contains(cp)) {
                out.add(cp);
                return false;
            }
            if (!readsUntilMissing(t, cp, gone, out)) {
                return false;
            }
        }
        gone.add(p);
        return true;
    }

    private static Result rmMissing(Env e, Tree t, String path) {
        switch (e.d().tree().rmOfMissingNode()) {
            case ENOENT -> {
                // QEMU xs_impl_rm: the walk fails with ENOENT (probe qemu-xenstore-impl.txt).
                throw new Refusal(XsError.ENOENT, Rule.TREE_RM_MISSING_ENOENT);
            }
            default -> {
                Refusal hidden = Permissions.missing(e.d(), e.c(), t, path, true);
                if (hidden.error == XsError.EACCES) {
                    throw hidden;
                }
                if (t.exists(Paths.parent(path))) {
                    // C do_rm: "Didn't exist already?  Fine, if parent exists." (probes {c,o}xenstored-4.17.7-dom0.txt, -domU.txt "RM /pub/missing")
                    return Result.readOnly(new Reply.Ok(), t, Rule.TREE_RM_MISSING_PARENT_EXISTS);
                }
                // C do_rm: parent missing too -> ENOENT; oxenstored the same (probe oxenstored-4.17.7-dom0.txt "RM /nope/missing").
                throw new Refusal(XsError.ENOENT, Rule.TREE_RM_MISSING_PARENT_MISSING);
            }
        }
    }

    static Result directory(Env e, Tree t, String path) {
        Node n = readable(e, t, path);
        ImmutableList<String> names = ordered(e.d(), n.children());
        int size = 0;
        for (String s : names) {
            size += s.length() + 1;
        }
        if (size > PAYLOAD_MAX) {
            // C send_reply E2BIG for replies over XENSTORE_PAYLOAD_MAX (XSA-72).
            throw new Refusal(XsError.E2BIG, Rule.TREE_REPLY_TOO_BIG);
        }
        return Result.readOnly(new Reply.Names(names), t, Rule.TREE_DIRECTORY);
    }

    static Result directoryPart(Env e, Tree t, String path, long offset) {
        if (!e.d().tree().directoryPartSupported()) {
            // oxenstored 4.17: no DIRECTORY_PART in libs/xb/op.ml -> ENOSYS.
            throw new Refusal(XsError.ENOSYS, Rule.TREE_DIRECTORY_PART_UNSUPPORTED);
        }
        Node n = readable(e, t, path);
        StringBuilder all = new StringBuilder();
        for (String s : ordered(e.d(), n.children())) {
            all.append(s).append('\0');
        }
        String gen = Long.toString(n.generation());
        if (e.d().tree().directoryPartClipsNames()) {
            return Result.readOnly(new Reply.DirectoryChunk(gen, Bytes.latin1(clipped(e, n, gen, offset))), t,
                    Rule.TREE_DIRECTORY_PART);
        }
        int room = PAYLOAD_MAX - gen.length() - 1;
        String rest = offset >= all.length() ? "" : all.substring((int) offset);
        String chunk;
        if (rest.length() + 1 <= room) {
            // xenstore.txt "DIRECTORY_PART": the last chunk ends with an extra NUL.
            chunk = rest + '\0';
        } else {
            // C send_directory_part: as many whole names as fit.
            int cut = rest.lastIndexOf('\0', room - 1);
            chunk = rest.substring(0, cut + 1);
        }
        return Result.readOnly(new Reply.DirectoryChunk(gen, Bytes.latin1(chunk)), t, Rule.TREE_DIRECTORY_PART);
    }

    /**
     * QEMU's chunk (xen_xenstore.c xs_append_strings, truncate): the listing from the offset and the NUL that ends
     * it, cut at the payload limit. (Entry by entry, each cut to the room left before the offset is skipped; as no
     * name fills a reply, the skipping never cuts, and what is copied is that string's first bytes.) How many fit
     * depends on the length of the generation count before it, which the comparison of replies allows for
     * (QEMU counts per node, not as the model does).
     */
    private static String clipped(Env e, Node n, String gen, long offset) {
        StringBuilder all = new StringBuilder();
        for (String name : ordered(e.d(), n.children())) {
            all.append(name).append('\0');
        }
        String rest = (offset >= all.length() ? "" : all.substring((int) offset)) + '\0';
        int room = PAYLOAD_MAX - gen.length() - 1;
        return rest.length() <= room ? rest : rest.substring(0, room);
    }

    static Result getPerms(Env e, Tree t, String path) {
        Node n = readable(e, t, path);
        // xenstore.txt "GET_PERMS": the list as stored, owner first.
        return Result.readOnly(new Reply.Perms(n.perms()), t, Rule.TREE_GET_PERMS);
    }

    static Result setPerms(Env e, Tree t, String path, ImmutableList<Perm> perms) {
        Permissions.setPermsArguments(e, perms);
        Node n = t.node(path);
        if (n == null) {
            throw Permissions.missing(e.d(), e.c(), t, path, true);
        }
        if (!Permissions.canWrite(e.d(), e.c(), n.access())) {
            // C get_node(XS_PERM_WRITE | XS_PERM_OWNER); oxenstored setperms check_perm Write.
            throw Permissions.denied(Rule.ACLS_SET_PERMS_DENIED, e.c(), n);
        }
        if (!e.c().privileged() && !Permissions.isOwner(e.c(), n.access()) && !(path.equals("/") && e.d().setPerms().rootSetPermsNeedsNoOwnership())) {
            // C: XS_PERM_OWNER is needed too; oxenstored path_setperms Node.check_owner (not for "/"); QEMU EPERM.
            throw new Refusal(e.d().setPerms().setPermsNonOwnerIsEperm() ? XsError.EPERM : XsError.EACCES, Rule.ACLS_SET_PERMS_NOT_OWNER);
        }
        if (!e.c().privileged() && perms.get(0).domid() != n.owner()) {
            // C do_set_perms EPERM "Unprivileged domains may not change the owner"; oxenstored XSA-352 EACCES.
            throw new Refusal(e.d().setPerms().ownerChangeError(), Rule.ACLS_OWNER_CHANGE);
        }
        if (e.d().setPerms().setPermsCountCheckedLast()) {
            // QEMU xs_node_set_perms: ENOSPC after the node is found and the EPERM checks (xenstore_impl.c xs_impl_set_perms: a missing node ENOENT, a refused one EACCES, first).
            Permissions.setPermsCount(e, perms);
        }
        if (e.d().quotas().nodeSizeCountsRecord()) {
            // C write_node measures the whole record, ACL included: a longer ACL can pass the limit. oxenstored
            // (store.ml setperms: Quota.check with size 0) and QEMU (xs_impl_set_perms) measure values only, and a
            // SET_PERMS writes none (xenstore_impl.c xs_impl_set_perms checks no size: a guest's SET_PERMS on dom0's 2067-byte node -> OK on QEMU and oxenstored: traces/setperms-big-value.trace).
            e.d().quotas().checkNodeSize(e.c(), n.value(), perms, n.children()).ifPresent(err -> {
                throw new Refusal(err, Rule.QUOTAS_NODE_SIZE);
            });
        }
        Node changed = n.withPerms(perms, e.gen());
        if (e.d().acls().deadDomainAclEntriesKept()) {
            // C domain_alloc_permrefs: an entry naming a domain the hypervisor does not know is flagged
            // XS_PERM_IGNORE as written, for good (DomainStructs).
            ImmutableSet<Integer> unknown = perms.subList(1, perms.size()).stream().map(Perm::domid)
                    .filter(id -> !e.domainExists(id)).collect(ImmutableSet.toImmutableSet());
            changed = changed.withIgnored(unknown);
        }
        Tree next = t.put(path, changed);
        // xenstore.txt "SET_PERMS" fires watches, checked against old and new perms (XSA-115).
        return new Result(new Reply.Ok(), next, ImmutableList.of(change(t, path, n.access(), changed.access())),
                ImmutableList.of(path), Rule.TREE_SET_PERMS);
    }

    private static Node readable(Env e, Tree t, String path) {
        Node n = t.node(path);
        if (n == null) {
            throw Permissions.missing(e.d(), e.c(), t, path, false);
        }
        if (!Permissions.canRead(e.d(), e.c(), n.access())) {
            throw Permissions.denied(Rule.ACLS_READ_DENIED, e.c(), n);
        }
        return n;
    }

    static ImmutableList<String> ordered(Dialect d, ImmutableList<String> children) {
        if (d.tree().directoryOrder() == TreeKnobs.DirectoryOrder.CREATION) {
            return children;
        }
        // oxenstored SymbolMap and QEMU: byte-wise order (names are ASCII).
        return ImmutableList.sortedCopyOf(children);
    }

    private static Change change(Tree t, String path, ImmutableList<Perm> oldAcl, ImmutableList<Perm> newAcl) {
        ImmutableList.Builder<ImmutableList<Perm>> acls = ImmutableList.builder();
        if (oldAcl != null) {
            acls.add(oldAcl);
        }
        acls.add(newAcl);
        Node parent = path.equals("/") ? null : t.node(Paths.parent(path));
        if (parent != null) {
            acls.add(parent.access());
        }
        return Change.of(path, acls.build());
    }
}
