package io.xscheck.conformance.trace;

/** A trace line that does not parse: says where (1-based line and column) and why. */
public final class TraceSyntaxException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int line;
    private final int column;

    public TraceSyntaxException(int line, int column, String message) {
        super("line " + line + ", column " + column + ": " + message);
        this.line = line;
        this.column = column;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
