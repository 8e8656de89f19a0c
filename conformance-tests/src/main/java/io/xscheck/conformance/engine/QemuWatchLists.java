package io.xscheck.conformance.engine;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * QEMU's watch lists, one per absolute path, in QEMU's own order, as the target's answers to WATCH and
 * UNWATCH built them: which guest watches a migration loses. QEMU 10.0.13 hw/i386/kvm/xenstore_impl.c:
 * the path's hash table entry is its list's first watch; do_xs_impl_watch puts a new watch second (first
 * on an empty list); xs_impl_unwatch removes the first when it is the caller's connection's, else the
 * first later one of the caller's domain and token on another connection (its inverted opaque test);
 * save_watch saves only each list's first watch, and only a guest's. Watches on special paths are not
 * kept here (a migration is refused or keeps them as the model says).
 */
final class QemuWatchLists {

    private record Watch(String conn, int domid, String token) {
    }

    private final Map<String, List<Watch>> byPath = new HashMap<>();

    /** A WATCH the target answered OK. */
    void watched(String path, String conn, int domid, String token) {
        List<Watch> list = byPath.computeIfAbsent(path, k -> new ArrayList<>());
        list.add(list.isEmpty() ? 0 : 1, new Watch(conn, domid, token));
    }

    /** An UNWATCH the target answered OK. */
    void unwatched(String path, String conn, int domid, String token) {
        List<Watch> list = byPath.getOrDefault(path, List.of());
        if (list.isEmpty()) {
            return;
        }
        Watch head = list.get(0);
        if (head.conn().equals(conn) && head.token().equals(token)) {
            list.remove(0);
            return;
        }
        for (int i = 1; i < list.size(); i++) {
            Watch w = list.get(i);
            if (w.domid() == domid && w.token().equals(token) && !w.conn().equals(conn)) {
                list.remove(i);
                return;
            }
        }
    }

    /** The connection is gone (its domain died): its watches with it. */
    void closed(String conn) {
        byPath.values().forEach(list -> list.removeIf(w -> w.conn().equals(conn)));
    }

    /**
     * A migration the target carried out: returns the guest watches it lost ({@code conn + "\0" + token}),
     * every one but a list's first, and the lists are left as the restored store has them.
     */
    Set<String> migrated() {
        Set<String> lost = new TreeSet<>();
        for (List<Watch> list : byPath.values()) {
            for (int i = 0; i < list.size(); i++) {
                Watch w = list.get(i);
                if (w.domid() != 0 && i > 0) {
                    lost.add(w.conn() + "\0" + w.token());
                }
            }
            boolean keepsFirst = !list.isEmpty() && list.get(0).domid() != 0;
            List<Watch> kept = keepsFirst ? List.of(list.get(0)) : List.of();
            list.clear();
            list.addAll(kept);
        }
        return lost;
    }
}
