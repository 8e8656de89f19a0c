package io.xscheck.model;

/**
 * Where implementations differ when they restart keeping their state (live update, migration);
 * what they have in common, that a quiet restart changes nothing a client can see, is
 * {@link Restarts}' rule. Evidence per dialect in {@link Dialect}'s factories and in
 * model/src/test/resources/probes/live-update-*.txt.
 */
public record RestartKnobs(LiveUpdate liveUpdate, boolean transactionIdsRestart, boolean targetHoldsUpdateBack,
                           Migration migration, AfterRestart afterRestart, int dom0MemoryGrowthAtFirstRestart) {

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
            AfterRestart.NOTHING, 0);
}
