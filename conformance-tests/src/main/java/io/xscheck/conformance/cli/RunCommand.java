package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.Campaign;
import io.xscheck.conformance.engine.RawRate;
import io.xscheck.conformance.engine.TargetReport;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.report.BaselineWriter;
import io.xscheck.conformance.report.Reports;
import io.xscheck.conformance.report.SummaryTable;
import io.xscheck.sut.SutException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/** {@code run}: every chosen target against the model, then the summary table and the reports. */
final class RunCommand {
    static final Set<String> OPTIONS = Set.of("sut", "dialect", "time", "sequences", "seed", "jobs", "max-length",
            "weights", "report-dir", "shrink-time", "tree-every", "raw-time", "write-baselines", "quotas");
    static final Set<String> FLAGS = Set.of("no-raw", "unsafe-requests");

    private RunCommand() {
    }

    record Result(List<TargetReport> reports, long seed, int exitCode) {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Result r = execute(new Args(argv, OPTIONS, FLAGS), out, err);
        return r.exitCode();
    }

    static Result execute(Args a, PrintStream out, PrintStream err) throws IOException {
        return execute(a, out, err, java.util.Set.of());
    }

    /** @param known signatures not worth shrinking (a gate's baselines) */
    static Result execute(Args a, PrintStream out, PrintStream err, java.util.Set<String> known) throws IOException {
        if (!a.positional().isEmpty()) {
            throw new UsageException("run takes no positional arguments, got " + a.positional());
        }
        long seed = a.number("seed", System.currentTimeMillis() & 0xffffffffL, Long.MIN_VALUE, Long.MAX_VALUE);
        boolean bySequences = a.get("sequences").isPresent();
        if (bySequences && a.get("time").isPresent()) {
            throw new UsageException("give --time or --sequences, not both");
        }
        Duration time = a.get("time").map(v -> Args.duration("time", v)).orElse(bySequences ? Duration.ofDays(1) : Duration.ofSeconds(60));
        long sequences = a.number("sequences", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int jobs = (int) a.number("jobs", 1, 1, 64);
        int maxLength = (int) a.number("max-length", 100, 1, 10_000);
        int treeEvery = (int) a.number("tree-every", 25, 0, 1_000_000);
        Weights weights;
        try {
            weights = Weights.parse(a.get("weights").orElse(""));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        Duration shrink = a.get("shrink-time").map(v -> Args.duration("shrink-time", v)).orElse(Duration.ofSeconds(20));
        Duration rawTime = a.get("raw-time").map(v -> Args.duration("raw-time", v)).orElse(Duration.ofSeconds(2));
        Path reportDir = Path.of(a.get("report-dir").orElse("target/xscheck"));
        List<String> specs = Targets.specs(a.get("sut"));
        String quotas = a.get("quotas").orElse("default");
        if (!quotas.equals("default") && !quotas.equals("low")) {
            throw new UsageException("--quotas is default or low, got '" + quotas + "'");
        }
        boolean lowQuotas = quotas.equals("low");

        List<Targets.Target> targets = new ArrayList<>();
        for (String spec : specs) {
            try {
                targets.add(Targets.open(spec, a.get("dialect"), lowQuotas, a.flag("unsafe-requests")));
            } catch (SutException e) {
                err.println("xscheck: cannot start target " + spec + ": " + e.getMessage());
                return new Result(List.of(), seed, 2);
            }
        }
        for (Targets.Target t : targets) {
            if (!t.capabilities().contains(io.xscheck.sut.Capability.WHOLE_TREE)) {
                out.println("xscheck run: " + t.spec() + " " + t.version() + ": dialect " + t.dialect().name()
                        + " (" + t.dialectWhy() + "); sent only " + describe(t.capabilities()));
            }
        }
        out.println("xscheck run: seed " + seed + ", " + (bySequences ? sequences + " sequences" : time.toSeconds() + " s")
                + " per target, " + jobs + " job(s) per target, targets " + specs);
        Campaign.Config config = new Campaign.Config(seed, time, sequences, jobs, weights, maxLength, treeEvery, shrink, 200,
                known);
        AtomicLong done = new AtomicLong();
        AtomicLong divergent = new AtomicLong();
        Progress progress = Progress.start(out, done, divergent::get);
        List<TargetReport> reports = PerTarget.inParallel(targets, t -> "run-" + t.spec(), t -> new Campaign(t.spec(),
                t.factory(), t.dialect(), config, done::addAndGet, divergent::addAndGet).run());
        progress.stop();
        List<TargetReport> ordered = new ArrayList<>();
        for (int k = 0; k < targets.size(); k++) {
            Targets.Target t = targets.get(k);
            TargetReport rep = reports.get(k);
            if (rep == null) {
                throw new IllegalStateException("the run on " + t.spec() + " ended without a report");
            }
            if (!a.flag("no-raw") && rep.error().isEmpty() && rep.commands() > 0) {
                double raw = 0;
                double single = 0;
                try {
                    raw = RawRate.measure(t.factory(), rawTime, rep.opMix());
                    single = RawRate.measure(t.factory(), rawTime, rep.opMix(), 1);
                } catch (RuntimeException e) {
                    err.println("xscheck: raw-rate measurement on " + t.spec() + " failed: " + e.getMessage());
                }
                rep = rep.withRawRate(raw, t.version()).withSingleRate(single);
            }
            ordered.add(rep);
        }
        for (TargetReport r : ordered) {
            if (!r.findings().isEmpty()) {
                out.println();
                out.println("== " + r.target() + ": " + r.findings().size() + " distinct divergence(s)");
                r.findings().forEach(f -> out.println("  " + f.divergence().signature() + "  (" + f.occurrences()
                        + " case(s); minimal trace " + f.minimalSteps() + " steps)\n    " + oneLine(f.divergence().step())
                        + "\n    model: " + oneLine(f.divergence().expected()) + "\n    " + r.target() + ": "
                        + oneLine(f.divergence().actual())
                        + (f.divergence().category().equals("crash") ? "\n    triage: " + f.triage().label()
                        + (f.triage().guestTriggerable() ? " -- SECURITY FINDING; guest-only reproducer:\n"
                        + f.triage().guestReproducer().indent(6).stripTrailing() : "") : "")));
            }
            out.println("op mix " + r.target() + ": " + r.opMix());
            out.println(io.xscheck.conformance.report.RuleCoverage.of(r).summaryLine());
        }
        Reports.write(reportDir, seed, ordered);
        if (a.get("write-baselines").isPresent()) {
            Path dir = Path.of(a.get("write-baselines").get());
            for (TargetReport r : ordered) {
                Path file = BaselineWriter.write(dir, r);
                out.println("baseline written: " + file + " (" + r.findings().size() + " entries)");
            }
        }
        out.println();
        out.print(SummaryTable.render(ordered));
        out.println("reports: " + reportDir.toAbsolutePath() + "/report.{json,html}, junit.xml, reproducers/");
        boolean error = ordered.stream().anyMatch(r -> !r.error().isEmpty());
        boolean diverged = ordered.stream().anyMatch(r -> r.divergences() > 0);
        return new Result(ordered, seed, error ? 2 : diverged ? 1 : 0);
    }

    private static String describe(Set<io.xscheck.sut.Capability> caps) {
        return "node, watch and transaction requests inside its sandbox"
                + (caps.contains(io.xscheck.sut.Capability.MALFORMED_REQUESTS)
                ? ", and malformed requests (--unsafe-requests)" : " (no domain, control or malformed requests)");
    }

    static String oneLine(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 200 ? one.substring(0, 200) + "... (" + one.length() + " chars)" : one;
    }
}
