package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceWriter;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Tries to reproduce a crash from unprivileged guest connections alone. Two candidates, each
 * replayed on a fresh target: the trace without any dom0 step (and without domain deaths, which
 * the hypervisor causes), then the trace with every dom0 connection replaced by a guest of its own
 * (domains 11, 12, ...), which the harness introduces as it introduces every guest. The first that
 * shows the same signature is shrunk to a guest-only reproducer. Neither: the crash needs dom0.
 */
public final class GuestTriage {
    /** Domain ids for guests standing in for dom0 connections: above the generated guests' 1 and 2. */
    private static final int FIRST_STAND_IN = 11;

    private GuestTriage() {
    }

    /**
     * @param replay replays a trace on a fresh target
     * @param deadlineNanos when shrinking the guest-only trace stops
     */
    public static Triage triage(Function<Trace, SequenceOutcome> replay, Trace trace, String signature,
                                long deadlineNanos) {
        for (Trace candidate : candidates(trace)) {
            SequenceOutcome o;
            try {
                o = replay.apply(candidate);
            } catch (TraceUseException e) {
                // without dom0's kills, a guest's later connection has no ring to take: not a guest-only trace
                continue;
            }
            if (o.signature().equals(signature)) {
                SequenceOutcome min = new Shrinker(replay::apply, deadlineNanos).minimize(o);
                return new Triage(Triage.GUEST, min.reproducer());
            }
        }
        return new Triage(Triage.DOM0, "");
    }

    /** The guest-only variants of {@code trace}, most faithful first; none when it has no dom0 step. */
    static List<Trace> candidates(Trace trace) {
        Set<String> dom0 = new LinkedHashSet<>();
        for (TraceLine.Conn c : trace.conns()) {
            if (!c.guest()) {
                dom0.add(c.name());
            }
        }
        if (dom0.isEmpty() && trace.steps().stream().noneMatch(s -> s.command() instanceof Command.Kill)) {
            return List.of(trace);
        }
        List<Trace> out = new ArrayList<>();
        Trace dropped = withoutDom0(trace, dom0);
        if (!dropped.steps().isEmpty()) {
            out.add(dropped);
        }
        Trace standIns = withGuestsFor(trace, dom0);
        if (!standIns.steps().isEmpty()) {
            out.add(standIns);
        }
        return out;
    }

    private static Trace withoutDom0(Trace trace, Set<String> dom0) {
        List<TraceLine> out = new ArrayList<>();
        for (TraceLine l : trace.lines()) {
            if (l instanceof TraceLine.Conn c && dom0.contains(c.name())) {
                continue;
            }
            if (l instanceof TraceLine.Step s && (dom0.contains(s.conn()) || s.command() instanceof Command.Kill)) {
                continue;
            }
            if (l instanceof TraceLine.Root) {
                continue;
            }
            out.add(l);
        }
        return new Trace(out);
    }

    private static Trace withGuestsFor(Trace trace, Set<String> dom0) {
        Map<String, Integer> domid = new HashMap<>();
        int next = FIRST_STAND_IN;
        for (String name : dom0) {
            domid.put(name, next++);
        }
        List<TraceLine> out = new ArrayList<>();
        for (TraceLine l : trace.lines()) {
            if (l instanceof TraceLine.Root) {
                continue;
            }
            if (l instanceof TraceLine.Conn c && domid.containsKey(c.name())) {
                out.add(TraceLine.Conn.guest(c.name(), domid.get(c.name())));
            } else if (l instanceof TraceLine.Step s && s.command() instanceof Command.Kill) {
                continue;
            } else {
                out.add(l);
            }
        }
        return new Trace(out);
    }

    /** A short draft for the implementation's security contact; the user decides whether to send it. */
    public static String securityDraft(String target, String version, Finding f) {
        return "DRAFT - not sent. Review before reporting to the project's security contact.\n\n"
                + "Subject: xenstore: an unprivileged guest can make " + target + " " + f.divergence().category()
                + " (" + f.divergence().signature() + ")\n\n"
                + "Affected: " + target + " " + version + " (run without Xen under xscheck's fake-Xen shim; not yet"
                + " confirmed on real Xen)\n\n"
                + "Impact: every guest talks to xenstored; a guest that can crash or hang it takes down the host's"
                + " management plane (no domain can be started, stopped or reconfigured) until it is restarted.\n\n"
                + "Observed: " + f.divergence().actual().replace('\n', ' ') + "\n\n"
                + "Guest-only reproducer (xscheck trace; `./xscheck replay FILE --sut " + target + "`):\n\n"
                + f.triage().guestReproducer() + "\n"
                + "Original reproducer (may involve dom0):\n\n" + f.reproducer() + "\n";
    }

    static String describe(Optional<Triage> t) {
        return t.map(Triage::label).orElse("");
    }

    static String line(TraceLine l) {
        return TraceWriter.line(l);
    }
}
