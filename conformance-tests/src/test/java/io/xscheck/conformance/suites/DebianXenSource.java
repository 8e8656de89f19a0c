package io.xscheck.conformance.suites;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Xen source package of a suite (bookworm: 4.17, trixie: 4.20), fetched once into
 * ~/.cache/xscheck/xen-source by fetch-xen-source.sh through a private apt configuration. A fetch
 * that fails skips the test that needed it, and fails it when CI is set.
 */
final class DebianXenSource {

    private DebianXenSource() {
    }

    /** The unpacked tree of {@code suite}'s xen source package. */
    static Path fetch(Path tmp, String suite) throws Exception {
        Fetched f = run(tmp, suite);
        requireOrAbort(f.tree() != null, "Debian " + suite + "'s xen source could not be fetched: " + f.error());
        return f.tree();
    }

    /** The tree, or empty where the archive does not serve it. */
    static Optional<Path> fetchIfServed(Path tmp, String suite) throws Exception {
        return Optional.ofNullable(run(tmp, suite).tree());
    }

    private record Fetched(Path tree, String error) {
    }

    private static Fetched run(Path tmp, String suite) throws Exception {
        Path script = tmp.resolve("fetch-xen-source-" + suite + ".sh");
        try (InputStream in = DebianXenSource.class.getResourceAsStream("/xen-source/fetch-xen-source.sh")) {
            Files.copy(in, script);
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "xscheck", "xen-source");
        Process p = new ProcessBuilder("bash", script.toString(), cache.toString(), suite).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        String err = new String(p.getErrorStream().readAllBytes());
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        return done && p.exitValue() == 0 ? new Fetched(Path.of(out), "") : new Fetched(null, err);
    }

    static void requireOrAbort(boolean present, String why) {
        if (present) {
            return;
        }
        if (System.getenv("CI") != null) {
            Assertions.fail(why);
        }
        Assumptions.abort(why);
    }
}
