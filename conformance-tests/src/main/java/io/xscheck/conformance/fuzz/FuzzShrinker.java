package io.xscheck.conformance.fuzz;

import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Shrinks a robustness trace: removes chunks of steps (halving the chunk size, as delta debugging
 * does), then lowers the repeat counts of floods and shortens long watch tokens, keeping a change only while a fresh target breaks
 * the property the same way (same {@link Violation#signature()}). Bounded by a time budget; the
 * connection declarations are kept (bystanders take no steps, and are the property's witnesses).
 */
final class FuzzShrinker {

    private final TargetFactory factory;
    private final String signature;
    private final long deadline;
    private int replays;

    private FuzzShrinker(TargetFactory factory, String signature, Duration budget) {
        this.factory = factory;
        this.signature = signature;
        this.deadline = System.nanoTime() + budget.toNanos();
    }

    /** The shrunk trace and how many fresh-target replays it took. */
    record Result(Trace trace, int replays) {
    }

    static Result shrink(TargetFactory factory, Trace trace, String signature, Duration budget) {
        FuzzShrinker s = new FuzzShrinker(factory, signature, budget);
        List<TraceLine.Step> steps = s.removeChunks(new ArrayList<>(trace.steps()), trace.conns());
        steps = s.lowerRepeats(steps, trace.conns());
        steps = s.shortenTokens(steps, trace.conns());
        return new Result(assemble(trace.conns(), steps), s.replays);
    }

    private List<TraceLine.Step> removeChunks(List<TraceLine.Step> steps, List<TraceLine.Conn> conns) {
        int chunk = Math.max(1, steps.size() / 2);
        while (chunk >= 1 && steps.size() > 1 && timeLeft()) {
            boolean removed = false;
            for (int i = 0; i < steps.size() && steps.size() > 1 && timeLeft(); ) {
                List<TraceLine.Step> candidate = new ArrayList<>(steps.subList(0, i));
                candidate.addAll(steps.subList(Math.min(steps.size(), i + chunk), steps.size()));
                if (!candidate.isEmpty() && reproduces(conns, candidate)) {
                    steps = candidate;
                    removed = true;
                } else {
                    i += chunk;
                }
            }
            if (!removed) {
                chunk /= 2;
            }
        }
        return steps;
    }

    private List<TraceLine.Step> lowerRepeats(List<TraceLine.Step> steps, List<TraceLine.Conn> conns) {
        for (int i = 0; i < steps.size() && timeLeft(); i++) {
            while (steps.get(i).command() instanceof Command.WireBytes b && b.repeat() > 1 && timeLeft()) {
                List<TraceLine.Step> candidate = new ArrayList<>(steps);
                TraceLine.Step old = steps.get(i);
                candidate.set(i, new TraceLine.Step(old.conn(), old.tx(), new Command.WireBytes(b.bytes(), b.repeat() / 2),
                        Optional.empty()));
                if (!reproduces(conns, candidate)) {
                    break;
                }
                steps = candidate;
            }
        }
        return steps;
    }

    /** A huge watch token becomes {@code t} when the violation does not need its size. */
    private List<TraceLine.Step> shortenTokens(List<TraceLine.Step> steps, List<TraceLine.Conn> conns) {
        for (int i = 0; i < steps.size() && timeLeft(); i++) {
            TraceLine.Step old = steps.get(i);
            if (old.command() instanceof Command.Send send && send.request() instanceof Request.Watch w
                    && w.token().length() > 1) {
                List<TraceLine.Step> candidate = new ArrayList<>(steps);
                candidate.set(i, new TraceLine.Step(old.conn(), old.tx(),
                        new Command.Send(new Request.Watch(w.path(), "t")), Optional.empty()));
                if (reproduces(conns, candidate)) {
                    steps = candidate;
                }
            }
        }
        return steps;
    }

    private boolean reproduces(List<TraceLine.Conn> conns, List<TraceLine.Step> steps) {
        replays++;
        try {
            return Replays.signatureOnFresh(factory, assemble(conns, steps)).filter(signature::equals).isPresent();
        } catch (SutException e) {
            return false; // a target that would not start for this candidate says nothing about it
        }
    }

    private boolean timeLeft() {
        return System.nanoTime() < deadline;
    }

    static Trace assemble(List<TraceLine.Conn> conns, List<TraceLine.Step> steps) {
        List<TraceLine> lines = new ArrayList<>(conns);
        lines.addAll(steps);
        return new Trace(lines);
    }
}
