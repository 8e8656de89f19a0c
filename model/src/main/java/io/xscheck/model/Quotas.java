package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.XsError;
import java.util.Optional;

/**
 * Quotas and limits: the configured values (parameters, defaults per dialect) and the checks.
 * Dom0 is exempt from all of them except where a field says otherwise (xenstored_domain.c domain_is_unprivileged; oxenstored quota.ml).
 *
 * @param entriesPerDomain nodes a domain may hold; C -E 1000 (xenstored_domain.c domain_entry,
 *     check {@code >=} per new node), oxenstored quota-maxentity 1000, QEMU 1000 nodes in the
 *     whole store (probe qemu-xenstore-impl.txt "once the whole store has 1000 or more nodes")
 * @param entriesCountWholeTree QEMU counts every node of the store, not the domain's
 * @param entriesError ENOSPC (C, QEMU), EQUOTA (oxenstored process.ml Quota.Limit_reached)
 * @param entriesCheckedFirst oxenstored checks the entry quota of the deepest existing node's owner
 *     before the permission to create below it (store.ml mkdir and write: Quota.check, then path_mkdir's
 *     and path_write's check_perm; trace quota-before-permission-ox.trace); C and QEMU the permission first
 * @param nodeSize C: 2048 bytes of the whole node record (24-byte header, 8 bytes per perm, value,
 *     child names), check {@code >=} (xenstored_core.c write_node); others: the value alone,
 *     check {@code >}
 * @param nodeSizeCountsRecord true for C's whole-record measure
 * @param nodeSizeBindsDom0 oxenstored checks quota-maxsize for dom0 too (quota.ml _check)
 * @param nodeSizeError ENOSPC (C), E2BIG (oxenstored, QEMU)
 * @param watchesPerConnection watches accepted per connection: C 129 (-W 128, check {@code >}),
 *     oxenstored 101 (quota-maxwatch 100, check {@code >}), QEMU 128 guest watches in total
 * @param watchesError E2BIG (C, QEMU), EQUOTA (oxenstored)
 * @param watchesCheckedFirst oxenstored checks the watch quota before a duplicate (connection.ml add_watch:
 *     Limit_reached, then Already_exist; trace watch-quota-before-duplicate-ox.trace); C (xenstored_watch.c
 *     do_watch) and QEMU (do_xs_impl_watch) the duplicate first
 * @param transactionsPerConnection open transactions accepted: C 11 (-t 10, check {@code >}),
 *     oxenstored 11 (quota-transaction 10), QEMU 10
 * @param transactionsError ENOSPC (C, QEMU), EQUOTA (oxenstored)
 * @param guestsCountedTogether QEMU counts the watches and the open transactions of every guest
 *     together against its limits (xenstore_impl.c nr_domu_watches, nr_domu_transactions; trace
 *     quota-guests-together-qemu.trace); C and oxenstored count each connection's
 * @param permsPerNode entries an unprivileged SET_PERMS may give: C -A 5, QEMU 5; 0 = no limit (oxenstored)
 * @param permsError ENOSPC (C do_set_perms, QEMU)
 */
