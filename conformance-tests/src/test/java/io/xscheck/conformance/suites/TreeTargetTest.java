package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cxenstored@tree=DIR}: Debian bookworm's Xen source package, fetched through a private apt
 * configuration, builds C xenstored through the same path a developer's tree takes, and the pinned
 * traces hold on it. Skipped when the archive cannot be reached, and a failure when CI is set.
 */
class TreeTargetTest {

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void debianBookwormsXenSourceBuildsAndPassesThePinnedTraces(@TempDir Path tmp) throws Exception {
        TestTargets.require("cxenstored"); // the shim and the build tools come with the daemons
        Path tree = fetchSource(tmp);
        String spec = "cxenstored" + Suts.TREE_SEPARATOR + tree;
        SutOptions options = SutOptions.defaults();
        TargetFactory factory = () -> Suts.open(spec, options);
        try (Sut sut = factory.open()) {
            assertTrue(sut.version().startsWith("4.17.") && sut.version().contains("(tree " + tree),
                    sut.version());
            assertEquals(Dialect.CXENSTORED, sut.dialect());
        }
        Path traces = Path.of(TreeTargetTest.class.getResource("/traces").toURI());
        try (var files = Files.list(traces)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".trace")).sorted().toList()) {
                if (!Files.readAllLines(f).get(0).contains(Dialect.CXENSTORED)) {
                    continue;
                }
                SequenceOutcome o = new SequenceRunner(factory, Dialect.named(Dialect.CXENSTORED), 0, spec)
                        .replay(TraceParser.parse(f));
                assertEquals(List.of(), o.failedExpectations(), f.getFileName() + " on " + spec);
                assertFalse(o.diverged(), () -> f.getFileName() + " on " + spec + ":\n" + o.reproducer());
            }
        }
    }

    @Test
    void aDirectoryThatIsNotAXenTreeFailsWithTheBuildLogsTail(@TempDir Path notATree) {
        TestTargets.require("cxenstored");
        SutException e = assertThrows(SutException.class,
                () -> Suts.open("cxenstored" + Suts.TREE_SEPARATOR + notATree, SutOptions.defaults()));
        assertEquals(SutException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.logTail().contains("is not a Xen source tree"), e.getMessage());
    }

    private static Path fetchSource(Path tmp) throws Exception {
        Path script = tmp.resolve("fetch-xen-source.sh");
        try (InputStream in = TreeTargetTest.class.getResourceAsStream("/xen-source/fetch-xen-source.sh")) {
            Files.copy(in, script);
        }
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "xscheck", "xen-source");
        Process p = new ProcessBuilder("bash", script.toString(), cache.toString(), "bookworm").redirectErrorStream(false)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        String err = new String(p.getErrorStream().readAllBytes());
        boolean done = p.waitFor(5, TimeUnit.MINUTES);
        if (!done || p.exitValue() != 0) {
            String why = "Debian bookworm's xen source could not be fetched: " + err;
            if (System.getenv("CI") != null) {
                Assertions.fail(why);
            }
            Assumptions.abort(why);
        }
        return Path.of(out);
    }
}
