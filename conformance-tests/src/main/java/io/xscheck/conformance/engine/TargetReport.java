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
 * @param reuse how the test cases shared targets (see {@link TargetPool})
 * @param phaseNanos where the cases' time went ({@link StepClock}), summed over jobs
 * @param singleRate commands per second a raw client with one request in flight reached (0 if not measured)
 * @param ruleHits how often each model rule (by id) decided a step of a test case
 * @param kinds the template kinds the run generated for this target (weight above 0 after its
 *     capabilities), lower case; empty when not known
 */
public record TargetReport(String target, String version, String dialect, int jobs, long sequences, long commands,
                           double seconds, Map<String, Long> divergencesByCategory, List<Finding> findings,
                           Map<String, Long> opMix, double rawRate, String error, double shrinkSeconds,
                           Reuse reuse, Map<String, Long> phaseNanos, double singleRate, Map<String, Long> ruleHits,
                           java.util.Set<String> kinds) {
    public TargetReport(String target, String version, String dialect, int jobs, long sequences, long commands,
                        double seconds, Map<String, Long> divergencesByCategory, List<Finding> findings,
                        Map<String, Long> opMix, double rawRate, String error, double shrinkSeconds, Reuse reuse,
                        Map<String, Long> phaseNanos, double singleRate) {
        this(target, version, dialect, jobs, sequences, commands, seconds, divergencesByCategory, findings, opMix,
                rawRate, error, shrinkSeconds, reuse, phaseNanos, singleRate, Map.of(), java.util.Set.of());
    }

    public TargetReport(String target, String version, String dialect, int jobs, long sequences, long commands,
                        double seconds, Map<String, Long> divergencesByCategory, List<Finding> findings,
                        Map<String, Long> opMix, double rawRate, String error, double shrinkSeconds, Reuse reuse) {
        this(target, version, dialect, jobs, sequences, commands, seconds, divergencesByCategory, findings, opMix,
                rawRate, error, shrinkSeconds, reuse, Map.of(), 0, Map.of(), java.util.Set.of());
    }

    /**
     * @param reusedCases test cases that ran on a target an earlier case had used, reset
     * @param failedResets resets after which the target still differed from a fresh one (it was replaced)
     * @param unconfirmed divergences seen on a reset target that a fresh target did not repeat
     *                    (state left by an earlier case, not counted as divergences)
     * @param unconfirmedExample the first of those, as a trace, or empty
     * @param repeatsNotReplayed divergences seen on a reset target or among steps sent ahead whose signature a fresh
     *                           target, one step at a time, had already shown in this run: counted as further cases
     *                           of that finding (whose reproducer stays the confirmed one) without a replay
     */
    public record Reuse(long reusedCases, long failedResets, long unconfirmed, String unconfirmedExample,
                        long repeatsNotReplayed) {
        public static final Reuse NONE = new Reuse(0, 0, 0, "", 0);

        public Reuse(long reusedCases, long failedResets, long unconfirmed, String unconfirmedExample) {
            this(reusedCases, failedResets, unconfirmed, unconfirmedExample, 0);
        }
    }

    /** Commands per second while testing: shrinking time (per job) is left out. */
    public double rate() {
        double testing = seconds - shrinkSeconds / Math.max(1, jobs);
        return testing <= 0 ? 0 : commands / testing;
    }

    public TargetReport withRawRate(double raw, String targetVersion) {
        return new TargetReport(target, targetVersion, dialect, jobs, sequences, commands, seconds, divergencesByCategory,
                findings, opMix, raw, error, shrinkSeconds, reuse, phaseNanos, singleRate, ruleHits, kinds);
    }

    /** With the raw client's rate at one request in flight too. */
    public TargetReport withSingleRate(double single) {
        return new TargetReport(target, version, dialect, jobs, sequences, commands, seconds, divergencesByCategory,
                findings, opMix, rawRate, error, shrinkSeconds, reuse, phaseNanos, single, ruleHits, kinds);
    }

    public long divergences() {
        return divergencesByCategory.values().stream().mapToLong(Long::longValue).sum();
    }
}
