package io.xscheck.model;

/**
 * Where implementations differ when they restart keeping their state (live update, migration);
 * what they have in common, that a quiet restart changes nothing a client can see, is
 * {@link Restarts}' rule. One row per dialect in {@link #of}; evidence in the enums' documentation
 * and in model/src/test/resources/probes/live-update-*.txt.
 *
 * @param liveUpdate how {@code live-update -s} answers (C xenstored_control.c lu_check_lu_allowed,
 *     lu_reject_reason, lu_dump_state without transactions; oxenstored process.ml's live-update
 *     command, BUSY while transactions are open, kept, answering without a NUL; probes
 *     live-update-cxenstored.txt and live-update-oxenstored.txt "quiet update", "open transaction")
 * @param transactionIdsRestart transaction ids start at 1 again after the restart (both daemons)
 * @param targetHoldsUpdateBack oxenstored: a domain with a target keeps the update BUSY (probe
 *     live-update-oxenstored.txt "set target"); C keeps the target across exec (live-update-cxenstored.txt "set target")
 * @param migrates QEMU: xenstore_impl.c xs_impl_serialize/xs_impl_deserialize (10.0) promise a round
 *     trip; not yet checked against a target: the front end's migrate request is not written (README)
 * @param afterRestart what the new process does once the old state is back
 */
public record RestartKnobs(LiveUpdate liveUpdate, boolean transactionIdsRestart, boolean targetHoldsUpdateBack,
                           boolean migrates, AfterRestart afterRestart) {

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
    public static final RestartKnobs NONE = new RestartKnobs(LiveUpdate.NONE, false, false, false, AfterRestart.NOTHING);

    /** The row of one dialect (the 4.20 daemons keep their 4.17 rows). */
    static RestartKnobs of(String dialect) {
        return switch (dialect) {
            //                                                    live update                            tx ids 1  target   migrates after restart
            case Dialect.CXENSTORED, Dialect.CXENSTORED_420 -> new RestartKnobs(LiveUpdate.HELD_REPLY_DROPS_FORCED_TRANSACTIONS, true, false, false, AfterRestart.DEAD_DOMAINS_RELEASED);
            case Dialect.OXENSTORED, Dialect.OXENSTORED_420 -> new RestartKnobs(LiveUpdate.BUSY_WHILE_TRANSACTIONS,              true, true,  false, AfterRestart.STARTUP_NODES_REWRITTEN);
            case Dialect.QEMU ->                               new RestartKnobs(LiveUpdate.NONE,                                 false, false, true, AfterRestart.NOTHING);
            case Dialect.SPEC ->                               NONE;
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
