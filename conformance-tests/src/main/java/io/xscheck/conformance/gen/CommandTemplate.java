package io.xscheck.conformance.gen;

/**
 * One generated command as random choices only: which connection, which path ("the 3rd known
 * path", "a child of it"), which value, which transaction. The {@link Resolver} turns it into a
 * concrete step when it runs, against what has been seen by then.
 */
public record CommandTemplate(Kind kind, int conn, int path, int arg, int tx) {
    @Override
    public String toString() {
        return kind + "(c" + conn + " p" + path + " a" + arg + " t" + tx + ")";
    }
}
