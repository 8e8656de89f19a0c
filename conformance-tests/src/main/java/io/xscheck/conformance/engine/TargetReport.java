package io.xscheck.conformance.engine;

import java.util.List;
import java.util.Map;

/**
 * What a run did on one target.
 *
 * @param divergencesByCategory test cases that diverged, by category
 * @param findings distinct divergences, each shrunk once
 * @param rawRate commands per second a raw pipelined client reached on the same target (0 if not measured)
 * @param shrinkSeconds time the jobs spent shrinking, summed over jobs
 */
public record TargetReport(String target, String version, String dialect, int jobs, long sequences, long commands,
                           double seconds, Map<String, Long> divergencesByCategory, List<Finding> findings,
                           Map<String, Long> opMix, double rawRate, String error, double shrinkSeconds) {
    /** Commands per second while testing: shrinking time (per job) is left out. */
    public double rate() {
        double testing = seconds - shrinkSeconds / Math.max(1, jobs);
        return testing <= 0 ? 0 : commands / testing;
    }

    public TargetReport withRawRate(double raw, String targetVersion) {
        return new TargetReport(target, targetVersion, dialect, jobs, sequences, commands, seconds, divergencesByCategory,
                findings, opMix, raw, error, shrinkSeconds);
    }

    public long divergences() {
        return divergencesByCategory.values().stream().mapToLong(Long::longValue).sum();
    }
}
