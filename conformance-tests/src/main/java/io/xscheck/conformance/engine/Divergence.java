package io.xscheck.conformance.engine;

/**
 * A step where a target and the model disagree.
 *
 * @param category one of {@link #CATEGORIES}
 * @param signature what makes two divergences "the same" (category, op, the two answers' kinds)
 * @param stepIndex 0-based index of the step among the trace's steps
 * @param step the step as the trace writes it
 * @param expected what the model allows
 * @param actual what the target did
 * @param rule the model rule that decided
 */
public record Divergence(String category, String signature, int stepIndex, String step, String expected,
                         String actual, String rule) {
    /**
     * reply: different success payloads; error: different error names; kind: error against success;
     * quota: a restart changed a domain's quota figures ({@link QuotaCheck}); exception: the daemon caught an
     * exception of its own in the case and went on ({@link DaemonExceptions}), whatever request showed it.
     */
    public static final java.util.List<String> CATEGORIES =
            java.util.List.of("reply", "error", "kind", "transaction", "events", "tree", "quota", "crash", "exception");
}
