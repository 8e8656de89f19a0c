package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableSet;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;

/**
 * One node of the tree: its value, its permission list as stored (first entry = owner and default;
 * see {@link Acl}), its children's names in the order the node keeps them (C appends on creation,
 * tools/xenstore/xenstored_core.c add_child), the generation of its last change (C's per-node
 * generation, tools/xenstore/xenstored_transaction.c; used for conflicts and DIRECTORY_PART), and
 * the domains whose entries C has flagged {@code XS_PERM_IGNORE} on it ({@link DomainStructs}:
 * still listed by GET_PERMS, granting nothing; always empty in the other dialects).
 */
public record Node(Bytes value, ImmutableList<Perm> perms, ImmutableList<String> children, long generation,
                   ImmutableSet<Integer> ignored) {
    public Node {
        if (value == null || perms == null || children == null || ignored == null) {
            throw new IllegalArgumentException("value, perms, children and ignored are required");
        }
        if (perms.isEmpty()) {
            throw new IllegalArgumentException("a node has at least its owner entry");
        }
    }

    public Node(Bytes value, ImmutableList<Perm> perms, ImmutableList<String> children, long generation) {
        this(value, perms, children, generation, ImmutableSet.of());
    }

    /**
     * The ACL that decides access: the stored one without the entries (after the owner's) of the
     * {@link #ignored} domains (C perm_for_conn skips XS_PERM_IGNORE entries; the owner entry is never
     * flagged, domain_adjust_node_perms starts at 1).
     */
    public ImmutableList<Perm> access() {
        if (ignored.isEmpty()) {
            return perms;
        }
        ImmutableList.Builder<Perm> b = ImmutableList.builderWithExpectedSize(perms.size());
        b.add(perms.get(0));
        for (int i = 1; i < perms.size(); i++) {
            if (!ignored.contains(perms.get(i).domid())) {
                b.add(perms.get(i));
            }
        }
        return b.build();
    }

    /** Whether an entry after the owner's names {@code domid}. */
    public boolean names(int domid) {
        for (int i = 1; i < perms.size(); i++) {
            if (perms.get(i).domid() == domid) {
                return true;
            }
        }
        return false;
    }

    public Node withIgnored(ImmutableSet<Integer> i) {
        return new Node(value, perms, children, generation, i);
    }

    public static Node empty(ImmutableList<Perm> perms, long generation) {
        return new Node(Bytes.EMPTY, perms, ImmutableList.of(), generation);
    }

    public int owner() {
        return perms.get(0).domid();
    }

    public Node withValue(Bytes v, long gen) {
        return new Node(v, perms, children, gen, ignored);
    }

    /** A new ACL: C's SET_PERMS replaces the entries with the request's, flags included (do_set_perms). */
    public Node withPerms(ImmutableList<Perm> p, long gen) {
        return new Node(value, p, children, gen, ImmutableSet.of());
    }

    public Node withChildren(ImmutableList<String> c, long gen) {
        return new Node(value, perms, c, gen, ignored);
    }

    public Node withChild(String name, long gen) {
        return withChildren(ImmutableList.<String>builderWithExpectedSize(children.size() + 1)
                .addAll(children).add(name).build(), gen);
    }

    /**
     * The name's first entry gone: a C transaction's copy of a node can list a name twice (see
     * {@link #withChild}'s callers), and C's delete_child (xenstored_core.c) removes the first match only
     * (gate seed 77027: tx WRITE /tool/e-1 after /tool went outside, tx RM /tool, and DIRECTORY / still lists
     * tool on 4.17.7 and 4.20.4; pinned trace tx-rm-listed-twice-c.trace).
     */
    public Node withoutChild(String name, long gen) {
        ImmutableList.Builder<String> b = ImmutableList.builderWithExpectedSize(children.size());
        boolean removed = false;
        for (String c : children) {
            if (removed || !c.equals(name)) {
                b.add(c);
            } else {
                removed = true;
            }
        }
        return withChildren(b.build(), gen);
    }
}
