package io.xscheck.conformance.trace;

import java.util.regex.Pattern;

/** Connection and transaction names: a letter, then letters, digits, {@code _} or {@code -}. */
final class TraceNames {
    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]*");

    private TraceNames() {
    }

    static boolean isName(String s) {
        return s != null && NAME.matcher(s).matches();
    }

    static void requireName(String s, String what) {
        if (!isName(s)) {
            throw new IllegalArgumentException("bad " + what + " name '" + s
                    + "': a letter, then letters, digits, _ or -");
        }
    }
}
