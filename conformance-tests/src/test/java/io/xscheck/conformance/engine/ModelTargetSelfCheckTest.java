package io.xscheck.conformance.engine;

import io.xscheck.conformance.gen.Weights;
import io.xscheck.model.Dialect;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine against the model served as a target (through the wire values, transaction ids and
 * event queues of a real target interface): every dialect must agree with itself, so any
 * divergence here is an engine bug (id mapping, event barrier, tree read-back, resolver).
 */
class ModelTargetSelfCheckTest {

    @Test
    void everyDialectAgreesWithItselfOverGeneratedSequences() {
        for (String dialect : Dialect.names()) {
            Campaign.Config config = new Campaign.Config(42, Duration.ofMinutes(2), 60, 1, Weights.defaults(), 60, 10,
                    Duration.ofSeconds(10), 50);
            TargetReport r = new Campaign("model", () -> ModelSut.start(dialect), Dialect.named(dialect), config, n -> { })
                    .run();
            assertEquals("", r.error(), dialect);
            assertEquals(60, r.sequences(), dialect);
            assertTrue(r.commands() > 60 * 10, dialect + " ran only " + r.commands() + " commands");
            assertTrue(r.reuse().reusedCases() > 0, dialect + ": no case ran on a reset target");
            assertEquals(0, r.reuse().unconfirmed(), dialect);
            assertEquals(0, r.divergences(), () -> dialect + ": " + r.findings().stream()
                    .map(f -> f.divergence().signature() + "\n" + f.reproducer()).reduce("", String::concat));
        }
    }
}