public record Quotas(
        int entriesPerDomain, boolean entriesCountWholeTree, XsError entriesError, boolean entriesCheckedFirst,
        int nodeSize, boolean nodeSizeCountsRecord, boolean nodeSizeBindsDom0, XsError nodeSizeError,
        int watchesPerConnection, XsError watchesError, boolean watchesCheckedFirst,
        int transactionsPerConnection, XsError transactionsError, boolean guestsCountedTogether,
        int permsPerNode, XsError permsError) {

    public static final Quotas CXENSTORED_DEFAULTS = new Quotas(
            1000, false, XsError.ENOSPC, false, 2048, true, false, XsError.ENOSPC,
            129, XsError.E2BIG, false, 11, XsError.ENOSPC, false, 5, XsError.ENOSPC);

    public static final Quotas OXENSTORED_DEFAULTS = new Quotas(
            1000, false, XsError.EQUOTA, true, 2048, false, true, XsError.E2BIG,
            101, XsError.EQUOTA, true, 11, XsError.EQUOTA, false, 0, XsError.ENOSPC);

    public static final Quotas QEMU_DEFAULTS = new Quotas(
            1000, true, XsError.ENOSPC, false, 2048, false, false, XsError.E2BIG,
            128, XsError.E2BIG, false, 10, XsError.ENOSPC, true, 5, XsError.ENOSPC);

    /**
     * These quotas with other limits on a domain's nodes, a connection's watches and its open transactions
     * (a daemon started with its own limits, e.g. C's -E, -W, -t): every counting rule stays the row's.
     */
    public Quotas withLimits(int entries, int watches, int transactions) {
        return new Quotas(entries, entriesCountWholeTree, entriesError, entriesCheckedFirst, nodeSize, nodeSizeCountsRecord,
                nodeSizeBindsDom0, nodeSizeError, watches, watchesError, watchesCheckedFirst, transactions, transactionsError,
                guestsCountedTogether, permsPerNode, permsError);
    }

    /** The row of one dialect: the daemon's defaults (the spec takes C's). */
    static Quotas of(String dialect) {
        return switch (dialect) {
            case Dialect.SPEC, Dialect.CXENSTORED, Dialect.CXENSTORED_420 -> CXENSTORED_DEFAULTS;
            case Dialect.OXENSTORED, Dialect.OXENSTORED_420 -> OXENSTORED_DEFAULTS;
            case Dialect.QEMU -> QEMU_DEFAULTS;
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }

    /** C's node record header (generation, num_perms, datalen, childlen, padded): tools/xenstore/xenstored_core.h. */
    static final int C_RECORD_HEADER = 24;
    static final int C_PERM_SIZE = 8;

    /** Whether creating {@code newNodes} nodes owned by {@code owner} breaks the entry quota. */
    Optional<XsError> checkEntries(Tree tree, Caller caller, int owner, int newNodes) {
        if (caller.privileged() || newNodes == 0) {
            return Optional.empty();
        }
        if (!entriesCountWholeTree && owner == 0) {
            // oxenstored quota.ml _check: "if id > 0" (nodes owned by dom0 are never counted); C counts the creator, never 0 here.
            return Optional.empty();
        }
        int have = entriesCountWholeTree ? tree.size() : tree.ownedBy(owner);
        // C create_node checks domain_entry >= quota before each new node; oxenstored and QEMU likewise before adding.
        return have + newNodes > entriesPerDomain ? Optional.of(entriesError) : Optional.empty();
    }

    /** Whether a node with this value, ACL and children breaks the node-size limit for this caller. */
    Optional<XsError> checkNodeSize(Caller caller, Bytes value, ImmutableList<Perm> perms, ImmutableList<String> children) {
        if (caller.privileged() && !nodeSizeBindsDom0) {
            return Optional.empty();
        }
        if (nodeSizeCountsRecord) {
            int size = C_RECORD_HEADER + C_PERM_SIZE * perms.size() + value.length();
            for (String c : children) {
                size += c.length() + 1;
            }
            // C write_node: data.dsize >= quota_max_entry_size -> ENOSPC.
            return size >= nodeSize ? Optional.of(nodeSizeError) : Optional.empty();
        }
        return value.length() > nodeSize ? Optional.of(nodeSizeError) : Optional.empty();
    }

    /** Whether one more watch of {@code conn} breaks the watch quota. */
    Optional<XsError> checkWatches(Caller caller, ModelState s, Connection conn) {
        if (caller.privileged()) {
            return Optional.empty();
        }
        int existing = guestsCountedTogether ? ofGuests(s, c -> c.watches().size()) : conn.watches().size();
        // C do_watch: domain_watch(conn) > quota_nb_watch_per_domain -> E2BIG; oxenstored connection.ml add_watch: nb_watches > maxwatch (not dom0) -> Limit_reached, EQUOTA.
        return existing + 1 > watchesPerConnection ? Optional.of(watchesError) : Optional.empty();
    }

    /** Whether one more open transaction of {@code conn} breaks the transaction quota. */
    Optional<XsError> checkTransactions(Caller caller, ModelState s, Connection conn) {
        if (caller.privileged()) {
            return Optional.empty();
        }
        // QEMU xs_impl_transaction_start: nr_domu_transactions >= XS_MAX_TRANSACTIONS -> ENOSPC, every guest's together
        int open = guestsCountedTogether ? ofGuests(s, c -> c.transactions().size()) : conn.transactions().size();
        // C do_transaction_start: transaction_started > quota_max_transaction -> ENOSPC; oxenstored connection.ml start_transaction: Transaction_opened -> EQUOTA (process.ml).
        return open + 1 > transactionsPerConnection ? Optional.of(transactionsError) : Optional.empty();
    }

    private static int ofGuests(ModelState s, java.util.function.ToIntFunction<Connection> count) {
        return s.connections().values().stream().filter(c -> c.domid() != 0).mapToInt(count).sum();
    }

    Optional<XsError> checkPerms(Caller caller, int count) {
        if (caller.privileged() || permsPerNode == 0) {
            return Optional.empty();
        }
        // C do_set_perms: num > quota_nb_perms_per_node -> ENOSPC; QEMU xs_impl_set_perms: more than 5 -> ENOSPC (probe qemu-xenstore-impl.txt).
        return count > permsPerNode ? Optional.of(permsError) : Optional.empty();
    }
}
