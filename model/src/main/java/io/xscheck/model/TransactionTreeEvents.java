package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Perm;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * QEMU's events at a commit ({@link TransactionKnobs.CommitEvents#NODES_OF_THE_TRANSACTION_TREE};
 * xenstore_impl.c transaction_commit, tx_commit_walk): QEMU walks the committed tree, in which an RM in
 * the transaction left a copy of every node it removed (xs_node_copy_deleted), and fires one event per
 * node the transaction wrote or removed. A removed node fires the watches exactly on it, and the first
 * removed node the walk meets also its ancestors' (the walk's flag is never cleared, and it visits
 * children in hash order, so any topmost removed node may be that one); a written node fires its own and
 * its ancestors'. A removed node written again (or below which a node is written) is no longer removed;
 * it fires only if it had a value when it was removed (the copy is marked modified then), which a node
 * created as a parent of another never has. The model does not know whether an empty value was written
 * or left by such a creation, so it allows both for one.
 */
final class TransactionTreeEvents {

    private TransactionTreeEvents() {
    }

    /** Every list of changes QEMU may fire for a transaction with these changes, {@code base} its tree at START. */
    static List<ImmutableList<Change>> allowed(Tree base, Tree view, ImmutableList<Change> changes) {
        Map<String, Boolean> removed = new LinkedHashMap<>(); // path -> had a value when removed (null: unknown)
        Map<String, Boolean> restored = new LinkedHashMap<>();
        Set<String> written = new LinkedHashSet<>();
        Map<String, LinkedHashSet<ImmutableList<Perm>>> acls = new HashMap<>();
        for (Change c : changes) {
            if (c.removal()) {
                remove(removed, restored, written, base, c.path());
                acls.computeIfAbsent(c.path(), k -> new LinkedHashSet<>()).addAll(c.acls());
                for (Change.Removed r : c.below()) {
                    remove(removed, restored, written, base, r.path());
                    acls.computeIfAbsent(r.path(), k -> new LinkedHashSet<>()).add(r.acl());
                }
                continue;
            }
            // xs_node_walk: a removed node on the way down is no longer removed once the write succeeds
            for (String a = c.path(); !a.equals("/"); a = Paths.parent(a)) {
                if (removed.containsKey(a)) {
                    restored.put(a, removed.remove(a));
                }
            }
            written.add(c.path());
            acls.computeIfAbsent(c.path(), k -> new LinkedHashSet<>()).addAll(c.acls());
        }
        List<String> topmost = new ArrayList<>();
        for (String p : removed.keySet()) {
            if (!removed.containsKey(Paths.parent(p))) {
                topmost.add(p);
            }
        }
        List<String> unknown = new ArrayList<>();
        restored.forEach((p, hadValue) -> {
            if (hadValue == null && !written.contains(p)) {
                unknown.add(p);
            }
        });
        List<ImmutableList<Change>> out = new ArrayList<>();
        List<String> firsts = topmost.isEmpty() ? java.util.Collections.singletonList(null) : topmost;
        for (String first : firsts) {
            for (int mask = 0; mask < 1 << unknown.size(); mask++) {
                ImmutableList.Builder<Change> fired = ImmutableList.builder();
                for (String p : written) {
                    fired.add(change(p, false, false, acls, view));
                }
                for (Map.Entry<String, Boolean> e : restored.entrySet()) {
                    int bit = unknown.indexOf(e.getKey());
                    boolean fires = !written.contains(e.getKey())
                            && (Boolean.TRUE.equals(e.getValue()) || bit >= 0 && (mask & 1 << bit) != 0);
                    if (fires) {
                        fired.add(change(e.getKey(), false, false, acls, view));
                    }
                }
                for (String p : removed.keySet()) {
                    fired.add(change(p, !p.equals(first), true, acls, view));
                }
                out.add(fired.build());
            }
        }
        return out;
    }

    private static void remove(Map<String, Boolean> removed, Map<String, Boolean> restored, Set<String> written, Tree base,
                               String path) {
        // xs_node_copy_deleted: the copy is marked modified if the node had a value
        Boolean hadValue = written.remove(path) ? Boolean.TRUE
                : base.exists(path) && !restored.containsKey(path) ? (base.node(path).value().length() > 0 ? Boolean.TRUE : null)
                : restored.containsKey(path) ? restored.get(path)
                : Boolean.FALSE;
        restored.remove(path);
        removed.put(path, hadValue);
    }

    private static Change change(String path, boolean exact, boolean removed, Map<String, LinkedHashSet<ImmutableList<Perm>>> acls,
                                 Tree view) {
        LinkedHashSet<ImmutableList<Perm>> all = new LinkedHashSet<>(acls.getOrDefault(path, new LinkedHashSet<>()));
        if (view.exists(path)) {
            all.add(view.node(path).access());
        }
        if (removed && acls.containsKey(Paths.parent(path))) {
            // a removed node: its parent's ACL too, as the RM found it (as Watches.aclsAround judges one below an RM's root)
            all.addAll(acls.get(Paths.parent(path)));
        }
        return new Change(path, exact, false, ImmutableList.copyOf(all), ImmutableList.of());
    }
}
