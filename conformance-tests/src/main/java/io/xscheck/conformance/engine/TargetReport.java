package io.xscheck.conformance.engine;

import java.util.List;
import java.util.Map;

/**
 * What a run did on one target.
 *
 * @param divergencesByCategory test cases that diverged, by category
 * @param findings distinct divergences, each shrunk once
 * @param rawRate commands per second a raw pipelined client reached on the same target (0 if not measured)
 */
public record TargetReport(String target, String version, String dialect, int jobs, long sequences, long commands,
                           double seconds, Map<String, Long> divergencesByCategory, List<Finding> findings,
                           Map<String, Long> opMix, double rawRate, String error) {
    public double rate() {
        return seconds <= 0 ? 0 : commands / seconds;
    }

    public long divergences() {
        return divergencesByCategory.values().stream().mapToLong(Long::longValue).sum();
    }
}
