package io.xscheck.conformance.gen;

/** What a template does; the resolver picks paths, values, connections and transactions. */
public enum Kind {
    READ, WRITE, MKDIR, RM, DIRECTORY, DIRECTORY_PART, GET_PERMS, SET_PERMS, WATCH, UNWATCH,
    TX_START, TX_COMMIT, TX_ABORT, INTRODUCE, RELEASE, IS_INTRODUCED, GET_DOMAIN_PATH, SET_TARGET,
    RESET_WATCHES, KILL, EVENTS, QUOTA_FILL, BAD_REQUEST
}
