package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.BoundedClose;
import io.xscheck.conformance.engine.Lockstep;
import io.xscheck.conformance.engine.ModelSession;
import io.xscheck.conformance.engine.StepResult;
import io.xscheck.conformance.engine.TargetSession;
import io.xscheck.conformance.engine.TraceNeeds;
import io.xscheck.conformance.trace.Expect;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.conformance.trace.TraceSyntaxException;
import io.xscheck.conformance.trace.TraceWriter;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code replay FILE... --sut X[,Y] [--dialect NAME]}: each trace against a fresh instance of each
 * target and the model, replies side by side, every {@code => EXPECT} checked against the target
 * (against the model with {@code --sut model}). A trace with wire or ring steps ({@code rawbytes},
 * {@code ring}), or any trace with {@code --robustness}, is checked for robustness instead
 * ({@link RobustnessReplay}).
 */
final class ReplayCommand {
    private static final int LOG_LINES = 30;

    static final Set<String> OPTIONS = Set.of("sut", "dialect", "quotas");

    private ReplayCommand() {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args a = new Args(argv, OPTIONS, Set.of("unsafe-requests", "robustness"));
        if (a.positional().isEmpty()) {
            throw new UsageException("replay needs at least one trace file");
        }
        List<String> specs = a.get("sut").map(s -> List.of(s.split(","))).orElse(List.of("model"));
        List<Trace> traces = new ArrayList<>();
        for (String f : a.positional()) {
            try {
                traces.add(TraceParser.parse(Path.of(f)));
            } catch (NoSuchFileException e) {
                err.println("xscheck: no such trace file: " + f);
                return 2;
            } catch (TraceSyntaxException e) {
                err.println("xscheck: " + f + ": " + e.getMessage());
                return 2;
            }
        }
        boolean bad = false;
        for (int i = 0; i < traces.size(); i++) {
            out.println("== " + a.positional().get(i));
            int r = a.flag("robustness") || RobustnessReplay.needed(traces.get(i))
                    ? RobustnessReplay.replay(traces.get(i), specs, a.flag("unsafe-requests"), out, err)
                    : replay(traces.get(i), specs, a.get("dialect"), a.get("quotas").orElse("default").equals("low"),
                    a.flag("unsafe-requests"), out, err);
            if (r == 2) {
                return 2;
            }
            bad |= r == 1;
        }
        return bad ? 1 : 0;
    }

    /** 0 clean, 1 a divergence or failed expectation, 2 a target could not be used. */
    static int replay(Trace trace, List<String> specs, Optional<String> dialectName, boolean lowQuotas, PrintStream out,
                      PrintStream err) {
        return replay(trace, specs, dialectName, lowQuotas, false, out, err);
    }

