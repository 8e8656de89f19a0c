package io.xscheck.conformance.gen;

import io.xscheck.sut.Capability;

import java.util.Optional;

/** What a template does; the resolver picks paths, values, connections and transactions. */
public enum Kind {
    READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART, GET_PERMS, SET_PERMS, WATCH, UNWATCH,
    TX_START, TX_COMMIT, TX_ABORT, INTRODUCE, RELEASE, IS_INTRODUCED, GET_DOMAIN_PATH, SET_TARGET,
    RESET_WATCHES, KILL, EVENTS, QUOTA_FILL, BAD_REQUEST,
    /** A live update of the daemon ({@code liveupdate}, forced one time in three). */
    LIVEUPDATE,
    /** QEMU's store serialized into a new one ({@code migrate}). */
    MIGRATE,
    /** RESUME of a domain (dom0, introduced or not). */
    RESUME,
    /** A CONTROL command no daemon knows (C EINVAL, oxenstored OK), from any connection. */
    CONTROL,
    /**
     * dom0 gives one node children whose names fill more than a reply (three of 1,400 bytes), then lists it:
     * the 4096-byte reply limit (XSA-72), which no ordinary listing of short names reaches.
     */
    WIDE_DIRECTORY,
    /**
     * One guest opens transactions, one after another, just past the default limit (C and oxenstored
     * accept 11, QEMU 10): one template becomes {@link #BURST_TRANSACTIONS_STEPS} steps ({@link Templates}).
     */
    BURST_TRANSACTIONS,
    /**
     * One guest sets watches on paths of its own, just past the default limit (C 129, oxenstored 101,
     * QEMU 128 for all guests): one template becomes {@link #BURST_WATCHES_STEPS} steps.
     */
    BURST_WATCHES,
    /**
     * dom0 makes a guest's home and gives it to the guest, which then writes nodes below it just past the
     * default node quota (1000 nodes a domain owns, its home among them, on C and oxenstored; 1000 in the
     * whole store on QEMU): one template becomes {@link #BURST_NODES_STEPS} steps.
     */
    BURST_NODES;

    /** Steps of a {@link #BURST_TRANSACTIONS} template: one over C's and oxenstored's 11. */
    public static final int BURST_TRANSACTIONS_STEPS = 12;
    /** Steps of a {@link #BURST_WATCHES} template: one over C's 129. */
    public static final int BURST_WATCHES_STEPS = 130;

    /**
     * Steps of a {@link #BURST_NODES} template: the home's two, then a thousand writes, ten directories of a
     * hundred, which make more nodes than the 999 more the guest may own.
     */
    public static final int BURST_NODES_STEPS = 1002;

    /** How many steps one template of this kind becomes. */
    public int steps() {
        return switch (this) {
            case BURST_TRANSACTIONS -> BURST_TRANSACTIONS_STEPS;
            case BURST_WATCHES -> BURST_WATCHES_STEPS;
            case BURST_NODES -> BURST_NODES_STEPS;
            default -> 1;
        };
    }

    /** What a target must offer before this kind is generated for it, if anything beyond ordinary requests. */
    public Optional<Capability> needs() {
        return switch (this) {
            case INTRODUCE, RELEASE, SET_TARGET, RESUME, CONTROL -> Optional.of(Capability.DOMAIN_OPS);
            case KILL, BURST_TRANSACTIONS, BURST_WATCHES, BURST_NODES -> Optional.of(Capability.GUESTS);
            case BAD_REQUEST -> Optional.of(Capability.MALFORMED_REQUESTS);
            case LIVEUPDATE -> Optional.of(Capability.LIVE_UPDATE);
            case MIGRATE -> Optional.of(Capability.MIGRATE);
            default -> Optional.empty();
        };
    }
}
