package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.Campaign;
import io.xscheck.conformance.engine.Finding;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.engine.TargetReport;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.report.Baseline;
import io.xscheck.model.Dialect;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A bounded conformance run per real target with fixed seeds: every divergence found must be a
 * known one, listed in {@code baselines/TARGET.txt} (documented in docs/divergences.md).
 */
class TargetConformanceTest {
    /** Sequences per target (2,100 in all, about 40,000 commands). */
    static final int SEQUENCES = Integer.getInteger("xscheck.test.sequences", 700);

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cxenstored, cxenstored-4.17", "oxenstored, oxenstored-4.17", "cxenstored-4.20, cxenstored-4.20",
            "oxenstored-4.20, oxenstored-4.20", "qemu, qemu"})
    void boundedRunFindsOnlyBaselinedDivergences(String target, String dialect) throws Exception {
        TargetFactory factory = TestTargets.require(target);
        Path file = BaselineFiles.of(target);
        Baseline baseline = Files.exists(file) ? Baseline.read(file) : new Baseline(file, List.of());
        java.util.Set<String> known = baseline.entries().stream().map(Baseline.Entry::signature)
                .collect(Collectors.toSet());
        Campaign.Config config = new Campaign.Config(20261121L, Duration.ofMinutes(3), SEQUENCES, 2, Weights.defaults(),
                40, 20, Duration.ofSeconds(5), 50, known);
        TargetReport r = new Campaign(target, factory, Dialect.named(dialect), config, n -> { }).run();
        assertEquals("", r.error(), target + " run failed");
        assertEquals(SEQUENCES, r.sequences(), "the time bound cut the run short");
        assertTrue(r.commands() > SEQUENCES * 5L, "too few commands: " + r.commands());
        List<Finding> fresh = r.findings().stream().filter(f -> !baseline.lists(f.divergence().signature())).toList();
        System.out.printf("%s: %d sequences, %d commands, %.0f cmd/s, divergences %s%n", target, r.sequences(),
                r.commands(), r.rate(), r.divergencesByCategory());
        assertTrue(fresh.isEmpty(), () -> fresh.size() + " divergence(s) of " + target + " not in " + file + ":\n"
                + fresh.stream().map(f -> "[" + f.divergence().signature() + "]\n" + f.reproducer())
                .collect(Collectors.joining("\n")));
    }
}
