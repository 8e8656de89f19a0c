package io.xscheck.conformance.cli;

import io.xscheck.conformance.fuzz.FuzzCampaign;
import io.xscheck.conformance.fuzz.FuzzFinding;
import io.xscheck.conformance.fuzz.FuzzReport;
import io.xscheck.conformance.fuzz.ReproducerWriter;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * {@code fuzz}: hostile wire and ring traffic against each target (see {@code io.xscheck.conformance.fuzz}),
 * the robustness property checked after every step, each violation shrunk to a reproducer.
 * Exit 0 when no target broke the property, 1 when one did, 2 when a target could not be used.
 */
final class FuzzCommand {
    static final Set<String> OPTIONS = Set.of("sut", "time", "seed", "report-dir", "cases", "max-actions",
            "shrink-time");
    static final Set<String> FLAGS = Set.of("unsafe-requests");

    /** Not a daemon: the model has no wire to attack. */
    private static final String MODEL = "model";

    private FuzzCommand() {
    }

    /** What a run found, for tests. */
    record Result(List<FuzzReport> reports, List<Path> reproducers, long seed, int exitCode) {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        return execute(new Args(argv, OPTIONS, FLAGS), out, err).exitCode();
    }

    static Result execute(Args a, PrintStream out, PrintStream err) throws IOException {
        if (!a.positional().isEmpty()) {
            throw new UsageException("fuzz takes no positional arguments, got " + a.positional());
        }
        long seed = a.number("seed", System.currentTimeMillis() & 0xffffffffL, Long.MIN_VALUE, Long.MAX_VALUE);
        Duration time = a.get("time").map(v -> Args.duration("time", v)).orElse(Duration.ofSeconds(60));
        Duration shrink = a.get("shrink-time").map(v -> Args.duration("shrink-time", v)).orElse(Duration.ofSeconds(30));
        long cases = a.number("cases", Long.MAX_VALUE, 1, Long.MAX_VALUE);
        int maxActions = (int) a.number("max-actions", 40, 1, 10_000);
        Path reportDir = Path.of(a.get("report-dir").orElse("target/xscheck"));
        List<String> specs = a.get("sut").isPresent() ? Targets.specs(a.get("sut"))
                : Suts.installed().stream().filter(s -> !s.equals(MODEL)).toList();
        if (specs.isEmpty()) {
            throw new UsageException("no daemon is installed on this machine (known: " + Suts.known() + ")");
        }
        if (specs.contains(MODEL)) {
            throw new UsageException("fuzz attacks daemons over their wire; the model has none (use cxenstored,"
                    + " oxenstored, qemu or socket:PATH)");
        }
        SutOptions options = SutOptions.defaults().withUnsafeRequests(a.flag("unsafe-requests"));
        out.println("xscheck fuzz: seed " + seed + ", " + time.toSeconds() + " s per target, targets " + specs);
        FuzzCampaign.Config config = new FuzzCampaign.Config(seed, time, cases, maxActions, shrink);
        List<FuzzReport> ordered = new ArrayList<>(PerTarget.inParallel(specs, spec -> "fuzz-" + spec,
                spec -> new FuzzCampaign(spec, () -> Suts.open(spec, options), config, line -> {
                    synchronized (out) {
                        out.println("  " + line);
                    }
                }).run()));
        ordered.removeIf(java.util.Objects::isNull);
        List<Path> files = ReproducerWriter.write(reportDir, seed, ordered);
        out.println();
        for (FuzzReport r : ordered) {
            out.println(ReproducerWriter.summaryLine(r));
            for (FuzzFinding f : r.findings()) {
                out.println("  " + f.violation().signature() + "  [" + f.reach() + "]  " + f.reproducer().steps().size()
                        + " step(s), seen in " + f.occurrences() + " case(s)");
            }
        }
        files.forEach(f -> out.println("reproducer: " + f));
        boolean error = ordered.stream().anyMatch(r -> r.error().isPresent()) || ordered.size() < specs.size();
        boolean violated = ordered.stream().anyMatch(r -> !r.findings().isEmpty());
        ordered.stream().map(FuzzReport::error).flatMap(Optional::stream)
                .forEach(e -> err.println("xscheck: " + e.split("\n")[0]));
        return new Result(ordered, files, seed, error ? 2 : violated ? 1 : 0);
    }
}
