package io.xscheck.protocol;

/** Decimal numbers in payloads. */
final class Numbers {
    private Numbers() {
    }

    /** Digits only, 1 to 10 of them, value at most 2^32-1; -1 for anything else. */
    static long parseDecimalU32(String text) {
        if (text.isEmpty() || text.length() > 10) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v > 0xFFFF_FFFFL ? -1 : v;
    }

    /**
     * The value when {@code text} is the canonical decimal spelling of a number in
     * {@code [0, max]} (no sign, no leading zero, no spaces), else -1. Only canonical numbers decode
     * to typed requests: the daemons parse the rest differently (C {@code atoi}, OCaml
     * {@code int_of_string}), so the model must see those bytes raw.
     */
    static long parseCanonical(String text, long max) {
        if (text.isEmpty() || text.length() > 19 || (text.length() > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
        }
        try {
            long v = Long.parseLong(text);
            return v > max ? -1 : v;
        } catch (NumberFormatException beyondLong) {
            return -1;
        }
    }
}
