package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Perm;
import java.util.HashSet;
import java.util.Set;

/**
 * Canonical form of a permission list, for comparing ACLs whatever the spelling: the first entry
 * names the owner and the access of everyone not listed; later entries override per domid, the
 * first entry for a domid wins (C perm_for_conn, oxenstored List.assoc); entries for the owner and
 * entries that merely repeat the default change nothing and are dropped (the owner always has
 * full access: xenstore.txt "Permissions"). QEMU lets the last entry win (xenstore_impl.c
 * can_access); {@link #canonical(ImmutableList, boolean)} takes that into account.
 */
public final class Acl {
    private Acl() {
    }

    public static ImmutableList<Perm> canonical(ImmutableList<Perm> perms) {
        return canonical(perms, false);
    }

    /** The canonical form; {@code lastWins} for QEMU's matching. */
    public static ImmutableList<Perm> canonical(ImmutableList<Perm> perms, boolean lastWins) {
        if (perms.isEmpty()) {
            return perms;
        }
        Perm first = perms.get(0);
        ImmutableList.Builder<Perm> out = ImmutableList.builder();
        out.add(first);
        Set<Integer> seen = new HashSet<>();
        seen.add(first.domid());
        ImmutableList<Perm> rest = perms.subList(1, perms.size());
        if (lastWins) {
            rest = rest.reverse();
        }
        ImmutableList.Builder<Perm> kept = ImmutableList.builder();
        for (Perm p : rest) {
            if (seen.add(p.domid()) && p.access() != first.access()) {
                kept.add(p);
            }
        }
        kept.build().stream().sorted((a, b) -> Integer.compare(a.domid(), b.domid())).forEach(out::add);
        return out.build();
    }
}
