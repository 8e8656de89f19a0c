package io.xscheck.sut;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a target can take. The generator, the shrinker and {@code replay} never send a target
 * what it does not declare: a daemon we did not start (a live host's) takes ordinary node,
 * watch and transaction requests inside a sandbox subtree, and nothing else unless asked.
 */
public enum Capability {
    /** Guest connections ({@code openGuest}) and domain death ({@code killDomain}). */
    GUESTS,
    /** INTRODUCE, RELEASE, RESUME and SET_TARGET: they change which domains the daemon serves. */
    DOMAIN_OPS,
    /** XS_CONTROL: debug and live-update commands to the daemon itself. */
    CONTROL,
    /** Frames that are not well-formed requests (raw payloads): a known way to crash some daemons. */
    MALFORMED_REQUESTS,
    /** The whole tree is the engine's: cases may touch {@code /}, {@code /local}, special nodes. */
    WHOLE_TREE,
    /**
     * Live update ({@link Sut#liveUpdate}): the daemon replaces its own process image. Only a
     * daemon the harness started under the shim; never one reached by {@code socket:} (that would
     * exec a binary on someone's host).
     */
    LIVE_UPDATE,
    /** Migration ({@link Sut#migrate}): the store is serialized into a new one (QEMU's front end). */
    MIGRATE;

    /** What restarts a target: none unless it says so, so neither of these is in {@link #all()}. */
    private static final Set<Capability> RESTARTS = EnumSet.of(LIVE_UPDATE, MIGRATE);

    /** Everything but the restarts, which a target adds itself: a target the harness started and owns. */
    public static Set<Capability> all() {
        return EnumSet.complementOf(EnumSet.copyOf(RESTARTS));
    }

    /** A target the harness owns whole but that has no guests. */
    public static Set<Capability> allButGuests() {
        Set<Capability> out = all();
        out.remove(GUESTS);
        return out;
    }

    /** {@code base} and {@code extra}. */
    public static Set<Capability> plus(Set<Capability> base, Capability extra) {
        Set<Capability> out = EnumSet.noneOf(Capability.class);
        out.addAll(base);
        out.add(extra);
        return out;
    }
}
