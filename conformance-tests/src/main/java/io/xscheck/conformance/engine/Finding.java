package io.xscheck.conformance.engine;

/**
 * A distinct divergence found in a run, shrunk.
 *
 * @param seed the seed of the test case that first showed it ({@code --seed} reproduces the run)
 * @param occurrences how many test cases showed this signature
 * @param reproducer the minimal trace with the model's expectations and the target's answer
 * @param trace the minimal trace, replayable as is
 * @param logTail the end of the target's log after the minimal trace
 */
public record Finding(Divergence divergence, long seed, int occurrences, String reproducer, String trace,
                      String logTail, int originalSteps, int minimalSteps) {
    public Finding withOccurrences(int n) {
        return new Finding(divergence, seed, n, reproducer, trace, logTail, originalSteps, minimalSteps);
    }
}
