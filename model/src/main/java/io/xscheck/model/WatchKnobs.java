package io.xscheck.model;

import static io.xscheck.model.WatchKnobs.RmWatchEvents.EVERY_WATCH_BELOW;
import static io.xscheck.model.WatchKnobs.RmWatchEvents.EXISTING_NODES;

/**
 * Watches: which events fire, UNWATCH and RESET_WATCHES. One row per dialect in {@link #of}; each
 * component names the behaviour it selects and cites its evidence.
 *
 * @param eventDeduplication C drops an event identical to one still queued for the connection
 *     (xenstored_watch.c; probe cxenstored-4.17.7-dom0.txt "watches /e and /e/f both token 'same'": 1 event,
 *     oxenstored 2).
 * @param rmWatchEvents Watch events of RM (probes {c,o}xenstored-4.17.7-dom0.txt "RM /w" and its events).
 * @param eventsNeedParentInTree oxenstored fires an event for path P only if P's parent is in the tree it checks
 *     (connection.ml lookup_watch_perm), so nothing ever fires for / itself (probe differential/rep-
 *     oxenstored-5.trace: SET_PERMS / with a watch on / -> no event).
 * @param unwatchOnlyFirstOnPath QEMU keeps one list of watches per path across connections: UNWATCH removes
 *     the first one only if it is the caller's, and a later one only if it has the token and the caller's domain but
 *     is another connection's (xenstore_impl.c xs_impl_unwatch compares opaque with != in the non-head loop; probes
 *     qemu-xenstore-impl.txt "UNWATCH /w tokB (non-head)", qemu-unwatch-order.txt).
 * @param unwatchValidatesPath oxenstored answers UNWATCH of the empty path with EINVAL (connection.ml
 *     get_watch_path reads path.[0]; probes differential/rep2-oxenstored-3.trace: UNWATCH "" -> EINVAL,
 *     rep3-oxenstored-2.trace: UNWATCH "/a b" -> ENOENT); C says ENOENT.
 * @param unwatchChecksPath QEMU validates an UNWATCH path as it does a WATCH path, so an invalid one is EINVAL
 *     (xenstore_impl.c xs_impl_unwatch validate_path; UNWATCH "/a b" -> EINVAL); C matches nothing (ENOENT). watch.c
 *     do_unwatch: canonicalize(conn, ctx, vec[0], true), the check WATCH makes (check_watch_path); probe
 *     versions/c-unwatch-checks-path.trace: UNWATCH /x/ -> EINVAL (4.17 canonicalized without checking: ENOENT).
 * @param resetWatchesPerDomain QEMU's RESET_WATCHES removes every watch of the caller's domid, those of its
 *     other connections included (xenstore_impl.c xs_impl_reset_watches works per domid).
 * @param resetWatchesEndsTransactions RESET_WATCHES also ends the caller's transactions (C
 *     conn_delete_all_transactions, oxenstored); QEMU keeps them.
 */
public record WatchKnobs(
        boolean eventDeduplication,
        RmWatchEvents rmWatchEvents,
        boolean eventsNeedParentInTree,
        boolean unwatchOnlyFirstOnPath,
        boolean unwatchValidatesPath,
        boolean unwatchChecksPath,
        boolean resetWatchesPerDomain,
        boolean resetWatchesEndsTransactions) {

    /** Watch events for the nodes an RM removes. */
    public enum RmWatchEvents {
        /** Each removed existing node fires watches exactly on it; the root also its ancestors (C delnode_sub, QEMU). */
        EXISTING_NODES,
        /** Every watch registered inside the removed subtree fires, existing node or not (oxenstored connections.ml fire_watches recurse). */
        EVERY_WATCH_BELOW
    }

    /** The row of one dialect (a name of {@link Dialect#names()}). */
    static WatchKnobs of(String dialect) {
        return switch (dialect) {
            //                                             dedup  rm fires           parent needed first only "" EINVAL checks path per domain ends tx
            case Dialect.SPEC ->            new WatchKnobs(false,  EXISTING_NODES,     false,         false,      false,     false,       false,      true);
            case Dialect.CXENSTORED ->      new WatchKnobs(true,   EXISTING_NODES,     false,         false,      false,     false,       false,      true);
            case Dialect.OXENSTORED ->      new WatchKnobs(false,  EVERY_WATCH_BELOW,  true,          false,      true,      false,       false,      true);
            case Dialect.QEMU ->            new WatchKnobs(false,  EXISTING_NODES,     false,         true,       false,     true,        true,       false);
            case Dialect.CXENSTORED_420 ->  new WatchKnobs(true,   EXISTING_NODES,     false,         false,      false,     true,        false,      true);
            case Dialect.OXENSTORED_420 ->  new WatchKnobs(false,  EVERY_WATCH_BELOW,  true,          false,      true,      false,       false,      true);
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
