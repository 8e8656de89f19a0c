package io.xscheck.model;

/**
 * Where implementations differ when they restart keeping their state (live update, migration);
 * what they have in common, that a quiet restart changes nothing a client can see, is
 * {@link Restarts}' rule. One row per dialect in {@link #of}; evidence in the components' and
 * enums' documentation and in model/src/test/resources/probes/live-update-*.txt, qemu-migrate.txt.
 *
 * @param liveUpdate how {@code live-update -s} answers (C xenstored_control.c lu_check_lu_allowed,
 *     lu_reject_reason, lu_dump_state without transactions; oxenstored process.ml's live-update
 *     command, BUSY while transactions are open, kept, answering without a NUL; probes
 *     live-update-cxenstored.txt and live-update-oxenstored.txt "quiet update", "open transaction")
 * @param transactionIdsRestart transaction ids start at 1 again after a live update (both daemons);
 *     QEMU's go on after a migration (last_tx is saved; probe qemu-migrate.txt)
 * @param targetHoldsUpdateBack oxenstored: a domain with a target keeps the update BUSY (probe
 *     live-update-oxenstored.txt "set target"); C keeps the target across exec (live-update-cxenstored.txt "set target")
 * @param migration what a migration keeps ({@link Migration})
 * @param afterRestart what the new process does once the old state is back
 * @param dom0MemoryGrowthAtFirstRestart C's own accounting of dom0's memory at its first live update
 *     (see the note below): 34 on 4.17.7, 26 on 4.20.4 (probe live-update-quota.txt, section
 *     cxenstored-4.20: 219, 245, 245), 0 where nothing grows
 * @param entriesCountedAnewAtRestart oxenstored: a live update counts each domain's entries anew from the tree it
 *     restores, so a count the running daemon had let drift from its tree comes back to the tree's. An RM of
 *     {@code /} takes one entry more from dom0 than the restore of the same nodes gives back: a fresh 4.17.7 or
 *     4.20.4 daemon's "dom0 quota: 5/1000" is 4 after RM of / and the restore, and 5 again after a live update
 *     (probe oxenstored-entries-after-root-removal.txt; sut-adapters AccountingAtResetTest). C keeps its counts
 *     across a live update (its nodes figure does not drift: C refuses RM of /).
 */
public record RestartKnobs(LiveUpdate liveUpdate, boolean transactionIdsRestart, boolean targetHoldsUpdateBack,
                           Migration migration, AfterRestart afterRestart, int dom0MemoryGrowthAtFirstRestart,
                           boolean entriesCountedAnewAtRestart) {

    /*
     * dom0MemoryGrowthAtFirstRestart: C xenstored's own accounting, read with XS_CONTROL quota (no
     * client request sees it): its first live update charges dom0 once more for the root node the
     * new process created at start and the restored one replaced, 34 bytes on 4.17.7; later
     * updates of the same process add nothing (probe live-update-quota.txt: dom0 memory 173, 207,
     * 207). A figure that may also stay as it was, as it does once the process has restarted
     * before. 0 where nothing grows.
     */

    /** Whether the target migrates its store at all ({@code NAME migrate}). */
    public boolean migrates() {
        return migration != Migration.NONE;
    }

    /** What a migration keeps, where that is by design. */
    public enum Migration {
        /** No migration: the request is unknown. */
        NONE,
        /**
         * QEMU's xs_impl_serialize/xs_impl_deserialize (10.0.13): the tree with its permissions,
         * the transactions with their ids, and the guest's watches; not dom0's, which are QEMU's
         * own back ends' on a real host ({@code save_watch}: "We only save the *guest* watches")
         * and are set again by them, not restored (probe qemu-migrate.txt "dom0's watch"). The
         * stream names no owner of a watch, so all come back to the one guest QEMU serves: xscheck's
         * front end refuses EBUSY, nothing changed, when watches belong to more than one guest
         * connection (probe "two guests").
         */
        KEEPS_ALL_BUT_DOM0_WATCHES
    }

    /** What the new process does, as at any start, once the old state is back. */
    public enum AfterRestart {
        /** Nothing: the state is exactly the old one. */
        NOTHING,
        /**
         * C xenstored: the domains are checked as at a VIRQ_DOM_EXC, so an introduced domain the
         * hypervisor reports dying is released then, with its {@code @releaseDomain} event
         * (probe live-update-cxenstored.txt "dying domain introduced again").
         */
        DEAD_DOMAINS_RELEASED,
        /**
         * oxenstored: its start-up nodes are written again: {@code /tool/xenstored} gets the
         * binary's path back, a removed {@code @introduceDomain}/{@code @releaseDomain} node
         * comes back with ACL {@code n0} (xenstored.ml at start; probe live-update-oxenstored.txt
         * "start up nodes"), without watch events.
         */
        STARTUP_NODES_REWRITTEN
    }

    /** How {@code live-update -s} answers, and what an open transaction does to it. */
    public enum LiveUpdate {
        /**
         * C xenstored: the reply is held and sent by the new process, {@code "OK\0"}. An open
         * transaction refuses an unforced update with the text "Domains with long running
         * transactions:" and one line per connection holding one, state unchanged; a forced one
         * goes ahead and drops every open transaction (transactions are not in the state dump).
         */
        HELD_REPLY_DROPS_FORCED_TRANSACTIONS,
        /**
         * oxenstored: {@code "OK"} without a NUL once done; {@code "BUSY"} (no NUL) while any
         * transaction is open, forced or not, and the transaction is kept.
         */
        BUSY_WHILE_TRANSACTIONS,
        /** No live update at all (QEMU's store, xenstore.txt): the control request is refused. */
        NONE
    }

    /** No restart of either kind. */
    public static final RestartKnobs NONE = new RestartKnobs(LiveUpdate.NONE, false, false, Migration.NONE,
            AfterRestart.NOTHING, 0, false);

    /** The row of one dialect. */
    static RestartKnobs of(String dialect) {
        return switch (dialect) {
            //                                      live update                                      tx ids 1  target  migration                              after restart                        dom0 +  recount
            case Dialect.CXENSTORED ->     new RestartKnobs(LiveUpdate.HELD_REPLY_DROPS_FORCED_TRANSACTIONS, true,  false, Migration.NONE,                        AfterRestart.DEAD_DOMAINS_RELEASED,   34,     false);
            case Dialect.CXENSTORED_420 -> new RestartKnobs(LiveUpdate.HELD_REPLY_DROPS_FORCED_TRANSACTIONS, true,  false, Migration.NONE,                        AfterRestart.DEAD_DOMAINS_RELEASED,   26,     false);
            case Dialect.OXENSTORED,
                 Dialect.OXENSTORED_420 -> new RestartKnobs(LiveUpdate.BUSY_WHILE_TRANSACTIONS,              true,  true,  Migration.NONE,                        AfterRestart.STARTUP_NODES_REWRITTEN, 0,      true);
            case Dialect.QEMU ->           new RestartKnobs(LiveUpdate.NONE,                                 false, false, Migration.KEEPS_ALL_BUT_DOM0_WATCHES,  AfterRestart.NOTHING,                 0,      false);
            case Dialect.SPEC ->           NONE;
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
