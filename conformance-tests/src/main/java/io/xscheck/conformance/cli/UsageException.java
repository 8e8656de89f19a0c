package io.xscheck.conformance.cli;

/** Bad command-line input: exit code 2 with this message. */
final class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    UsageException(String message) {
        super(message);
    }
}
