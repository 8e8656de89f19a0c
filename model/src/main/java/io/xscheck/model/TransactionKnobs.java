package io.xscheck.model;

import static io.xscheck.model.TransactionKnobs.CommitEvents.NODES_OF_THE_TRANSACTION_TREE;
import static io.xscheck.model.TransactionKnobs.CommitEvents.PER_CHANGE;
import static io.xscheck.model.TransactionKnobs.TxConflictRule.ANY_COMMIT_SINCE_START;
import static io.xscheck.model.TransactionKnobs.TxConflictRule.MAY_FAIL_IF_ANYTHING_CHANGED;
import static io.xscheck.model.TransactionKnobs.TxConflictRule.READ_GENERATIONS;
import static io.xscheck.model.TransactionKnobs.TxConflictRule.REPLAY;
import static io.xscheck.protocol.XsError.EBUSY;
import static io.xscheck.protocol.XsError.EINVAL;
import static io.xscheck.protocol.XsError.EIO;
import static io.xscheck.protocol.XsError.ENOENT;

import io.xscheck.protocol.XsError;

/**
 * Transactions: the conflict rule and the errors for ids. One row per dialect in {@link #of}; each
 * component names the behaviour it selects and cites its evidence.
 *
 * @param txConflictRule Transaction conflict rule (each constant cites its source; probes {c,o}xenstored-4.17.7-dom0.txt "tx: write /a=3, outside write /a=4, commit", qemu-xenstore-impl.txt "d0 tx2 END T (unrelated outside write)").
 * @param unknownTransactionError An op naming an unknown transaction: C ENOENT; oxenstored EIO (process.ml
 *     catch-all; probe oxenstored-4.17.7-dom0.txt "READ /d with unknown tx 99"); QEMU ENOENT.
 * @param nestedTransactionError TRANSACTION_START inside a transaction: C and oxenstored EBUSY, QEMU EINVAL
 *     (probe qemu-xenstore-impl.txt).
 * @param unknownTypeChecksTransactionFirst oxenstored looks the transaction up before it finds a request's type
 *     unknown: an unknown type naming an unknown transaction is EIO (process.ml process_packet; probe
 *     differential/rep7-oxenstored-2.trace: raw type 20 with an unknown tx id -> EIO).
 * @param commitEvents The events of a commit that replaces the store with the transaction's tree: one per change
 *     the transaction made, or (QEMU) one per node of the committed tree the transaction wrote or removed
 *     (xenstore_impl.c tx_commit_walk; QEMU's own tests/unit/test-xs-node.c test_xs_node_tx_resurrect; pinned
 *     trace conformance-tests/.../traces/tx-resurrect-qemu.trace). C fires per node it accessed in its own strategy.
 * @param pathCheckedBeforeTransaction QEMU checks a node request's payload and path before it looks the transaction
 *     up: a malformed payload or an invalid path naming an unknown transaction is refused as such (the front end parses
 *     the payload first; xenstore_impl.c init_walk_op: validate_path, then the transactions table; probe
 *     differential/tx-unknown-invalid-path-qemu.trace); C and oxenstored look the transaction up first
 *     (process_message, process_packet).
 * @param idsAcrossConnections QEMU numbers transactions with one counter for every connection (xenstore_impl.c
 *     xs_impl_transaction_start: {@code tx_id = ++s->last_tx}; kept by a migration, xs_impl_serialize), so no two
 *     open transactions share an id and a request naming another connection's id reaches that transaction (the
 *     xscheck-1 bug; Lockstep's foreign-transaction cause). C and oxenstored count per connection
 *     (xenstored_transaction.c do_transaction_start conn->next_transaction_id; connection.ml next_tid).
 */
public record TransactionKnobs(
        TxConflictRule txConflictRule,
        XsError unknownTransactionError,
        XsError nestedTransactionError,
        boolean unknownTypeChecksTransactionFirst,
        boolean pathCheckedBeforeTransaction,
        CommitEvents commitEvents,
        boolean idsAcrossConnections) {

    /** Which events a commit of a transaction's tree fires. */
    public enum CommitEvents {
        /** One per change the transaction made, a node changed twice once (oxenstored's store unchanged since START, spec). */
        PER_CHANGE,
        /** QEMU: one per node of the committed tree it wrote or removed, removed ones kept as copies (TransactionTreeEvents). */
        NODES_OF_THE_TRANSACTION_TREE
    }

    /** What decides that a transaction commit fails with EAGAIN. */
    public enum TxConflictRule {
        /**
         * C: a node the transaction first read (missing nodes included) has a different generation
         * at commit; the transaction sees each node as it was on first access, not at start
         * (xenstored_transaction.c, header comment and finalize_transaction).
         */
        READ_GENERATIONS,
        /**
         * oxenstored: commit if the store is unchanged since start, else replay every recorded
         * request against the current store and commit iff every reply is the same; a transaction
         * without writes commits as an abort (transaction.ml commit, process.ml transaction_replay,
         * do_transaction_end is_read_only).
         */
        REPLAY,
        /** QEMU: EAGAIN iff anything was committed to the main tree since start (xenstore_impl.c xs_impl_transaction_end). */
        ANY_COMMIT_SINCE_START,
        /**
         * xenstore.txt "TRANSACTION_END": EAGAIN when another change intervened; the model allows
         * either answer then, and requires success when nothing changed.
         */
        MAY_FAIL_IF_ANYTHING_CHANGED
    }

    /** The row of one dialect (a name of {@link Dialect#names()}). */
    static TransactionKnobs of(String dialect) {
        return switch (dialect) {
            //                                                   conflict rule                 unknown id nested  tx 1st path 1st commit events                   ids across connections
            case Dialect.SPEC ->            new TransactionKnobs(MAY_FAIL_IF_ANYTHING_CHANGED,  ENOENT,     EBUSY,   false,  false,   PER_CHANGE,                      false);
            case Dialect.CXENSTORED ->      new TransactionKnobs(READ_GENERATIONS,              ENOENT,     EBUSY,   false,  false,   PER_CHANGE,                      false);
            case Dialect.OXENSTORED ->      new TransactionKnobs(REPLAY,                        EIO,        EBUSY,   true,   false,   PER_CHANGE,                      false);
            case Dialect.QEMU ->            new TransactionKnobs(ANY_COMMIT_SINCE_START,        ENOENT,     EINVAL,  false,  true,    NODES_OF_THE_TRANSACTION_TREE,   true);
            case Dialect.CXENSTORED_420 ->  new TransactionKnobs(READ_GENERATIONS,              ENOENT,     EBUSY,   false,  false,   PER_CHANGE,                      false);
            case Dialect.OXENSTORED_420 ->  new TransactionKnobs(REPLAY,                        EIO,        EBUSY,   true,   false,   PER_CHANGE,                      false);
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
