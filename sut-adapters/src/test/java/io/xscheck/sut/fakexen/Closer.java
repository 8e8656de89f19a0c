package io.xscheck.sut.fakexen;

import java.util.ArrayDeque;
import java.util.Deque;

/** Closes what a test opened, newest first, even when the test failed. */
final class Closer {

    private final Deque<AutoCloseable> open = new ArrayDeque<>();

    <T extends AutoCloseable> T add(T c) {
        open.push(c);
        return c;
    }

    /** Closes everything; rethrows the first failure after trying all. */
    void close() throws Exception {
        Exception first = null;
        while (!open.isEmpty()) {
            try {
                open.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
