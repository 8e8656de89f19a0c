package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.Campaign;
import io.xscheck.conformance.engine.RawRate;
import io.xscheck.conformance.engine.TargetReport;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.report.Json;
import io.xscheck.sut.SutException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * {@code bench}: per target, in one run and on the same machine, the raw client's ceilings (one
 * request in flight, and 32), the engine's commands per second with the default op mix (no
 * shrinking), their ratios, and where the engine's time went, as a table and as
 * {@code bench.json}. Numbers are measured here and now; nothing asserts them.
 */
final class BenchCommand {
    static final Set<String> OPTIONS = Set.of("sut", "dialect", "time", "seed", "jobs", "raw-time", "report-dir");

    private BenchCommand() {
    }

    /** One target's measurements. */
    record Row(String target, double single, double pipelined, TargetReport engine) {
        double engineRate() {
            return engine.rate();
        }
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args a = new Args(argv, OPTIONS, Set.of());
        Duration time = a.get("time").map(v -> Args.duration("time", v)).orElse(Duration.ofSeconds(20));
        Duration rawTime = a.get("raw-time").map(v -> Args.duration("raw-time", v)).orElse(Duration.ofSeconds(3));
        long seed = a.number("seed", 7, Long.MIN_VALUE, Long.MAX_VALUE);
        int jobs = (int) a.number("jobs", 1, 1, 64);
        Path reportDir = Path.of(a.get("report-dir").orElse("target/xscheck"));
        List<Row> rows = new ArrayList<>();
        for (String spec : Targets.specs(a.get("sut"))) {
            Targets.Target t;
            try {
                t = Targets.open(spec, a.get("dialect"));
            } catch (SutException e) {
                err.println("xscheck: cannot start target " + spec + ": " + e.getMessage());
                return 2;
            }
            Campaign.Config config = new Campaign.Config(seed, time, Long.MAX_VALUE, jobs, Weights.defaults(), 100, 25,
                    Duration.ofMillis(1), 1);
            TargetReport engine = new Campaign(spec, t.factory(), t.dialect(), config, n -> { }).run();
            if (!engine.error().isEmpty()) {
                err.println("xscheck: " + spec + ": " + engine.error());
                return 2;
            }
            double pipelined = RawRate.measure(t.factory(), rawTime, engine.opMix());
            double single = RawRate.measure(t.factory(), rawTime, engine.opMix(), 1);
            rows.add(new Row(spec, single, pipelined, engine));
        }
        out.print(table(rows, jobs));
        Files.createDirectories(reportDir);
        Path json = reportDir.resolve("bench.json");
        Files.writeString(json, json(rows, seed, jobs), StandardCharsets.UTF_8);
        out.println("bench report: " + json.toAbsolutePath());
        return 0;
    }

    static String table(List<Row> rows, int jobs) {
        StringBuilder out = new StringBuilder();
        out.append(String.format("machine: %d cores, %s %s; %d job(s) per target%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"),
                System.getProperty("os.arch"), jobs));
        String fmt = "%-14s %12s %12s %12s %10s %10s%n";
        out.append(String.format(fmt, "target", "raw 1/s", "raw 32/s", "engine/s", "vs 1", "vs 32"));
        for (Row r : rows) {
            out.append(String.format(fmt, r.target(), String.format("%.0f", r.single()),
                    String.format("%.0f", r.pipelined()), String.format("%.0f", r.engineRate()),
                    String.format("%.3f", r.single() > 0 ? r.engineRate() / r.single() : 0),
                    String.format("%.3f", r.pipelined() > 0 ? r.engineRate() / r.pipelined() : 0)));
        }
        out.append("where the engine's time went (share of the timed total; us per command; other: outside the"
                + " timed phases, as generating cases and writing their traces):\n");
        for (Row r : rows) {
            Map<String, Long> phases = r.engine().phaseNanos();
            long total = phases.values().stream().mapToLong(Long::longValue).sum();
            long commands = Math.max(1, r.engine().commands());
            out.append("  ").append(r.target()).append(": ").append(phases.entrySet().stream()
                    .map(e -> String.format("%s %.0f%% (%.1f)", e.getKey(), total == 0 ? 0 : 100.0 * e.getValue() / total,
                            e.getValue() / 1000.0 / commands))
                    .collect(Collectors.joining(", ")))
                    .append(String.format("; other (%.1f)", otherNanos(r) / 1000.0 / commands)).append('\n');
        }
        for (Row r : rows) {
            TargetReport.Reuse u = r.engine().reuse();
            out.append(String.format("  %s: %d cases, %d on a reset target, %d reset(s) failed, %d divergence(s) a fresh"
                    + " target did not repeat, %d repeat(s) of a confirmed signature not replayed%n", r.target(),
                    r.engine().sequences(), u.reusedCases(), u.failedResets(), u.unconfirmed(), u.repeatsNotReplayed()));
        }
        return out.toString();
    }

    /** The jobs' testing time (shrinking left out, as {@link TargetReport#rate()} does) the phases do not cover. */
    static long otherNanos(Row r) {
        TargetReport e = r.engine();
        double testing = e.seconds() * Math.max(1, e.jobs()) - e.shrinkSeconds();
        long timed = e.phaseNanos().values().stream().mapToLong(Long::longValue).sum();
        return Math.max(0, Math.round(testing * 1e9) - timed);
    }

    static String json(List<Row> rows, long seed, int jobs) {
        StringBuilder out = new StringBuilder("{\"seed\": ").append(seed).append(", \"jobs\": ").append(jobs)
                .append(", \"cores\": ").append(Runtime.getRuntime().availableProcessors()).append(", \"targets\": [");
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            out.append(i == 0 ? "\n  " : ",\n  ").append("{\"target\": ").append(Json.str(r.target()))
                    .append(", \"version\": ").append(Json.str(r.engine().version()))
                    .append(", \"rawOneInFlight\": ").append(String.format("%.1f", r.single()))
                    .append(", \"rawPipelined32\": ").append(String.format("%.1f", r.pipelined()))
                    .append(", \"engine\": ").append(String.format("%.1f", r.engineRate()))
                    .append(", \"commands\": ").append(r.engine().commands())
                    .append(", \"sequences\": ").append(r.engine().sequences())
                    .append(", \"reusedCases\": ").append(r.engine().reuse().reusedCases())
                    .append(", \"failedResets\": ").append(r.engine().reuse().failedResets())
                    .append(", \"phaseNanos\": {").append(r.engine().phaseNanos().entrySet().stream()
                            .map(e -> Json.str(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", ")))
                    .append("}, \"otherNanos\": ").append(otherNanos(r)).append("}");
        }
        return out.append("\n]}\n").toString();
    }
}
