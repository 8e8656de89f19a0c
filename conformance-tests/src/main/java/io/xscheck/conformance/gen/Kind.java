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
    WIDE_DIRECTORY;

    /** What a target must offer before this kind is generated for it, if anything beyond ordinary requests. */
    public Optional<Capability> needs() {
        return switch (this) {
            case INTRODUCE, RELEASE, SET_TARGET, RESUME, CONTROL -> Optional.of(Capability.DOMAIN_OPS);
            case KILL -> Optional.of(Capability.GUESTS);
            case BAD_REQUEST -> Optional.of(Capability.MALFORMED_REQUESTS);
            case LIVEUPDATE -> Optional.of(Capability.LIVE_UPDATE);
            case MIGRATE -> Optional.of(Capability.MIGRATE);
            default -> Optional.empty();
        };
    }
}
