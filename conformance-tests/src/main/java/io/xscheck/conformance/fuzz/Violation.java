package io.xscheck.conformance.fuzz;

/**
 * A broken robustness property: what broke, in words, and a signature that names the kind of
 * break (so that a shrunk trace is accepted only while it breaks the property the same way).
 *
 * @param kind how the property broke
 * @param who the daemon, or the bystander that failed ({@code dom0 bystander D})
 * @param detail what was seen, for the report
 * @param diagnosis the daemon's own last words when it left any (an assertion), else empty
 * @param logTail the target's log tail
 */
public record Violation(Kind kind, String who, String detail, String diagnosis, String logTail) {

    public enum Kind {
        /** The daemon process exited or was killed by a signal. */
        DIED,
        /** The daemon runs but a bystander's request was not answered within the hang bound. */
        BYSTANDER_HUNG,
        /** The daemon closed or broke a bystander's connection. */
        BYSTANDER_DROPPED
    }

    /** {@code died:signalled(6):consider_message: Assertion `conn->in == NULL' failed.}, {@code hung:guest bystander}. */
    public String signature() {
        return switch (kind) {
            case DIED -> "died:" + who + (diagnosis.isEmpty() ? "" : ":" + diagnosis);
            case BYSTANDER_HUNG -> "hung:" + role(who);
            case BYSTANDER_DROPPED -> "dropped:" + role(who);
        };
    }

    /** {@code dom0 bystander D} -> {@code dom0 bystander}: a connection's name is not part of the kind. */
    private static String role(String who) {
        int last = who.lastIndexOf(' ');
        return last < 0 ? who : who.substring(0, last);
    }

    @Override
    public String toString() {
        return signature() + " (" + detail + ")";
    }
}
