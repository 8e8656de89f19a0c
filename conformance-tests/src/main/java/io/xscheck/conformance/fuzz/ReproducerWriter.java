package io.xscheck.conformance.fuzz;

import io.xscheck.conformance.trace.TraceWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes each finding as a replayable trace whose comments say what broke, how to replay it, who
 * can cause it, and the daemon's log tail; and a one-page summary of the run.
 */
public final class ReproducerWriter {

    private ReproducerWriter() {
    }

    /** The reproducer's text: header comments, then the trace. */
    public static String text(FuzzReport report, FuzzFinding f, long seed) {
        StringBuilder out = new StringBuilder();
        out.append("# robustness violation on ").append(report.target()).append(' ').append(report.version()).append('\n');
        out.append("# signature: ").append(f.violation().signature()).append('\n');
        out.append("# reach: ").append(f.reach()).append(f.guestOnly()
                ? " (every attacking connection is an unprivileged guest)"
                : " (an attacking connection is dom0's)").append('\n');
        out.append("# seen: ").append(f.violation().detail()).append('\n');
        out.append("# found: ./xscheck fuzz --sut ").append(report.target()).append(" --seed ").append(seed)
                .append(", case ").append(f.caseNumber()).append(", ").append(f.originalSteps())
                .append(" step(s) up to the violation, shrunk to ").append(f.reproducer().steps().size())
                .append("; seen in ").append(f.occurrences()).append(" case(s)\n");
        out.append("# replay: ./xscheck replay FILE --sut ").append(report.target()).append(" --robustness\n");
        out.append("# connections that take no step are bystanders: they must keep being answered\n");
        for (String line : f.violation().logTail().split("\n")) {
            if (!line.isBlank()) {
                out.append("# log: ").append(line).append('\n');
            }
        }
        out.append(TraceWriter.write(f.reproducer()));
        return out.toString();
    }

    /** Writes {@code DIR/fuzz/TARGET-N.trace} per finding and {@code DIR/fuzz/summary.txt}; returns the traces. */
    public static List<Path> write(Path reportDir, long seed, List<FuzzReport> reports) throws IOException {
        Path dir = reportDir.resolve("fuzz");
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        StringBuilder summary = new StringBuilder("seed " + seed + "\n");
        for (FuzzReport r : reports) {
            summary.append(summaryLine(r)).append('\n');
            int n = 0;
            for (FuzzFinding f : r.findings()) {
                Path file = dir.resolve(safe(r.target()) + "-" + (++n) + ".trace");
                Files.writeString(file, text(r, f, seed), StandardCharsets.ISO_8859_1);
                written.add(file);
                summary.append("  ").append(f.violation().signature()).append(" [").append(f.reach()).append("] ")
                        .append(file.getFileName()).append('\n');
            }
        }
        Files.writeString(dir.resolve("summary.txt"), summary.toString(), StandardCharsets.ISO_8859_1);
        return written;
    }

    public static String summaryLine(FuzzReport r) {
        if (r.error().isPresent()) {
            return r.target() + ": could not be fuzzed: " + r.error().get().split("\n")[0];
        }
        return r.target() + " " + r.version() + ": " + r.cases() + " cases, " + r.steps() + " attacker steps, "
                + r.findings().size() + " violation(s)" + (r.unconfirmed() > 0 ? ", " + r.unconfirmed()
                + " not repeated on a fresh target" : "");
    }

    private static String safe(String spec) {
        return spec.replaceAll("[^A-Za-z0-9_.-]", "_");
    }
}
