package io.xscheck.model;

/**
 * Who sends a request: the connection, its domain, whether it is privileged (dom0 or a socket:
 * C domain_is_unprivileged, oxenstored Connection.is_dom0) and the domain it acts for via
 * SET_TARGET ({@code -1} for none).
 */
record Caller(String conn, int domid, boolean privileged, int target) {
    boolean hasTarget() {
        return target >= 0;
    }

    /** The implicit prefix of relative paths: /local/domain/N (C get_implicit_path, oxenstored Connection.get_path). */
    String home() {
        return "/local/domain/" + domid;
    }
}
