package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.XsError;

/**
 * <h2>Permissions</h2>
 * A node's ACL is a list of {@code <letter><domid>} entries (xenstore.txt "Permissions"): the first
 * names the owner and the access of every domain not listed later. Privileged connections (dom0,
 * sockets) may do anything; the owner, and a domain whose SET_TARGET is the owner, may do anything;
 * anyone else gets the access of the matching entry, else the default.
 *
 * <p>Checks: READ, DIRECTORY, GET_PERMS need read on the node; WRITE of an existing node, RM and
 * SET_PERMS need write on the node; creating a node needs write on the nearest existing ancestor
 * (C construct_node/errno_from_parents, oxenstored create_implicit_path). No traversal check on
 * the nodes above.
 *
 * <p>Where the dialects differ ({@link Dialect#aclMatch()}): C takes the first entry matching the
 * domain or its target; oxenstored looks the domain and its target up separately and grants if
 * either is granted; QEMU lets the last entry for the domain win and has no targets. For a missing
 * node, C answers EACCES instead of ENOENT unless the nearest existing ancestor grants the right
 * asked for ({@link Dialect#missingNodeRevealsOnlyToReaders()}).
 */
final class Permissions {
    private Permissions() {
    }

    static boolean canRead(Dialect d, Caller c, ImmutableList<Perm> acl) {
        return c.privileged() || isOwner(c, acl) || access(d, c, acl).canRead();
    }

    static boolean canWrite(Dialect d, Caller c, ImmutableList<Perm> acl) {
        return c.privileged() || isOwner(c, acl) || access(d, c, acl).canWrite();
    }

    static boolean isOwner(Caller c, ImmutableList<Perm> acl) {
        int owner = acl.get(0).domid();
        // C perm_for_conn: owner or the owner's controlling domain; oxenstored Perms.lacks: main or target id.
        return owner == c.domid() || (c.hasTarget() && owner == c.target());
    }

    /**
     * EACCES under {@code rule}, or under its "...ByIgnoredEntry" variant (Rule.ACLS_*_BY_IGNORED_ENTRY) when an entry naming the caller
     * (or its target) is one C flagged (DomainStructs): a target that grants there has the XSA-322 bug,
     * not a permission bug of any other kind, and its signature says so.
     */
    static Refusal denied(Rule rule, Caller c, Node n) {
        boolean flagged = n.ignored().contains(c.domid()) || (c.hasTarget() && n.ignored().contains(c.target()));
        return new Refusal(XsError.EACCES, flagged ? byIgnoredEntry(rule) : rule);
    }

    private static Rule byIgnoredEntry(Rule rule) {
        return switch (rule) {
            case ACLS_READ_DENIED -> Rule.ACLS_READ_DENIED_BY_IGNORED_ENTRY;
            case ACLS_WRITE_DENIED -> Rule.ACLS_WRITE_DENIED_BY_IGNORED_ENTRY;
            case ACLS_CREATE_DENIED -> Rule.ACLS_CREATE_DENIED_BY_IGNORED_ENTRY;
            case ACLS_SET_PERMS_DENIED -> Rule.ACLS_SET_PERMS_DENIED_BY_IGNORED_ENTRY;
            default -> throw new IllegalArgumentException(rule + " has no ...ByIgnoredEntry variant");
        };
    }

    private static Perm.Access access(Dialect d, Caller c, ImmutableList<Perm> acl) {
        Perm.Access fallback = acl.get(0).access();
        switch (d.acls().aclMatch()) {
            case FIRST_MATCH -> {
                // C perm_for_conn: the first entry i >= 1 naming the domain or its target.
                for (int i = 1; i < acl.size(); i++) {
                    int id = acl.get(i).domid();
                    if (id == c.domid() || (c.hasTarget() && id == c.target())) {
                        return acl.get(i).access();
                    }
                }
                return fallback;
            }
            case FIRST_MATCH_EITHER_ID -> {
                // oxenstored perms.ml lacks: List.assoc for the main id and for the target, either grants.
                Perm.Access mine = first(acl, c.domid(), fallback);
                if (!c.hasTarget()) {
                    return mine;
                }
                Perm.Access theirs = first(acl, c.target(), fallback);
                return union(mine, theirs);
            }
            case LAST_MATCH -> {
                // QEMU xenstore_impl.c can_access: default from entry 0, each later matching entry overrides.
                Perm.Access a = fallback;
                for (int i = 1; i < acl.size(); i++) {
                    if (acl.get(i).domid() == c.domid()) {
                        a = acl.get(i).access();
                    }
                }
                return a;
            }
            default -> throw new IllegalStateException();
        }
    }

