/**
 * The differential conformance engine: command templates and their generators ({@code gen}), the
 * lockstep runner, comparator and shrinker ({@code engine}), the trace format ({@code trace}),
 * reports and baselines ({@code report}), wire and ring robustness without the model ({@code fuzz})
 * and the command line ({@code cli}).
 *
 * <p>May depend on everything: {@code io.xscheck.protocol}, {@code io.xscheck.model},
 * {@code io.xscheck.sut}, Guava, QuickTheories and the JDK. Only the engine holds both the model
 * and the targets; neither sees the other.
 */
package io.xscheck.conformance;
