package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.suites.SecurityMatrix.Verdict;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The XSA regression pack ({@code src/test/resources/xsa}): each advisory's trace, whose
 * {@code => EXPECT}s state the safe behaviour, replayed on every real target (in its own dialect) and
 * on the model in every dialect. A run is <em>safe</em> when every expectation holds and the target
 * agrees with the model throughout; <em>vulnerable</em> when an expectation fails, or the target departs
 * from the model (which answers safely in every dialect, as its own columns show: a replay stops at the
 * first divergence, often before the expectation it would have failed), or dies, hangs or breaks the
 * protocol. Each observed verdict must equal its cell in docs/security.md.
 */
class XsaPackTest {
    private static final int RACE_REPLAYS = 3;

    /** The matrix's columns: the three targets, then the model in each dialect. */
    private static final Map<String, String> TARGET_DIALECTS = Map.of(
            "cxenstored", Dialect.CXENSTORED, "oxenstored", Dialect.OXENSTORED, "qemu", Dialect.QEMU);

    @TestFactory
    Stream<DynamicTest> everyAdvisoryShowsOnEveryImplementationWhatTheMatrixSays() throws Exception {
        SecurityMatrix matrix = SecurityMatrix.read(SecurityMatrix.page());
        List<Path> traces = traces();
        assertTrue(traces.size() >= 12, "the pack holds " + traces.size() + " advisories, at least 12 are due");
        assertEquals(new TreeSet<>(traces.stream().map(p -> p.getFileName().toString()).toList()),
                new TreeSet<>(matrix.rows().keySet()), "docs/security.md has one row per trace in xsa/");

        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : traces) {
            XsaHeader header = XsaHeader.read(f);
            Map<String, Verdict> row = matrix.rows().get(f.getFileName().toString());
            for (String column : matrix.columns()) {
                Verdict pinned = row.get(column);
                tests.add(DynamicTest.dynamicTest(header.xsa() + " on " + column,
                        () -> assertVerdict(f, header, column, pinned)));
            }
        }
        return tests.stream();
    }

    private static void assertVerdict(Path f, XsaHeader header, String column, Verdict pinned) throws Exception {
        boolean onModel = column.startsWith("model ");
        String dialect = onModel ? column.substring("model ".length()) : TARGET_DIALECTS.get(column);
        if (dialect == null) {
            fail("docs/security.md: unknown column '" + column + "'");
        }
        String target = onModel ? targetOf(dialect) : column;
        if (target != null && header.notApplicable().containsKey(target)) {
            assertEquals(Verdict.NOT_APPLICABLE, pinned, header.xsa() + " is not applicable to " + target + " ("
                    + header.notApplicable().get(target) + "); docs/security.md says " + pinned.word);
            return;
        }
        TargetFactory factory = onModel ? null : TestTargets.require(column);
        SequenceOutcome o = new SequenceRunner(factory, Dialect.named(dialect), 0, onModel ? "model" : column)
                .replay(parse(f));
        // A vulnerability that needs a race (xscheck-2) may take another fresh replay to show; a cell pinned safe
        // is never replayed into vulnerability.
        for (int attempt = 1; attempt < RACE_REPLAYS && pinned == Verdict.VULNERABLE && verdict(o) == Verdict.SAFE; attempt++) {
            o = new SequenceRunner(factory, Dialect.named(dialect), 0, onModel ? "model" : column).replay(parse(f));
        }
        final SequenceOutcome last = o;
        Verdict seen = verdict(o);
        assertEquals(pinned, seen, () -> f.getFileName() + " on " + column + ": docs/security.md says " + pinned.word
                + ", the run shows " + seen.word + "\nfailed expectations: " + last.failedExpectations() + "\n"
                + last.divergence().map(Object::toString).orElse("no divergence") + "\n" + last.reproducer() + last.logTail());
    }

    /** Safe only when every expectation held and the target never left the (safe) model. */
    private static Verdict verdict(SequenceOutcome o) {
        return o.failedExpectations().isEmpty() && !o.diverged() ? Verdict.SAFE : Verdict.VULNERABLE;
    }

    private static String targetOf(String dialect) {
        return TARGET_DIALECTS.entrySet().stream().filter(e -> e.getValue().equals(dialect)).map(Map.Entry::getKey)
                .findFirst().orElse(null);
    }

    private static List<Path> traces() throws Exception {
        Path dir = resource("/xsa");
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.toString().endsWith(".trace")).sorted().toList();
        }
    }

    private static Path resource(String name) throws URISyntaxException {
        return Path.of(XsaPackTest.class.getResource(name).toURI());
    }

    private static Trace parse(Path f) throws Exception {
        return TraceParser.parse(f);
    }
}
