package io.xscheck.sut.fakexen;

import java.util.List;
import java.util.Optional;

/**
 * The model dialect closest to a daemon's Xen release: the newest dialect of its kind for a
 * release at or before the daemon's, else the oldest. The releases listed here are those the
 * model has a dialect for ({@code Dialect.named}; a test checks that each name exists).
 */
final class DialectChoice {

    /** Releases with a dialect of their own, oldest first. */
    static final List<String> RELEASES = List.of("4.17", "4.20");

    private DialectChoice() {
    }

    static String closest(DaemonKind kind, Optional<String> release) {
        String chosen = RELEASES.get(0);
        if (release.isPresent()) {
            for (String r : RELEASES) {
                if (compare(r, release.get()) <= 0) {
                    chosen = r;
                }
            }
        }
        return kind.family() + "-" + chosen;
    }

    /** Compares dotted release numbers numerically: 4.9 is before 4.17. */
    static int compare(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int c = Integer.compare(i < x.length ? Integer.parseInt(x[i]) : 0, i < y.length ? Integer.parseInt(y[i]) : 0);
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