    private static Perm.Access first(ImmutableList<Perm> acl, int domid, Perm.Access fallback) {
        for (int i = 1; i < acl.size(); i++) {
            if (acl.get(i).domid() == domid) {
                return acl.get(i).access();
            }
        }
        return fallback;
    }

    private static Perm.Access union(Perm.Access a, Perm.Access b) {
        boolean r = a.canRead() || b.canRead();
        boolean w = a.canWrite() || b.canWrite();
        return r && w ? Perm.Access.BOTH : r ? Perm.Access.READ : w ? Perm.Access.WRITE : Perm.Access.NONE;
    }

    /**
     * SET_PERMS argument checks in C's order, before the path is looked at (C do_set_perms): at least
     * one entry (EINVAL), at most the quota for unprivileged callers (ENOSPC), an owner the hypervisor
     * knows (ENOENT, XS_PERM_IGNORE on the owner).
     */
    static void setPermsArguments(TreeOps.Env e, java.util.List<Perm> perms) {
        if (perms.isEmpty()) {
            // C do_set_perms: fewer than one perm -> EINVAL; oxenstored Invalid_Cmd_Args; QEMU probe qemu-xenstore-impl.txt.
            throw new Refusal(XsError.EINVAL, Rule.ACLS_SET_PERMS_EMPTY);
        }
        if (!e.d().setPerms().setPermsCountCheckedLast()) {
            setPermsCount(e, perms);
        }
        if (e.d().setPerms().setPermsOwnerMustExist() && !e.domainExists(perms.get(0).domid())) {
            // C do_set_perms: owner entry XS_PERM_IGNORE (unknown domain) -> ENOENT (probe cxenstored-4.17.7-dom0.txt "SET_PERMS /g w7").
            throw new Refusal(XsError.ENOENT, Rule.ACLS_SET_PERMS_OWNER_UNKNOWN);
        }
    }

    /** At most the quota's entries for an unprivileged caller (ENOSPC). */
    static void setPermsCount(TreeOps.Env e, java.util.List<Perm> perms) {
        e.d().quotas().checkPerms(e.c(), perms.size()).ifPresent(err -> {
            // C do_set_perms: unprivileged and more than quota_nb_perms_per_node -> ENOSPC (probe *-domU.txt).
            throw new Refusal(err, Rule.QUOTAS_PERMS_PER_NODE);
        });
    }

    /** The nearest existing node at or above {@code path} (the root always exists). */
    static String nearestExisting(Tree t, String path) {
        String p = path;
        while (!t.exists(p)) {
            if (p.equals("/")) {
                return "/";
            }
            p = Paths.parent(p);
        }
        return p;
    }

    /** The error for a missing node when the caller asked for {@code write} or read access. */
    static Refusal missing(Dialect d, Caller c, Tree t, String path, boolean write) {
        if (c.privileged() || !d.acls().missingNodeRevealsOnlyToReaders()) {
            // oxenstored and QEMU: ENOENT for any missing node (probe qemu-xenstore-impl.txt "ENOENT, even under an unreadable parent").
            return new Refusal(XsError.ENOENT, Rule.ACLS_MISSING_NODE);
        }
        Node anc = t.node(nearestExisting(t, path));
        boolean granted = anc != null && (write ? canWrite(d, c, anc.access()) : canRead(d, c, anc.access()));
        // C errno_from_parents: ENOENT only if the nearest existing ancestor grants the right, else EACCES.
        return granted ? new Refusal(XsError.ENOENT, Rule.ACLS_MISSING_NODE)
                : new Refusal(XsError.EACCES, Rule.ACLS_MISSING_NODE_HIDDEN);
    }
}
