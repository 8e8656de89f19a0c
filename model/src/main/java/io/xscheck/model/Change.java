package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Perm;

/**
 * One modification that fires watches: the path changed, whether only watches exactly on it fire
 * (a node removed below an RM's root, C delnode_sub watch_exact), and the ACLs that decide whether
 * an unprivileged watcher may see it (the node's old and new ACL and its parent's; XSA-115,
 * C watch_permitted). For an RM, {@code below} lists the removed subtree below the root, each
 * with its ACL, so dialects can fire watches registered there.
 */
public record Change(String path, boolean exact, boolean removal, ImmutableList<ImmutableList<Perm>> acls, ImmutableList<Removed> below) {

    /** A node removed under an RM's root, with its ACL. */
    public record Removed(String path, ImmutableList<Perm> acl) {
    }

    public static Change of(String path, ImmutableList<ImmutableList<Perm>> acls) {
        return new Change(path, false, false, acls, ImmutableList.of());
    }
}
