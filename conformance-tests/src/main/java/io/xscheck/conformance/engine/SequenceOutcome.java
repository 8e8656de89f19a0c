package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Trace;

import java.util.Map;
import java.util.Optional;

/**
 * What one test case did: the concrete trace as run (up to the divergence), the divergence if any,
 * the reproducer text (the trace with the model's expectations and the target's answers), the
 * number of commands, the op mix, and the {@code => EXPECT}s of a replayed trace that the answer
 * (the target's, or the model's without a target) did not satisfy, and how often each model rule
 * (by id) decided a step; {@code batched} when some step went ahead without waiting for the one
 * before (see {@code Lockstep.sendsAhead}): a divergence it shows is confirmed one step at a time;
 * {@code eventsLeftOut} when going ahead also left out an event barrier that one step at a time takes
 * while a connection watched (see {@code Lockstep.eventsLeftOut}): an earlier divergence may be unseen.
 */
public record SequenceOutcome(Trace trace, Optional<Divergence> divergence, java.util.function.Supplier<String> reproducerText,
                              int commands, Map<String, Integer> opMix, String logTail,
                              java.util.List<String> failedExpectations, boolean reused, Map<String, Integer> ruleHits,
                              boolean batched, boolean eventsLeftOut) {
    public SequenceOutcome(Trace trace, Optional<Divergence> divergence, String reproducer, int commands,
                           Map<String, Integer> opMix, String logTail, java.util.List<String> failedExpectations,
                           boolean reused, Map<String, Integer> ruleHits, boolean batched) {
        this(trace, divergence, () -> reproducer, commands, opMix, logTail, failedExpectations, reused, ruleHits, batched,
                false);
    }

    public SequenceOutcome(Trace trace, Optional<Divergence> divergence, String reproducer, int commands,
                           Map<String, Integer> opMix, String logTail, java.util.List<String> failedExpectations,
                           boolean reused, Map<String, Integer> ruleHits) {
        this(trace, divergence, reproducer, commands, opMix, logTail, failedExpectations, reused, ruleHits, false);
    }

    public SequenceOutcome(Trace trace, Optional<Divergence> divergence, String reproducer, int commands,
                           Map<String, Integer> opMix, String logTail, java.util.List<String> failedExpectations,
                           boolean reused) {
        this(trace, divergence, reproducer, commands, opMix, logTail, failedExpectations, reused, Map.of());
    }

    /** The reproducer: the trace with the model's expectations and the target's answers (written when first asked for). */
    public String reproducer() {
        return reproducerText.get();
    }

    public boolean diverged() {
        return divergence.isPresent();
    }

    public String signature() {
        return divergence.map(Divergence::signature).orElse("");
    }
}
