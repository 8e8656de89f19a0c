/**
 * The lockstep engine: {@link io.xscheck.conformance.engine.ModelSession} (the model's side),
 * {@link io.xscheck.conformance.engine.TargetSession} (one target's side),
 * {@link io.xscheck.conformance.engine.Lockstep} (runs a step on both and compares),
 * {@link io.xscheck.conformance.engine.ReplyComparison} (the only place that knows how dialects may
 * differ in the form of a reply), the whole-tree check, the shrinker, and
 * {@link io.xscheck.conformance.engine.TargetPool} (a clean case's target is reset for the next one;
 * what a reset target shows is confirmed on a fresh one), {@link io.xscheck.conformance.engine.Signatures}
 * (what makes two divergences the same: rule and shape), {@link io.xscheck.conformance.engine.GuestTriage}
 * (can guests alone set a crash off), {@link io.xscheck.conformance.engine.DialectDetector}
 * ({@code --dialect auto}), {@link io.xscheck.conformance.engine.TraceNeeds} (what a trace asks of a
 * target's capabilities) and {@link io.xscheck.conformance.engine.StepClock} (where the time goes).
 *
 * <p>Depends on the protocol value types, the model, the target interfaces and the trace format.
 */
package io.xscheck.conformance.engine;
