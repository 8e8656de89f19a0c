package io.xscheck.conformance.engine;

/**
 * A distinct divergence found in a run, shrunk.
 *
 * @param seed the seed of the test case that first showed it ({@code --seed} reproduces the run)
 * @param occurrences how many test cases showed this signature
 * @param reproducer the minimal trace with the model's expectations and the target's answer
 * @param trace the minimal trace, replayable as is
 * @param logTail the end of the target's log after the minimal trace
 * @param triage for a crash, whether guests alone can set it off ({@link GuestTriage}); else none
 */
public record Finding(Divergence divergence, long seed, int occurrences, String reproducer, String trace,
                      String logTail, int originalSteps, int minimalSteps, Triage triage) {
    public Finding(Divergence divergence, long seed, int occurrences, String reproducer, String trace,
                   String logTail, int originalSteps, int minimalSteps) {
        this(divergence, seed, occurrences, reproducer, trace, logTail, originalSteps, minimalSteps,
                Triage.none("not a crash"));
    }

    public Finding withOccurrences(int n) {
        return new Finding(divergence, seed, n, reproducer, trace, logTail, originalSteps, minimalSteps, triage);
    }

    public Finding withTriage(Triage t) {
        return new Finding(divergence, seed, occurrences, reproducer, trace, logTail, originalSteps, minimalSteps, t);
    }
}
