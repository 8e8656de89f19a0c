package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.Campaign;
import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.engine.TargetReport;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.report.Baseline;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --sut cxenstored=PATH}: a copy of Debian's C xenstored at another path is a full target
 * for the engine: pinned traces replay on it and a short fixed-seed run finds only the baselined
 * divergences of the original.
 */
class BinaryByPathTargetTest {

    @Test
    void aCopyOfTheDebianDaemonPassesPinnedTracesAndAShortRun(@TempDir Path dir) throws Exception {
        TestTargets.require("cxenstored"); // the original must be installed (fails in CI otherwise)
        Path copy = Files.copy(Path.of("/usr/lib/xen-4.17/bin/xenstored"), dir.resolve("xenstored"));
        Files.setPosixFilePermissions(copy, PosixFilePermissions.fromString("rwx------"));
        String spec = "cxenstored=" + copy;
        SutOptions options = SutOptions.defaults();
        TargetFactory factory = () -> Suts.open(spec, options);
        Path traces = Path.of(BinaryByPathTargetTest.class.getResource("/traces").toURI());
        for (String name : List.of("tree-basics.trace", "domain-death.trace", "guest-permissions.trace")) {
            SequenceOutcome o = new SequenceRunner(factory, Dialect.named(Dialect.CXENSTORED), 0, spec)
                    .replay(TraceParser.parse(traces.resolve(name)));
            assertEquals(List.of(), o.failedExpectations(), name + " on " + spec);
            assertFalse(o.diverged(), () -> name + " on " + spec + ":\n" + o.reproducer());
        }
        Baseline baseline = Baseline.read(BaselineFiles.of("cxenstored"));
        Set<String> known = baseline.entries().stream().map(Baseline.Entry::signature).collect(Collectors.toSet());
        int sequences = 60;
        Campaign.Config config = new Campaign.Config(20261201L, Duration.ofMinutes(1), sequences, 1, Weights.defaults(),
                40, 20, Duration.ofSeconds(5), 50, known);
        TargetReport r = new Campaign(spec, factory, Dialect.named(Dialect.CXENSTORED), config, n -> { }).run();
        assertEquals("", r.error(), spec + " run failed");
        assertEquals(sequences, r.sequences());
        assertTrue(r.version().startsWith("4.17 (libxenctrl.so.4.17)"), r.version());
        assertTrue(r.findings().stream().allMatch(f -> baseline.lists(f.divergence().signature())),
                () -> "divergences of the copy not in the original's baseline: " + r.findings());
    }
}
