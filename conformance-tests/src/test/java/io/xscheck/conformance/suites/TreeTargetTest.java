package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cxenstored@tree=DIR} and {@code oxenstored@tree=DIR}: Debian bookworm's Xen source
 * package, fetched through a private apt configuration, builds each daemon through the same path a
 * developer's tree takes, and the pinned traces of its dialect hold on it. Skipped when the archive
 * cannot be reached (or, for oxenstored, the OCaml toolchain is missing), and a failure when CI is set.
 */
class TreeTargetTest {

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void debianBookwormsXenSourceBuildsCxenstoredThatPassesThePinnedTraces(@TempDir Path tmp) throws Exception {
        TestTargets.require("cxenstored"); // the shim and the build tools come with the daemons
        replayPinnedTraces("cxenstored", Dialect.CXENSTORED, fetchSource(tmp));
    }

    @Test
    @Timeout(value = 25, unit = TimeUnit.MINUTES)
    void debianBookwormsXenSourceBuildsOxenstoredThatPassesThePinnedTraces(@TempDir Path tmp) throws Exception {
        TestTargets.require("oxenstored");
        for (String tool : List.of("ocamlopt", "ocamlfind")) {
            requireOrAbort(onPath(tool), tool + " is not installed (./xscheck provision installs ocaml and ocaml-findlib)");
        }
        replayPinnedTraces("oxenstored", Dialect.OXENSTORED, fetchSource(tmp));
    }

    /** Builds {@code family} from {@code tree}, checks it runs as that release, and replays every trace of {@code dialect}. */
    private static void replayPinnedTraces(String family, String dialect, Path tree) throws Exception {
        String spec = family + Suts.TREE_SEPARATOR + tree;
        SutOptions options = SutOptions.defaults();
        TargetFactory factory = () -> Suts.open(spec, options);
        Dialect model = Dialect.named(dialect);
        try (Sut sut = factory.open(); SutConnection c = sut.openPrivileged()) {
            assertTrue(sut.version().startsWith("4.17.") && sut.version().contains("(tree " + tree),
                    sut.version());
            assertEquals(dialect, sut.dialect());
            // oxenstored records where it runs from (the build's cache directory), as the CLI's targets learn too.
            if (c.call(0, new Request.Read(Dialect.TOOL_XENSTORED)) instanceof Reply.Value v) {
                model = model.withExecutablePath(v.value());
            }
        }
        Path traces = Path.of(TreeTargetTest.class.getResource("/traces").toURI());
        int replayed = 0;
        try (var files = Files.list(traces)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".trace")).sorted().toList()) {
                if (!Files.readAllLines(f).get(0).contains(dialect)) {
                    continue;
                }
                SequenceOutcome o = new SequenceRunner(factory, model, 0, spec)
                        .replay(TraceParser.parse(f));
                assertEquals(List.of(), o.failedExpectations(), f.getFileName() + " on " + spec);
                assertFalse(o.diverged(), () -> f.getFileName() + " on " + spec + ":\n" + o.reproducer());
                replayed++;
            }
        }
        assertTrue(replayed >= 5, "only " + replayed + " pinned traces name " + dialect);
    }

    @Test
    void aDirectoryThatIsNotAXenTreeFailsWithTheBuildLogsTail(@TempDir Path notATree) {
        TestTargets.require("cxenstored");
        SutException e = assertThrows(SutException.class,
                () -> Suts.open("cxenstored" + Suts.TREE_SEPARATOR + notATree, SutOptions.defaults()));
        assertEquals(SutException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.logTail().contains("is not a Xen source tree"), e.getMessage());
    }

    @Test
    void oxenstoredFromATreeWithoutItsOcamlSourcesFailsWithTheBuildLogsTail(@TempDir Path tree) throws Exception {
        TestTargets.require("oxenstored");
        Files.createDirectories(tree.resolve("tools/libs/ctrl"));
        Files.createDirectories(tree.resolve("xen"));
        Files.writeString(tree.resolve("xen/Makefile"), "export XEN_VERSION       = 4\nexport XEN_SUBVERSION    = 99\n");
        Files.writeString(tree.resolve("configure"), "#!/bin/sh\nexit 1\n");
        tree.resolve("configure").toFile().setExecutable(true);
        SutException e = assertThrows(SutException.class,
                () -> Suts.open("oxenstored" + Suts.TREE_SEPARATOR + tree, SutOptions.defaults()));
        assertEquals(SutException.Kind.ENVIRONMENT, e.kind());
        assertTrue(e.logTail().contains("has no tools/ocaml/xenstored"), e.getMessage() + "\n" + e.logTail());
    }

    private static Path fetchSource(Path tmp) throws Exception {
        return DebianXenSource.fetch(tmp, "bookworm");
    }

    private static void requireOrAbort(boolean present, String why) {
        DebianXenSource.requireOrAbort(present, why);
    }

    private static boolean onPath(String tool) {
        return Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, tool)));
    }
}
