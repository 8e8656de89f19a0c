package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;

/**
 * One node of the tree: its value, its permission list as stored (first entry = owner and default;
 * see {@link Acl}), its children's names in the order the node keeps them (C appends on creation,
 * tools/xenstore/xenstored_core.c add_child), and the generation of its last change (C's per-node
 * generation, tools/xenstore/xenstored_transaction.c; used for conflicts and DIRECTORY_PART).
 */
public record Node(Bytes value, ImmutableList<Perm> perms, ImmutableList<String> children, long generation) {
    public Node {
        if (value == null || perms == null || children == null) {
            throw new IllegalArgumentException("value, perms and children are required");
        }
        if (perms.isEmpty()) {
            throw new IllegalArgumentException("a node has at least its owner entry");
        }
    }

    public static Node empty(ImmutableList<Perm> perms, long generation) {
        return new Node(Bytes.EMPTY, perms, ImmutableList.of(), generation);
    }

    public int owner() {
        return perms.get(0).domid();
    }

    public Node withValue(Bytes v, long gen) {
        return new Node(v, perms, children, gen);
    }

    public Node withPerms(ImmutableList<Perm> p, long gen) {
        return new Node(value, p, children, gen);
    }

    public Node withChildren(ImmutableList<String> c, long gen) {
        return new Node(value, perms, c, gen);
    }

    public Node withChild(String name, long gen) {
        return withChildren(ImmutableList.<String>builderWithExpectedSize(children.size() + 1)
                .addAll(children).add(name).build(), gen);
    }

    public Node withoutChild(String name, long gen) {
        ImmutableList.Builder<String> b = ImmutableList.builderWithExpectedSize(children.size());
        for (String c : children) {
            if (!c.equals(name)) {
                b.add(c);
            }
        }
        return withChildren(b.build(), gen);
    }
}
