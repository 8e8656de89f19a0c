package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.Finding;
import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.engine.TargetReport;
import io.xscheck.conformance.report.Baseline;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.conformance.trace.TraceSyntaxException;
import io.xscheck.sut.SutException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code gate --baseline FILE[,FILE] [run options]}: replays every baseline entry (reporting those
 * that no longer reproduce), then runs the targets and exits 1 on any divergence the baselines do
 * not list. A baseline {@code baselines/NAME.txt} is for target NAME unless {@code --sut} names one.
 */
final class GateCommand {
    /** The seed a gate runs with unless given one or {@code --explore}: the same test cases every time. */
    static final long FIXED_SEED = 20261121L;

    private GateCommand() {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Set<String> options = new HashSet<>(RunCommand.OPTIONS);
        options.add("baseline");
        Set<String> flags = new HashSet<>(RunCommand.FLAGS);
        flags.add("prune");
        flags.add("resign");
        flags.add("explore");
        Args a = new Args(argv, options, flags);
        String files = a.get("baseline").orElseThrow(() -> new UsageException("gate needs --baseline FILE"));
        Map<String, Baseline> byTarget = new LinkedHashMap<>();
        for (String f : files.split(",")) {
            Baseline b;
            try {
                b = Baseline.read(Path.of(f.strip()));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UsageException("no such baseline file: " + f);
            }
            String target = a.get("sut").filter(s -> !s.contains(",")).orElse(b.targetName());
            byTarget.put(target, b);
        }
        List<String> argsForRun = new ArrayList<>();
        for (int i = 0; i < argv.size(); i++) {
            String s = argv.get(i);
            if (s.equals("--baseline")) {
                i++;
                continue;
            }
            if (s.equals("--prune") || s.equals("--resign") || s.equals("--explore")) {
                continue;
            }
            if (s.startsWith("--baseline=") || s.startsWith("--sut")) {
                if (s.equals("--sut")) {
                    i++;
                }
                continue;
            }
            argsForRun.add(s);
        }
        argsForRun.add("--sut");
        argsForRun.add(String.join(",", byTarget.keySet()));
        if (a.get("seed").isEmpty() && !a.flag("explore")) {
            // A gate in CI must give the same answer for the same daemon: a fixed seed unless asked to explore.
            argsForRun.add("--seed");
            argsForRun.add(Long.toString(FIXED_SEED));
        }

        int stale = 0;
        for (Map.Entry<String, Baseline> e : byTarget.entrySet()) {
            Targets.Target t;
            try {
                t = Targets.open(e.getKey(), a.get("dialect"), false, a.flag("unsafe-requests"));
            } catch (SutException ex) {
                err.println("xscheck: cannot start target " + e.getKey() + ": " + ex.getMessage());
                return 2;
            }
            SequenceRunner runner = new SequenceRunner(t.factory(), t.dialect(), 0, e.getKey());
            out.println("baseline " + e.getValue().file() + " (" + e.getValue().entries().size() + " entries) on " + e.getKey());
            Set<String> gone = new HashSet<>();
            Map<Integer, String> now = new java.util.HashMap<>();
            for (Baseline.Entry entry : e.getValue().entries()) {
                SequenceOutcome o;
                try {
                    o = runner.replay(TraceParser.parse(entry.trace()));
                } catch (TraceSyntaxException ex) {
                    err.println("xscheck: " + e.getValue().file() + " entry at line " + entry.line() + ": " + ex.getMessage());
                    return 2;
                }
                if (o.diverged()) {
                    now.put(entry.line(), o.signature());
                }
                boolean reproduces = o.signature().equals(entry.signature());
                if (!reproduces) {
                    stale++;
                    gone.add(entry.signature());
                }
                out.println("  " + (reproduces ? "reproduces        " : "NO LONGER REPRODUCES") + "  [" + entry.signature() + "]"
                        + (reproduces ? "" : "  (now: " + (o.diverged() ? o.signature() : "agrees with the model") + ")"));
            }
            if (a.flag("resign")) {
                int before = e.getValue().entries().size();
                e.setValue(e.getValue().resigned(now));
                out.println("  re-signed " + now.size() + " entries from their replays; " + e.getValue().entries().size()
                        + " of " + before + " remain (one per signature)");
                continue;
            }
            if (a.flag("prune") && !gone.isEmpty()) {
                e.setValue(e.getValue().pruned(gone));
                out.println("  pruned " + gone.size() + " entr" + (gone.size() == 1 ? "y" : "ies") + " from "
                        + e.getValue().file());
            }
        }
        if (a.flag("resign")) {
            return 0;
        }
        java.util.Set<String> known = new java.util.HashSet<>();
        byTarget.values().forEach(b -> b.entries().forEach(en -> known.add(en.signature())));
        RunCommand.Result result = RunCommand.execute(new Args(argsForRun, RunCommand.OPTIONS, RunCommand.FLAGS), out, err,
                known);
        if (result.exitCode() == 2) {
            return 2;
        }
        int fresh = 0;
        for (TargetReport r : result.reports()) {
            Baseline b = byTarget.get(r.target());
            for (Finding f : r.findings()) {
                if (b == null || !b.lists(f.divergence().signature())) {
                    fresh++;
                    out.println("NEW on " + r.target() + ": [" + f.divergence().signature() + "]");
                    out.print(f.trace().lines().map(l -> "    " + l + "\n").reduce("", String::concat));
                }
            }
        }
        out.println("gate: " + fresh + " new divergence(s), " + stale + " baseline entr" + (stale == 1 ? "y" : "ies")
                + " no longer reproducing");
        return fresh > 0 ? 1 : 0;
    }
}
