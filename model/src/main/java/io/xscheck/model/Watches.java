package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMultiset;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsError;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * <h2>Watches</h2>
 * WATCH registers (path, token) on the connection and fires one event at once with the path as
 * given, whether the node exists or not (xenstore.txt "WATCH"; all daemons). A change of node P
 * fires every watch on P or an ancestor of P ("/" sees everything), reporting P — relative to the
 * connection's home for relative watches. The special names {@code @introduceDomain} and
 * {@code @releaseDomain} fire only watches registered on exactly that name. UNWATCH of an unknown
 * (path, token) is ENOENT; the same (path, token) twice is EEXIST. Events of a transaction fire at
 * its commit.
 *
 * <p>Where the dialects differ: RM fires watches on the removed existing nodes (C, QEMU) or every
 * watch registered below (oxenstored) ({@link Dialect#rmWatchEvents()}); C drops an event equal to
 * one already queued ({@link Dialect#eventDeduplication()}); unprivileged watchers only see nodes
 * they may read, in old or new ACL or the parent's (XSA-115; not QEMU); RESET_WATCHES also ends
 * transactions in C and oxenstored.
 */
final class Watches {
    private Watches() {
    }

    record Registered(Connection conn, Reply reply, ImmutableMultiset<Delivery> events, Rule rule) {
    }

    static Registered watch(Dialect d, Caller c, ModelState s, Connection conn, String given, String token) {
        String canonical = Paths.resolveWatch(d, c, given);
        if (d.quotas().watchesCheckedFirst()) {
            // oxenstored connection.ml add_watch: the quota's Limit_reached before Already_exist
            d.quotas().checkWatches(c, s, conn).ifPresent(err -> {
                throw new Refusal(err, Rule.QUOTAS_WATCHES);
            });
        }
        for (Watch w : conn.watches()) {
            if (w.canonical().equals(canonical) && w.token().equals(token)) {
                // C do_watch / oxenstored add_watch / QEMU: the same path and token twice -> EEXIST.
                throw new Refusal(XsError.EEXIST, Rule.WATCHES_DUPLICATE);
            }
        }
        d.quotas().checkWatches(c, s, conn).ifPresent(err -> {
            throw new Refusal(err, Rule.QUOTAS_WATCHES);
        });
        boolean relative = !given.startsWith("/") && !given.startsWith("@");
        long serial = s.connections().values().stream().flatMap(x -> x.watches().stream()).mapToLong(Watch::serial)
                .max().orElse(0) + 1;
        Watch w = new Watch(given, token, canonical, relative, serial);
        Connection next = conn.withWatches(ImmutableList.<Watch>builder().addAll(conn.watches()).add(w).build());
        // xenstore.txt "WATCH": an event fires immediately, with the path as registered, regardless of existence.
        return new Registered(next, new Reply.Ok(),
                ImmutableMultiset.of(new Delivery(c.conn(), new WatchEvent(given, token))), Rule.WATCHES_WATCH);
    }

    /**
     * UNWATCH in the dialect's way: per connection (C, oxenstored), or in QEMU's one list per path
     * across connections ({@link Dialect#unwatchOnlyFirstOnPath()}).
     */
    static ModelState unwatch(Dialect d, Caller c, ModelState s, Connection conn, String given, String token) {
        if (!d.watches().unwatchOnlyFirstOnPath()) {
            return s.withConnection(c.conn(), unwatch(d, c, conn, given, token));
        }
        String canonical = canonicalForUnwatch(d, c, given);
        java.util.List<java.util.Map.Entry<String, Watch>> onPath = new java.util.ArrayList<>();
        s.connections().forEach((name, x) -> x.watches().stream().filter(w -> w.canonical().equals(canonical))
                .forEach(w -> onPath.add(java.util.Map.entry(name, w))));
        onPath.sort(java.util.Comparator.comparingLong(e -> e.getValue().serial()));
        // QEMU's list order: a new watch goes right after the first (xenstore_impl.c do_xs_impl_watch,
        // "w->next = l->next; l->next = w"), so after the first come the others, newest first.
        if (onPath.size() > 2) {
            java.util.Collections.reverse(onPath.subList(1, onPath.size()));
        }
        // QEMU xs_impl_unwatch: the first watch on the path goes if it is the caller's (same token, same opaque,
        // same domid); any later one goes if it has the token and the domid but another opaque ("opaque !=
        // w->cb_opaque", where == is meant): another connection of the same domain loses its watch
        // (probe qemu-unwatch-order.txt; QEMU 10.0.13 hw/i386/kvm/xenstore_impl.c).
        for (int i = 0; i < onPath.size(); i++) {
            String owner = onPath.get(i).getKey();
            Watch w = onPath.get(i).getValue();
            boolean mine = owner.equals(c.conn());
            boolean sameDomain = s.connections().get(owner).domid() == conn.domid();
            if (w.token().equals(token) && sameDomain && (i == 0 ? mine : !mine)) {
                Connection from = s.connections().get(owner);
                return s.withConnection(owner, from.withWatches(from.watches().stream().filter(x -> x != w)
                        .collect(ImmutableList.toImmutableList())));
            }
        }
        throw new Refusal(XsError.ENOENT, Rule.WATCHES_UNWATCH_UNKNOWN);
    }

    /**
     * QEMU's first watch on a path, once gone, is followed by its {@code next}: the newest of the
     * others (see {@link #unwatch}'s order). Here the first is the lowest serial, so the newest of
     * those left takes the serial of the one that went; nothing else changes. Whatever removed it
     * (UNWATCH, RESET_WATCHES, a guest's connection closing: the front end resets the guest's
     * watches then, as QEMU resets a guest).
     */
    static ModelState keepQemuFirstWatches(Dialect d, ModelState before, ModelState after) {
        if (!d.watches().unwatchOnlyFirstOnPath() || before == after) {
            return after;
        }
        java.util.Map<String, Long> firstBefore = new java.util.HashMap<>();
        before.connections().values().forEach(c -> c.watches().forEach(w -> firstBefore.merge(w.canonical(), w.serial(),
                Math::min)));
        java.util.Map<String, java.util.LongSummaryStatistics> now = new java.util.HashMap<>();
        after.connections().values().forEach(c -> c.watches().forEach(w -> now.computeIfAbsent(w.canonical(),
                k -> new java.util.LongSummaryStatistics()).accept(w.serial())));
        java.util.Map<String, long[]> renumber = new java.util.HashMap<>(); // path -> {newest serial, first's serial}
        firstBefore.forEach((path, first) -> {
            java.util.LongSummaryStatistics left = now.get(path);
            if (left != null && left.getMin() > first) {
                renumber.put(path, new long[] {left.getMax(), first});
            }
        });
        if (renumber.isEmpty()) {
            return after;
        }
        com.google.common.collect.ImmutableMap.Builder<String, Connection> b = com.google.common.collect.ImmutableMap.builder();
        after.connections().forEach((name, c) -> b.put(name, c.withWatches(c.watches().stream().map(w -> {
            long[] r = renumber.get(w.canonical());
            return r != null && w.serial() == r[0] ? new Watch(w.given(), w.token(), w.canonical(), w.relative(), r[1]) : w;
        }).collect(ImmutableList.toImmutableList()))));
        return after.withConnections(b.buildOrThrow());
    }

    private static String canonicalForUnwatch(Dialect d, Caller c, String given) {
        if (given.isEmpty() && d.watches().unwatchValidatesPath()) {
            throw new Refusal(XsError.EINVAL, Rule.WATCHES_UNWATCH_EMPTY_PATH);
        }
        try {
            return Paths.resolveWatch(d, c, given);
        } catch (Refusal r) {
            if (d.watches().unwatchChecksPath()) {
                throw r;
            }
            throw new Refusal(XsError.ENOENT, Rule.WATCHES_UNWATCH_UNKNOWN);
        }
    }

    static Connection unwatch(Dialect d, Caller c, Connection conn, String given, String token) {
        String canonical;
        if (given.isEmpty() && d.watches().unwatchValidatesPath()) {
            // oxenstored get_watch_path reads path.[0]: "" -> Invalid_argument -> EINVAL (probes differential/rep2-oxenstored-3.trace: UNWATCH "" -> EINVAL,
            // differential/rep3-oxenstored-2.trace: UNWATCH "/a b" -> ENOENT).
            throw new Refusal(XsError.EINVAL, Rule.WATCHES_UNWATCH_EMPTY_PATH);
        }
        try {
            canonical = Paths.resolveWatch(d, c, given);
        } catch (Refusal r) {
            if (d.watches().unwatchChecksPath()) {
                // QEMU xs_impl_unwatch: validate_path first, as xs_impl_watch does: UNWATCH "/a b" -> EINVAL.
                throw r;
            }
            // C do_unwatch canonicalizes without validating: an invalid path simply matches nothing.
            throw new Refusal(XsError.ENOENT, Rule.WATCHES_UNWATCH_UNKNOWN);
        }
        ImmutableList.Builder<Watch> kept = ImmutableList.builder();
        boolean found = false;
        boolean firstOnPath = true;
        for (Watch w : conn.watches()) {
            boolean samePath = w.canonical().equals(canonical);
            if (!found && samePath && w.token().equals(token) && (firstOnPath || !d.watches().unwatchOnlyFirstOnPath())) {
                found = true;
            } else {
                kept.add(w);
            }
            if (samePath) {
                firstOnPath = false;
            }
        }
        if (!found) {
            // xenstore.txt "UNWATCH"; C do_unwatch ENOENT.
            throw new Refusal(XsError.ENOENT, Rule.WATCHES_UNWATCH_UNKNOWN);
        }
        return conn.withWatches(kept.build());
    }

    /** Events for a list of changes, evaluated against the watches registered in {@code state}. */
    static ImmutableMultiset<Delivery> fire(Dialect d, ModelState state, ImmutableList<Change> changes) {
        ImmutableMultiset.Builder<Delivery> out = ImmutableMultiset.builder();
        for (Map.Entry<String, Connection> e : state.connections().entrySet()) {
            Connection conn = e.getValue();
            if (conn.watches().isEmpty()) {
                continue;
            }
            Caller watcher = Model.callerOf(d, state, e.getKey(), conn);
            Iterable<Delivery> mine = d.watches().eventDeduplication() ? new LinkedHashSet<>() : new java.util.ArrayList<>();
            for (Change ch : changes) {
                // oxenstored lookup_watch_perm: "/" has no parent, so no event for "/" itself fires (probe differential/rep-oxenstored-5.trace: SET_PERMS /).
                boolean rootSilent = d.watches().eventsNeedParentInTree() && ch.path().equals("/");
                for (Watch w : conn.watches()) {
                    if (w.isSpecial()) {
                        continue;
                    }
                    boolean hit = ch.exact() ? w.canonical().equals(ch.path()) : Paths.isAtOrBelow(ch.path(), w.canonical());
                    if (hit && !rootSilent && visible(d, watcher, ch.acls())) {
                        add(mine, new Delivery(e.getKey(), new WatchEvent(Paths.reported(w, watcher.home(), ch.path()), w.token())));
                    }
                    for (Change.Removed r : ch.below()) {
                        boolean below;
                        String reported;
                        if (d.watches().rmWatchEvents() == WatchKnobs.RmWatchEvents.EXISTING_NODES) {
                            // C delnode_sub: each removed node fires watches exactly on it (watch_exact).
                            below = w.canonical().equals(r.path());
                            reported = r.path();
                        } else {
                            below = false;
                            reported = null;
                        }
                        if (below && visible(d, watcher, aclsAround(ch, r.path()))) {
                            add(mine, new Delivery(e.getKey(), new WatchEvent(Paths.reported(w, watcher.home(), reported), w.token())));
                        }
                    }
                    if (d.watches().rmWatchEvents() == WatchKnobs.RmWatchEvents.EVERY_WATCH_BELOW && ch.removal()
                            && !w.canonical().equals(ch.path()) && Paths.isAtOrBelow(w.canonical(), ch.path())
                            && parentWasRemoved(ch, w.canonical()) && visible(d, watcher, aclsAround(ch, w.canonical()))) {
                        // oxenstored connections.ml fire_watches: Trie.sub of the removed path, each watch with its own path,
                        // if the watch path's parent was in the old tree (lookup_watch_perm; probe oxenstored-4.17.7-dom0-more.txt "RM /r").
                        add(mine, new Delivery(e.getKey(), new WatchEvent(w.given(), w.token())));
                    }
                }
            }
            mine.forEach(out::add);
        }
        return out.build();
    }

    /**
     * An event whose payload (path, NUL, token, NUL) exceeds XENSTORE_PAYLOAD_MAX is not sent, in
     * every dialect: no client may be sent a frame that long, and building one crashed C xenstored
     * (XSA-324, https://xenbits.xen.org/xsa/advisory-324.html). C 4.17.7 and QEMU 10.0 drop it
     * (conformance-tests xsa/xsa-324-oversize-event.trace); oxenstored 4.17.7 does not (docs/security.md).
     */
    static boolean tooLongToSend(WatchEvent e) {
        return e.path().length() + 1 + e.token().length() + 1 > TreeOps.PAYLOAD_MAX;
    }

    /** The ACLs of {@code path} and of its parent as the RM found them (those that were there). */
    private static ImmutableList<ImmutableList<Perm>> aclsAround(Change ch, String path) {
        ImmutableList.Builder<ImmutableList<Perm>> out = ImmutableList.builder();
        ImmutableList<Perm> own = aclInRemoval(ch, path);
        if (own != null) {
            out.add(own);
        }
        ImmutableList<Perm> parent = aclInRemoval(ch, Paths.parent(path));
        if (parent != null) {
            out.add(parent);
        }
        return out.build();
    }

    private static ImmutableList<Perm> aclInRemoval(Change ch, String path) {
        if (path.equals(ch.path())) {
            return ch.acls().get(0);
        }
        if (ch.acls().size() > 1 && path.equals(Paths.parent(ch.path()))) {
            return ch.acls().get(1);
        }
        for (Change.Removed r : ch.below()) {
            if (r.path().equals(path)) {
                return r.acl();
            }
        }
        return null;
    }

    private static boolean parentWasRemoved(Change ch, String watchPath) {
        String parent = Paths.parent(watchPath);
        if (parent.equals(ch.path())) {
            return true;
        }
        for (Change.Removed r : ch.below()) {
            if (r.path().equals(parent)) {
                return true;
            }
        }
        return false;
    }

    /** Events of a special name (@introduceDomain, @releaseDomain): watches on exactly that name. */
    static ImmutableMultiset<Delivery> fireSpecial(Dialect d, ModelState state, String name) {
        ImmutableMultiset.Builder<Delivery> out = ImmutableMultiset.builder();
        for (Map.Entry<String, Connection> e : state.connections().entrySet()) {
            Caller watcher = Model.callerOf(d, state, e.getKey(), e.getValue());
            for (Watch w : e.getValue().watches()) {
                if (w.canonical().equals(name) && specialVisible(d, state, watcher, name)) {
                    out.add(new Delivery(e.getKey(), new WatchEvent(w.given(), w.token())));
                }
            }
        }
        return out.build();
    }

    private static boolean specialVisible(Dialect d, ModelState state, Caller c, String name) {
        if (c.privileged()) {
            return true;
        }
        if (d.paths().specialPathsAreNodes()) {
            // oxenstored lookup_watch_perm: the pseudo-node /@name or its parent, the root (probe differential/rep4-oxenstored-4.trace:
            // root "r0" let a guest see @introduceDomain).
            Node node = state.tree().node("/" + name);
            Node root = state.tree().node("/");
            return (node != null && Permissions.canRead(d, c, node.access())) || (root != null && Permissions.canRead(d, c, root.access()));
        }
        boolean own = Permissions.canRead(d, c, state.specialAcls().getOrDefault(name, ImmutableList.of(Perm.none(0))));
        if (d.setPerms().specialNamesArePermNodes()) {
            // C 4.18+ watch.c watch_permitted: the special node or its parent "/" (get_parent of "@name") readable
            // (probes differential/rep-cxenstored-4.20-introduce-root.trace and versions/c-special-events-root.trace: root "r0" let a guest see @introduceDomain).
            Node root = state.tree().node("/");
            return own || (root != null && Permissions.canRead(d, c, root.access()));
        }
        // C 4.17 check_perms_special: the special name's own ACL (default n0; XSA-115).
        return own;
    }

    /**
     * XSA-115, in every dialect: an unprivileged watcher only gets events for nodes it may read. QEMU 10.0
     * does not filter (probe qemu-xenstore-impl.txt; conformance-tests xsa/xsa-115-watch-leak.trace):
     * a bug, in baselines/qemu.txt, not a dialect difference.
     */
    private static boolean visible(Dialect d, Caller c, ImmutableList<ImmutableList<Perm>> acls) {
        if (c.privileged()) {
            return true;
        }
        for (ImmutableList<Perm> acl : acls) {
            // XSA-115 (C watch_permitted, oxenstored lookup_watch_perms): readable in any of the ACLs.
            if (Permissions.canRead(d, c, acl)) {
                return true;
            }
        }
        return false;
    }

    private static void add(Iterable<Delivery> sink, Delivery d) {
        if (tooLongToSend(d.event())) {
            return;
        }
        if (sink instanceof Set<Delivery> s) {
            s.add(d);
        } else {
            ((java.util.List<Delivery>) sink).add(d);
        }
    }
}
