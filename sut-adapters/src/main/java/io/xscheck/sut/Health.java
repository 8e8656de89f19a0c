package io.xscheck.sut;

import java.time.Duration;

/**
 * What a target is doing right now, as far as the harness can tell: still serving, gone with an
 * exit status, killed by a signal, or alive but not answering within the bounded time.
 */
public sealed interface Health {

    /** True only for {@link Alive}. */
    default boolean isAlive() {
        return this instanceof Alive;
    }

    record Alive() implements Health {
        @Override public String toString() { return "alive"; }
    }

    /** The process exited by itself with this status. */
    record Exited(int code) implements Health {
        @Override public String toString() { return "exited(" + code + ")"; }
    }

    /** The process was killed by this signal (9 for SIGKILL, 11 for SIGSEGV, ...). */
    record Signalled(int signal) implements Health {
        @Override public String toString() { return "signalled(" + signal + ")"; }
    }

    /** The process lives but did not answer a request within {@code waited}. */
    record Hung(Duration waited) implements Health {
        @Override public String toString() { return "hung(no answer in " + waited.toMillis() + " ms)"; }
    }

    static Health alive() {
        return new Alive();
    }
}
