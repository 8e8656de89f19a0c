package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pinned regression traces ({@code src/test/resources/traces}). A trace's first line
 * {@code # dialects: A B} names the dialects its {@code => EXPECT}s hold for; each is replayed on
 * the model in each of them, and on the real target of that dialect, which must also agree with the
 * model step by step.
 */
class PinnedTracesTest {

    @TestFactory
    Stream<DynamicTest> everyPinnedTraceHoldsOnTheModelAndOnItsTargets() throws IOException, URISyntaxException {
        Path dir = Path.of(PinnedTracesTest.class.getResource("/traces").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".trace")).sorted().toList()) {
                String first = Files.readAllLines(f).get(0);
                assertTrue(first.startsWith("# dialects:"), f + " must start with '# dialects: ...'");
                List<String> dialects = List.of(first.substring("# dialects:".length()).trim().split("\\s+"));
                assertFalse(dialects.isEmpty());
                for (String d : dialects) {
                    tests.add(DynamicTest.dynamicTest(f.getFileName() + " on the model/" + d, () -> {
                        SequenceOutcome o = new SequenceRunner(null, Dialect.named(d), 0, "model").replay(parse(f));
                        assertEquals(List.of(), o.failedExpectations(), f + " on the model in " + d);
                    }));
                    String target = TestTargets.BY_DIALECT.get(d);
                    if (target != null) {
                        tests.add(DynamicTest.dynamicTest(f.getFileName() + " on " + target, () -> {
                            SequenceOutcome o = new SequenceRunner(TestTargets.require(target), Dialect.named(d), 0, target)
                                    .replay(parse(f));
                            assertEquals(List.of(), o.failedExpectations(), f + " on " + target + "\n" + o.reproducer());
                            assertFalse(o.diverged(), () -> f + " on " + target + " diverges from the model:\n" + o.reproducer()
                                    + o.logTail());
                        }));
                    }
                }
            }
        }
        assertFalse(tests.isEmpty(), "no pinned traces found");
        return tests.stream();
    }

    private static Trace parse(Path f) throws Exception {
        return TraceParser.parse(f);
    }
}
