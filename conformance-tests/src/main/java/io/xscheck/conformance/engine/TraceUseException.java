package io.xscheck.conformance.engine;

/**
 * A well-formed trace asks for something no target can be asked: a step on a connection that is
 * already gone (its domain died or was released). The user's trace is wrong, not the target; the
 * CLI reports it and exits 2.
 */
public final class TraceUseException extends RuntimeException {
    public TraceUseException(String message) {
        super(message);
    }
}