    /** @param unsafe a daemon reached by its socket may also be sent the trace's malformed requests */
    static int replay(Trace trace, List<String> specs, Optional<String> dialectName, boolean lowQuotas, boolean unsafe,
                      PrintStream out, PrintStream err) {
        List<Lockstep> sides = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<Sut> suts = new ArrayList<>();
        try {
            for (String spec : specs) {
                spec = spec.strip();
                if (spec.equals("model")) {
                    Dialect d = Targets.dialect(dialectName.filter(n -> !n.equals(Targets.AUTO)).orElse(Dialect.CXENSTORED));
                    sides.add(new Lockstep(new ModelSession(d), null, 0));
                    names.add("model/" + d.name());
                    continue;
                }
                Targets.Target t;
                try {
                    t = Targets.open(spec, dialectName, lowQuotas, unsafe);
                } catch (SutException e) {
                    err.println("xscheck: cannot start target " + spec + ": " + e.getMessage());
                    return 2;
                }
                Optional<String> lacking = TraceNeeds.missing(trace, t.capabilities());
                if (lacking.isPresent()) {
                    err.println("xscheck: cannot replay on " + spec + ": " + lacking.get());
                    return 2;
                }
                Sut sut = t.factory().open();
                suts.add(sut);
                sides.add(new Lockstep(new ModelSession(t.dialect()), new TargetSession(sut), 0));
                names.add(spec + " " + t.version() + " (dialect " + t.dialect().name() + ")");
            }
            for (Lockstep s : sides) {
                String root = s.openCaseRoot(trace.root());
                if (!root.equals("/") && !trace.root().equals(Optional.of(root))) {
                    out.println("      (on " + names.get(sides.indexOf(s)) + " the trace runs under " + root + ")");
                }
            }
            boolean prepared = false;
            out.println("   against " + String.join(", ", names));
            boolean bad = false;
            int stepNo = 0;
            for (TraceLine line : trace.lines()) {
                if (line instanceof TraceLine.Conn c) {
                    out.println("      " + TraceWriter.line(c));
                    for (Lockstep s : sides) {
                        s.declare(c);
                    }
                    continue;
                }
                if (line instanceof TraceLine.Root r) {
                    out.println("      " + TraceWriter.line(r));
                    continue;
                }
                TraceLine.Step step = (TraceLine.Step) line;
                if (!prepared) {
                    prepared = true;
                    for (int k = 0; k < sides.size(); k++) {
                        for (StepResult r : sides.get(k).prepareCaseRoot()) {
                            if (r.divergence().isPresent()) {
                                out.println("   the case root could not be made on " + specs.get(k).strip() + ": "
                                        + r.divergence().get().actual());
                                bad = true;
                            }
                        }
                    }
                }
                out.printf("%4d  %s%n", ++stepNo, TraceWriter.line(step));
                java.util.Set<String> answers = new java.util.LinkedHashSet<>();
                int targets = 0;
                for (int k = 0; k < sides.size(); k++) {
                    Lockstep s = sides.get(k);
                    StepResult r = s.step(step);
                    if (s.target().isPresent()) {
                        targets++;
                        answers.add(crossForm(r));
                    }
                    String mark = "";
                    if (r.expectationFailed()) {
                        mark += "   <-- EXPECTATION FAILED";
                        bad = true;
                    }
                    if (r.divergence().isPresent()) {
                        mark += "   <-- DIVERGES (" + r.divergence().get().signature() + ")";
                        bad = true;
                    }
                    String model = describe(s, r, true);
                    if (s.target().isEmpty()) {
                        out.printf("        model %-40s rule %s%s%n", model, r.rule(), mark);
                    } else {
                        String name = specs.get(k).strip();
                        out.printf("        model %-40s %s %s%s   (rule %s)%n", model, name, describe(s, r, false), mark,
                                r.rule());
                    }
                }
                if (targets > 1 && answers.size() > 1) {
                    out.println("        targets differ from each other: " + String.join(" / ", answers));
                }
            }
            for (int k = 0; k < sides.size(); k++) {
                Optional<io.xscheck.conformance.engine.Divergence> end = sides.get(k).finish();
                if (end.isPresent()) {
                    out.println("   whole tree differs on " + specs.get(k).strip() + ": " + end.get().actual());
                    bad = true;
                }
            }
            if (bad) {
                // what the daemon said about it: a reader of a failed replay needs it as a reproducer's reader does
                for (int k = 0; k < sides.size(); k++) {
                    String spec = specs.get(k).strip();
                    sides.get(k).target().ifPresent(t -> {
                        String tail = t.sut().logTail(LOG_LINES).strip();
                        if (!tail.isEmpty()) {
                            out.println("   --- " + spec + " log tail ---");
                            tail.lines().forEach(l -> out.println("   " + l));
                        }
                    });
                }
            }
            out.println(bad ? "   FAILED" : "   ok");
            return bad ? 1 : 0;
        } catch (SutException e) {
            err.println("xscheck: target failed during replay: " + e.getMessage());
            return 2;
        } finally {
            sides.forEach(Lockstep::close);
            suts.forEach(BoundedClose::close);
        }
    }

    /** A target's answer in a form comparable across targets: directories as sets, events as multisets. */
    private static String crossForm(StepResult r) {
        if (r.eventsCheck().isPresent()) {
            List<String> evs = new ArrayList<>(r.targetEvents().getOrDefault(r.step().conn(), List.of()).stream()
                    .map(Object::toString).toList());
            java.util.Collections.sort(evs);
            return evs.toString();
        }
        return r.target().map(reply -> {
            if (reply instanceof Reply.Names n) {
                return new java.util.TreeSet<>(n.names()).toString();
            }
            return TraceWriter.expect(Expect.of(reply, true));
        }).orElse("(no reply)");
    }

    private static String describe(Lockstep s, StepResult r, boolean model) {
        if (r.eventsCheck().isPresent()) {
            List<io.xscheck.protocol.WatchEvent> evs = model ? r.modelEvents().getOrDefault(r.step().conn(), List.of())
                    : r.targetEvents().getOrDefault(r.step().conn(), List.of());
            return TraceWriter.expect(new Expect.Events(evs));
        }
        if (model) {
            return TraceWriter.expect(s.expectOf(r.modelReplies()));
        }
        Optional<Reply> t = r.target();
        return t.map(reply -> TraceWriter.expect(Expect.of(reply, true))).orElse("(no reply)");
    }
}
