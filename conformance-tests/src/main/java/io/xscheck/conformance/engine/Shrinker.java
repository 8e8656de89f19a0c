package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * The second shrinking phase, after QuickTheories has shrunk the templates: removes concrete steps
 * (and then connections) that the divergence does not need, keeping a candidate only when it
 * reproduces the same divergence signature. Chunks halve down to single steps (delta debugging).
 */
public final class Shrinker {
    private final Function<Trace, SequenceOutcome> runner;
    private final long deadlineNanos;
    private int runs;

    public Shrinker(Function<Trace, SequenceOutcome> runner, long deadlineNanos) {
        this.runner = runner;
        this.deadlineNanos = deadlineNanos;
    }

    public int runs() {
        return runs;
    }

    /** The smallest outcome found that has {@code start}'s signature (at worst {@code start} itself). */
    public SequenceOutcome minimize(SequenceOutcome start) {
        String signature = start.signature();
        SequenceOutcome best = start;
        List<TraceLine> lines = new ArrayList<>(best.trace().lines());
        // Most divergences need only the step that shows them: try that first.
        List<TraceLine> lastOnly = onlyLastStep(lines);
        if (lastOnly != null && !timeUp()) {
            SequenceOutcome o = attempt(lastOnly, signature);
            if (o != null) {
                best = o;
                lines = new ArrayList<>(o.trace().lines());
            }
        }
        int chunk = Math.max(1, steps(lines) / 2);
        while (chunk >= 1 && !timeUp()) {
            boolean removedAny = false;
            for (int from = 0; !timeUp(); ) {
                List<TraceLine> candidate = withoutSteps(lines, from, chunk);
                if (candidate == null) {
                    break;
                }
                SequenceOutcome o = attempt(candidate, signature);
                if (o != null) {
                    best = o;
                    lines = new ArrayList<>(o.trace().lines());
                    removedAny = true;
                } else {
                    from += chunk;
                }
            }
            if (!removedAny) {
                chunk /= 2;
            }
        }
        for (int i = lines.size() - 1; i >= 0 && !timeUp(); i--) {
            if (lines.get(i) instanceof TraceLine.Conn c && !used(lines, c.name()) && !makesTheRoot(lines, c)) {
                List<TraceLine> candidate = new ArrayList<>(lines);
                candidate.remove(i);
                SequenceOutcome o = attempt(candidate, signature);
                if (o != null) {
                    best = o;
                    lines = new ArrayList<>(o.trace().lines());
                }
            }
        }
        return best;
    }

    private SequenceOutcome attempt(List<TraceLine> candidate, String signature) {
        runs++;
        SequenceOutcome o;
        try {
            o = runner.apply(new Trace(candidate));
        } catch (TraceUseException e) {
            // without the steps it removed, the candidate asks what no target can be asked (a guest's second
            // connection with no kill before it): not a smaller reproducer
            return null;
        }
        return o.signature().equals(signature) ? o : null;
    }

    private boolean timeUp() {
        return System.nanoTime() > deadlineNanos;
    }

    private static int steps(List<TraceLine> lines) {
        return (int) lines.stream().filter(TraceLine.Step.class::isInstance).count();
    }

    /** The declarations and the last step only; null when there is nothing to remove. */
    private static List<TraceLine> onlyLastStep(List<TraceLine> lines) {
        if (steps(lines) <= 1) {
            return null;
        }
        List<TraceLine> out = new ArrayList<>();
        TraceLine last = null;
        for (TraceLine l : lines) {
            if (l instanceof TraceLine.Step) {
                last = l;
            } else {
                out.add(l);
            }
        }
        out.add(last);
        return out;
    }

    /** The harness makes a trace's case root on its first dom0 connection, which must stay. */
    private static boolean makesTheRoot(List<TraceLine> lines, TraceLine.Conn c) {
        return !c.guest() && lines.stream().anyMatch(TraceLine.Root.class::isInstance)
                && lines.stream().filter(l -> l instanceof TraceLine.Conn d && !d.guest()).count() == 1;
    }

    private static boolean used(List<TraceLine> lines, String conn) {
        return lines.stream().anyMatch(l -> l instanceof TraceLine.Step s && s.conn().equals(conn));
    }

    /** The lines without steps number {@code from .. from+count-1}; null when {@code from} is past the end. */
    private static List<TraceLine> withoutSteps(List<TraceLine> lines, int from, int count) {
        List<TraceLine> out = new ArrayList<>();
        int stepNo = 0;
        boolean any = false;
        for (TraceLine l : lines) {
            if (l instanceof TraceLine.Step) {
                if (stepNo >= from && stepNo < from + count) {
                    any = true;
                    stepNo++;
                    continue;
                }
                stepNo++;
            }
            out.add(l);
        }
        return any ? out : null;
    }
}
