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
    WHOLE_TREE;

    /** Everything: a target the harness started and owns. */
    public static Set<Capability> all() {
        return EnumSet.allOf(Capability.class);
    }

    /** A target the harness owns whole but that has no guests. */
    public static Set<Capability> allButGuests() {
        return EnumSet.complementOf(EnumSet.of(GUESTS));
    }
}
