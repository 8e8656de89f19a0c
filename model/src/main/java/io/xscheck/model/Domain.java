package io.xscheck.model;

/**
 * An introduced domain: its id, the ring's mfn and event-channel port as INTRODUCE gave them, the
 * domain it acts for after SET_TARGET ({@code -1} for none), and whether it is shutting down
 * ({@code @releaseDomain} already fired; RESUME clears it).
 */
public record Domain(int domid, long mfn, int port, int target, boolean shutDown) {
    public Domain withTarget(int t) {
        return new Domain(domid, mfn, port, t, shutDown);
    }

    public Domain withShutDown(boolean s) {
        return new Domain(domid, mfn, port, target, s);
    }
}
