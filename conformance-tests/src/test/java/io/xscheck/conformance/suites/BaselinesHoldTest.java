package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.report.Baseline;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Every baseline entry still reproduces: its trace, replayed on a fresh target, diverges from the
 * model with exactly the entry's signature. An entry that stops reproducing (a daemon fixed, or
 * the model learned the behaviour as a dialect knob) must leave the baseline.
 */
class BaselinesHoldTest {
    private static final int RACE_REPLAYS = 3;

    @TestFactory
    Stream<DynamicTest> everyBaselineEntryReproduces() throws Exception {
        List<DynamicTest> tests = new ArrayList<>();
        for (String target : List.of("cxenstored", "oxenstored", "cxenstored-4.20", "oxenstored-4.20", "qemu")) {
            Path file = BaselineFiles.of(target);
            if (!Files.exists(file)) {
                continue;
            }
            Baseline b = Baseline.read(file);
            String dialect = TestTargets.BY_DIALECT.entrySet().stream().filter(e -> e.getValue().equals(target))
                    .findFirst().orElseThrow().getKey();
            for (Baseline.Entry e : b.entries()) {
                tests.add(DynamicTest.dynamicTest(target + " [" + e.signature() + "]", () -> {
                    SequenceOutcome o = null;
                    // A bug that needs a race (the oxenstored death-after-conflict entry) may need another replay
                    // to show; an entry that never shows in RACE_REPLAYS fresh replays no longer reproduces.
                    for (int attempt = 0; attempt < RACE_REPLAYS && (o == null || !e.signature().equals(o.signature())); attempt++) {
                        o = new SequenceRunner(TestTargets.require(target), Dialect.named(dialect), 0, target)
                                .replay(TraceParser.parse(e.trace()));
                    }
                    final SequenceOutcome seen = o;
                    assertEquals(e.signature(), seen.signature(), () -> file + " line " + e.line() + " no longer reproduces;"
                            + " now: " + (seen.diverged() ? seen.reproducer() : "agrees with the model"));
                }));
            }
        }
        assertFalse(tests.isEmpty(), "no baseline entries found under " + BaselineFiles.dir().toAbsolutePath());
        return tests.stream();
    }
}
