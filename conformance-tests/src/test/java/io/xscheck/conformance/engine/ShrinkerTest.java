package io.xscheck.conformance.engine;

import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A target that really differs from the model: the model served in oxenstored's dialect, compared
 * with the model in C's. The run must find divergences, shrink each to a few steps, and every
 * reproducer must replay to the same divergence.
 */
class ShrinkerTest {

    @Test
    void divergencesShrinkToShortTracesThatReplay() throws Exception {
        TargetFactory ox = () -> ModelSut.start(Dialect.OXENSTORED);
        Dialect c = Dialect.named(Dialect.CXENSTORED);
        Campaign.Config config = new Campaign.Config(7, Duration.ofMinutes(2), 40, 1, Weights.defaults(), 60, 10,
                Duration.ofSeconds(10), 100);
        TargetReport r = new Campaign("model-ox", ox, c, config, n -> { }).run();
        assertEquals("", r.error());
        assertFalse(r.findings().isEmpty(), "oxenstored's dialect differs from C's, the run must see it");
        SequenceRunner replayer = new SequenceRunner(ox, c, 10, "model-ox");
        for (Finding f : r.findings()) {
            assertTrue(f.minimalSteps() <= f.originalSteps());
            assertTrue(f.minimalSteps() <= 8, () -> "not shrunk: " + f.minimalSteps() + " steps\n" + f.reproducer());
            SequenceOutcome again = replayer.replay(TraceParser.parse(f.trace()));
            assertEquals(f.divergence().signature(), again.signature(), f.trace());
        }
    }
}
