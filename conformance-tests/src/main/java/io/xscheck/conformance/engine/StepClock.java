package io.xscheck.conformance.engine;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where a run's time goes, summed over its jobs: the model's prediction, sending a step, waiting
 * for its reply, the event barrier, whole-tree checks, a case's setup (a target from the pool,
 * connections, the case root) and its reset, and the confirmation of a divergence seen on a
 * reset target or among steps sent ahead (its replays on a fresh target, one step at a time, as a
 * whole). Shrinking is not counted (its replays run on their own clocks). Thread-safe: the jobs of
 * a run share one.
 */
public final class StepClock {
    /** The phases of a test case's time. */
    public enum Phase {
        MODEL, SEND, REPLY_WAIT, BARRIER, TREE_CHECK, CASE_SETUP, CASE_RESET, CONFIRM
    }

    private final EnumMap<Phase, LongAdder> nanos = new EnumMap<>(Phase.class);

    public StepClock() {
        for (Phase p : Phase.values()) {
            nanos.put(p, new LongAdder());
        }
    }

    /** Adds the time since {@code startNanos} (a {@link System#nanoTime()} reading) to {@code phase}. */
    public void since(Phase phase, long startNanos) {
        nanos.get(phase).add(System.nanoTime() - startNanos);
    }

    /** Nanoseconds per phase, in phase order, keys in lower case. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new LinkedHashMap<>();
        nanos.forEach((p, n) -> out.put(p.name().toLowerCase(java.util.Locale.ROOT), n.sum()));
        return out;
    }
}
