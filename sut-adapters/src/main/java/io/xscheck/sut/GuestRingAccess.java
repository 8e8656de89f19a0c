package io.xscheck.sut;

/**
 * A target whose guests talk to it over a shared ring page that the guest can scribble on (the
 * daemons under the fake-Xen shim; not QEMU's front end, whose guests use sockets). For
 * robustness tests: what a hostile guest can do to its own page.
 */
public interface GuestRingAccess {

    /** The index's current value, as an unsigned 32-bit number. */
    long ringIndex(int domid, RingIndex index);

    /**
     * Stores {@code value} (taken modulo 2^32) into guest {@code domid}'s index as the guest would
     * (a release store), then kicks the daemon, as a guest does after publishing. The guest must be
     * open ({@code openGuest}); the harness's own side of that ring is likely broken afterwards.
     */
    void writeRingIndex(int domid, RingIndex index, long value);
}
