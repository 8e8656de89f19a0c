package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.Lockstep;
import io.xscheck.conformance.engine.ModelSession;
import io.xscheck.conformance.engine.StepResult;
import io.xscheck.conformance.trace.Expect;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.conformance.trace.TraceSyntaxException;
import io.xscheck.conformance.trace.TraceWriter;
import io.xscheck.model.Dialect;
import io.xscheck.model.Evidence;
import io.xscheck.model.Rule;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code explain 'A write /x y' ['A read /x' ...] [--dialect NAME]}: what the model answers to each
 * step and which rule decided. Connections not declared with {@code conn} are privileged.
 */
final class ExplainCommand {
    private ExplainCommand() {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) {
        Args a = new Args(argv, Set.of("dialect"), Set.of());
        if (a.positional().isEmpty()) {
            throw new UsageException("explain needs a step, e.g. explain 'A write /x y'");
        }
        List<String> dialects = a.get("dialect").map(List::of).orElse(List.of(Dialect.CXENSTORED, Dialect.OXENSTORED,
                Dialect.QEMU, Dialect.SPEC));
        List<TraceLine> lines = new ArrayList<>();
        Set<String> declared = new HashSet<>();
        int n = 0;
        for (String arg : a.positional()) {
            for (String text : arg.split("[;\n]")) {
                n++;
                TraceLine l;
                try {
                    l = TraceParser.parseLine(text, n);
                } catch (TraceSyntaxException e) {
                    err.println("xscheck: '" + text.strip() + "': " + e.getMessage());
                    return 2;
                }
                if (l == null) {
                    continue;
                }
                if (l instanceof TraceLine.Step s && io.xscheck.conformance.trace.Command.belowRequests(s.command())) {
                    throw new UsageException("'" + text.strip() + "': the model predicts nothing below the request"
                            + " level (rawbytes, ring); replay checks such steps for robustness");
                }
                if (l instanceof TraceLine.Conn c) {
                    declared.add(c.name());
                } else if (l instanceof TraceLine.Step s && declared.add(s.conn())) {
                    lines.add(TraceLine.Conn.dom0(s.conn()));
                }
                lines.add(l);
            }
        }
        boolean failed = false;
        for (String dn : dialects) {
            Dialect d = Targets.dialect(dn);
            out.println("dialect " + d.name() + ":");
            Set<Rule> used = new java.util.LinkedHashSet<>();
            try (Lockstep ls = new Lockstep(new ModelSession(d), null, 0)) {
                for (TraceLine l : lines) {
                    if (l instanceof TraceLine.Conn c) {
                        ls.declare(c);
                        continue;
                    }
                    if (l instanceof TraceLine.Root root) {
                        ls.openCaseRoot(java.util.Optional.of(root.path()));
                        continue;
                    }
                    TraceLine.Step s = (TraceLine.Step) l;
                    ls.prepareCaseRoot();
                    StepResult r = ls.step(s);
                    String answer = r.eventsCheck().isPresent()
                            ? TraceWriter.expect(new Expect.Events(r.eventsCheck().get()))
                            : TraceWriter.expect(ls.expectOf(r.modelReplies()));
                    out.println("  " + TraceWriter.line(s.withoutExpect()));
                    out.println("      => " + answer + "    (rule " + r.rule() + ")"
                            + (r.expectationFailed() ? "   <-- EXPECTATION FAILED" : ""));
                    r.modelEvents().forEach((conn, evs) -> {
                        if (!r.eventsCheck().isPresent()) {
                            out.println("      events to " + conn + ": " + TraceWriter.expect(new Expect.Events(evs)));
                        }
                    });
                    failed |= r.expectationFailed();
                    Rule.withId(r.rule()).ifPresent(used::add);
                }
            }
            printRules(out, d.name(), used);
        }
        return failed ? 1 : 0;
    }

    /** What each rule the steps used states, and its evidence: this dialect's first, then the rest. */
    private static void printRules(PrintStream out, String dialect, Set<Rule> used) {
        if (used.isEmpty()) {
            return;
        }
        out.println("  rules used:");
        for (Rule rule : used) {
            out.println("    " + rule.id() + " (" + rule.room().title() + "): " + rule.statement());
            List<Evidence> own = rule.evidenceFor(dialect);
            for (Evidence e : own) {
                out.println("      evidence: " + e.cite());
            }
            for (Evidence e : rule.evidence()) {
                if (!own.contains(e)) {
                    out.println("      other dialects (" + String.join(", ", e.dialects()) + "): " + e.cite());
                }
            }
        }
    }
}
