package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.BoundedClose;
import io.xscheck.conformance.engine.TraceNeeds;
import io.xscheck.conformance.fuzz.Roles;
import io.xscheck.conformance.fuzz.RobustnessRun;
import io.xscheck.conformance.fuzz.Violation;
import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceWriter;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

/**
 * {@code replay} of a robustness trace (one with {@code rawbytes} or {@code ring} steps, or any
 * trace with {@code --robustness}): each target runs it fresh, alone, and reports the robustness
 * property after every step instead of comparing replies with the model, which predicts nothing
 * below the request level.
 */
final class RobustnessReplay {

    private RobustnessReplay() {
    }

    /** Whether {@code replay} checks this trace for robustness without being asked. */
    static boolean needed(Trace trace) {
        return trace.steps().stream().anyMatch(s -> s.command() instanceof Command.WireBytes
                || s.command() instanceof Command.RingWrite);
    }

    private static boolean needsRings(Trace trace) {
        return trace.steps().stream().anyMatch(s -> s.command() instanceof Command.RingWrite);
    }

    /** 0 the property held on every target, 1 it broke on one, 2 a target could not be used. */
    static int replay(Trace trace, List<String> specs, boolean unsafe, PrintStream out, PrintStream err) {
        out.println("   robustness check: bystanders " + Roles.bystanders(trace) + " must be answered within "
                + io.xscheck.conformance.fuzz.RobustnessCheck.HANG_BOUND.toMillis() + " ms after every step of "
                + Roles.attackers(trace) + ", and the daemon must live");
        if (trace.steps().stream().anyMatch(s -> s.expect().isPresent())) {
            // What an attacker is answered is not the property; a robustness run does not check it.
            out.println("   (the trace's => expectations are not checked in a robustness replay)");
        }
        boolean broken = false;
        int ran = 0;
        for (String raw : specs) {
            String spec = raw.strip();
            if (spec.equals("model")) {
                out.println("   model: skipped (the model predicts no wire or ring steps)");
                continue;
            }
            Sut sut;
            try {
                sut = Suts.open(spec, SutOptions.defaults().withUnsafeRequests(unsafe));
            } catch (SutException e) {
                err.println("xscheck: cannot start target " + spec + ": " + e.getMessage());
                return 2;
            }
            try {
                Optional<String> lacking = TraceNeeds.missing(trace, sut.capabilities());
                if (lacking.isPresent()) {
                    err.println("xscheck: cannot replay on " + spec + ": " + lacking.get());
                    return 2;
                }
                if (needsRings(trace) && !(sut instanceof io.xscheck.sut.GuestRingAccess)) {
                    out.println("   " + spec + ": not applicable (the trace writes ring indexes; this target's guests"
                            + " have no ring page)");
                    continue;
                }
                out.println("   on " + spec + " " + sut.version());
                ran++;
                RobustnessRun.Outcome o = RobustnessRun.run(sut, trace, (n, step, outcome, v) -> {
                    out.printf("%4d  %s%n        %s: %s%n", n, TraceWriter.line(step), spec, outcome);
                    out.println("        property: " + v.map(x -> "VIOLATED: " + x).orElse("holds"));
                });
                if (o.violation().isPresent() && o.atStep() > o.steps()) {
                    out.println("        after the last step: VIOLATED: " + o.violation().get());
                }
                Optional<Violation> v = o.violation();
                v.ifPresent(x -> {
                    if (!x.diagnosis().isEmpty()) {
                        out.println("        the daemon said: " + x.diagnosis());
                    }
                });
                out.println(v.isPresent() ? "   FAILED on " + spec + " (" + v.get().signature() + ")" : "   ok on " + spec);
                broken |= v.isPresent();
            } catch (SutException e) {
                err.println("xscheck: " + spec + " failed during replay: " + e.getMessage());
                return 2;
            } finally {
                BoundedClose.close(sut);
            }
        }
        if (ran == 0) {
            err.println("xscheck: nothing checked: a robustness trace runs on daemons (--sut cxenstored,oxenstored,qemu)");
            return 2;
        }
        return broken ? 1 : 0;
    }
}
