package io.xscheck.conformance.report;

import io.xscheck.conformance.engine.Divergence;
import io.xscheck.conformance.engine.Finding;
import io.xscheck.conformance.engine.GuestTriage;
import io.xscheck.conformance.engine.TargetReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeSet;
import java.util.stream.Collectors;

/** Writes a run's reports: {@code report.json}, {@code junit.xml}, {@code report.html}, one reproducer per finding. */
public final class Reports {
    private Reports() {
    }

    public static void write(Path dir, long seed, List<TargetReport> reports) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("report.json"), json(seed, reports), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("junit.xml"), junit(reports), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("report.html"), html(seed, reports), StandardCharsets.UTF_8);
        Path traces = dir.resolve("reproducers");
        Files.createDirectories(traces);
        for (TargetReport r : reports) {
            int n = 0;
            for (Finding f : r.findings()) {
                String name = r.target().replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + (++n);
                Files.writeString(traces.resolve(name + ".trace"), bundle(r, f), StandardCharsets.ISO_8859_1);
                if (f.triage().guestTriggerable()) {
                    Path drafts = Files.createDirectories(dir.resolve("security-drafts"));
                    Files.writeString(drafts.resolve(name + ".txt"),
                            GuestTriage.securityDraft(r.target(), r.version(), f), StandardCharsets.ISO_8859_1);
                }
            }
        }
    }

    /** The reproducer bundle: a replayable trace whose comments carry everything else. */
    public static String bundle(TargetReport r, Finding f) {
        Divergence d = f.divergence();
        StringBuilder out = new StringBuilder();
        out.append("# xscheck reproducer: ").append(r.target()).append(' ').append(r.version())
                .append(" (dialect ").append(r.dialect()).append(")\n");
        out.append("# signature: ").append(d.signature()).append('\n');
        out.append("# seed: ").append(f.seed()).append("  (shrunk from ").append(f.originalSteps()).append(" to ")
                .append(f.minimalSteps()).append(" steps; seen in ").append(f.occurrences()).append(" test case(s))\n");
        out.append("# step: ").append(oneLine(d.step())).append('\n');
        out.append("# model (rule ").append(d.rule()).append("): ").append(oneLine(d.expected())).append('\n');
        out.append("# ").append(r.target()).append(": ").append(oneLine(d.actual())).append('\n');
        out.append("# replay: ./xscheck replay THIS_FILE --sut ").append(r.target()).append('\n');
        if (d.category().equals("crash")) {
            out.append("# triage: ").append(f.triage().label()).append(f.triage().guestTriggerable()
                    ? " -- SECURITY FINDING: unprivileged guests alone set it off (guest-only reproducer at the end;"
                    + " a report draft is in security-drafts/)" : "").append('\n');
        }
        out.append(f.reproducer());
        if (!f.logTail().isBlank()) {
            out.append("# --- target log tail ---\n");
            f.logTail().lines().forEach(l -> out.append("# ").append(l).append('\n'));
        }
        if (f.triage().guestTriggerable()) {
            out.append("# --- guest-only reproducer (replay it as a trace of its own) ---\n");
            f.triage().guestReproducer().lines().forEach(l -> out.append("# ").append(l).append('\n'));
        }
        return out.toString();
    }

    /** One line, long values clipped: the header is for reading; the trace below has the full bytes. */
    static String oneLine(String s) {
        String one = s.replace('\n', ' ');
        return one.length() > 240 ? one.substring(0, 240) + "... (" + one.length() + " chars)" : one;
    }

    static String json(long seed, List<TargetReport> reports) {
        StringBuilder out = new StringBuilder("{\n  \"seed\": ").append(seed).append(",\n  \"targets\": [\n");
        for (int i = 0; i < reports.size(); i++) {
            TargetReport r = reports.get(i);
            out.append("    {\"target\": ").append(Json.str(r.target()))
                    .append(", \"version\": ").append(Json.str(r.version()))
                    .append(", \"dialect\": ").append(Json.str(r.dialect()))
                    .append(", \"jobs\": ").append(r.jobs())
                    .append(", \"sequences\": ").append(r.sequences())
                    .append(", \"commands\": ").append(r.commands())
                    .append(", \"seconds\": ").append(String.format("%.3f", r.seconds()))
                    .append(", \"commandsPerSecond\": ").append(String.format("%.1f", r.rate()))
                    .append(", \"rawCommandsPerSecond\": ").append(String.format("%.1f", r.rawRate()))
                    .append(", \"rawOneInFlightCommandsPerSecond\": ").append(String.format("%.1f", r.singleRate()))
                    .append(", \"phaseNanos\": {").append(r.phaseNanos().entrySet().stream()
                            .map(e -> Json.str(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", ")))
                    .append('}')
                    .append(", \"error\": ").append(Json.str(r.error()))
                    .append(",\n     \"reuse\": {\"reusedCases\": ").append(r.reuse().reusedCases())
                    .append(", \"failedResets\": ").append(r.reuse().failedResets())
                    .append(", \"unconfirmed\": ").append(r.reuse().unconfirmed())
                    .append(", \"repeatsNotReplayed\": ").append(r.reuse().repeatsNotReplayed())
                    .append(", \"unconfirmedExample\": ").append(Json.str(r.reuse().unconfirmedExample())).append('}')
                    .append(",\n     \"opMix\": {").append(r.opMix().entrySet().stream()
                            .map(e -> Json.str(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", ")))
                    .append("},\n     \"ruleCoverage\": ").append(RuleCoverage.of(r).json())
                    .append(",\n     \"divergencesByCategory\": {").append(r.divergencesByCategory().entrySet().stream()
                            .map(e -> Json.str(e.getKey()) + ": " + e.getValue()).collect(Collectors.joining(", ")))
                    .append("},\n     \"findings\": [");
            for (int k = 0; k < r.findings().size(); k++) {
                Finding f = r.findings().get(k);
                Divergence d = f.divergence();
                out.append(k == 0 ? "\n" : ",\n").append("       {\"category\": ").append(Json.str(d.category()))
                        .append(", \"signature\": ").append(Json.str(d.signature()))
                        .append(", \"seed\": ").append(f.seed())
                        .append(", \"occurrences\": ").append(f.occurrences())
                        .append(", \"step\": ").append(Json.str(d.step()))
                        .append(", \"expected\": ").append(Json.str(d.expected()))
                        .append(", \"actual\": ").append(Json.str(d.actual()))
                        .append(", \"rule\": ").append(Json.str(d.rule()))
                        .append(", \"triage\": ").append(Json.str(f.triage().label()))
                        .append(", \"guestReproducer\": ").append(Json.str(f.triage().guestReproducer()))
                        .append(", \"trace\": ").append(Json.str(f.trace())).append('}');
            }
            out.append("]}").append(i + 1 < reports.size() ? ",\n" : "\n");
        }
        return out.append("  ]\n}\n").toString();
    }

    static String junit(List<TargetReport> reports) {
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n");
        for (TargetReport r : reports) {
            int failures = r.findings().size() + (r.error().isEmpty() ? 0 : 1);
            out.append("  <testsuite name=\"xscheck.").append(xml(r.target())).append("\" tests=\"")
                    .append(Math.max(1, r.findings().size() + (r.error().isEmpty() ? 1 : 1))).append("\" failures=\"")
                    .append(failures).append("\" time=\"").append(String.format("%.3f", r.seconds())).append("\">\n");
            out.append("    <testcase name=\"conformance run (").append(r.sequences()).append(" sequences)\">");
            if (!r.error().isEmpty()) {
                out.append("<failure message=\"target error\">").append(xml(r.error())).append("</failure>");
            }
            out.append("</testcase>\n");
            for (Finding f : r.findings()) {
                out.append("    <testcase name=\"").append(xml(f.divergence().signature())).append("\"><failure message=\"")
                        .append(xml(f.divergence().category())).append("\">").append(xml(bundle(r, f)))
                        .append("</failure></testcase>\n");
            }
            out.append("  </testsuite>\n");
        }
        return out.append("</testsuites>\n").toString();
    }

    static String html(long seed, List<TargetReport> reports) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>xscheck report</title>"
                + "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}td,th{border:1px solid #999;"
                + "padding:4px 8px;text-align:left}td.bad{background:#fdd}td.ok{background:#dfd}pre{background:#f4f4f4;"
                + "padding:8px;overflow:auto}</style></head><body>\n<h1>xscheck conformance report</h1>\n<p>seed ")
                .append(seed).append("</p>\n");
        out.append("<h2>Summary</h2>\n<pre>").append(xml(SummaryTable.render(reports))).append("</pre>\n");
        TreeSet<String> categories = new TreeSet<>(Divergence.CATEGORIES);
        out.append("<h2>Divergence matrix</h2>\n<p>Test cases that diverged, by target and category.</p>\n<table><tr><th>target</th>");
        categories.forEach(c -> out.append("<th>").append(xml(c)).append("</th>"));
        out.append("</tr>\n");
        for (TargetReport r : reports) {
            out.append("<tr><th>").append(xml(r.target())).append("</th>");
            for (String c : categories) {
                long n = r.divergencesByCategory().getOrDefault(c, 0L);
                out.append("<td class=\"").append(n == 0 ? "ok" : "bad").append("\">").append(n).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</table>\n");
        for (TargetReport r : reports) {
            out.append("<h2>").append(xml(r.target())).append(" ").append(xml(r.version())).append("</h2>\n");
            if (!r.error().isEmpty()) {
                out.append("<pre>").append(xml(r.error())).append("</pre>\n");
            }
            out.append("<p>Op mix: ").append(xml(r.opMix().toString())).append("</p>\n");
            out.append(RuleCoverage.of(r).html());
            for (Finding f : r.findings()) {
                String label = f.divergence().category().equals("crash") ? " <small>(" + xml(f.triage().label()) + ")</small>"
                        : "";
                out.append("<h3>").append(xml(f.divergence().signature())).append(label).append("</h3>\n<pre>")
                        .append(xml(bundle(r, f))).append("</pre>\n");
            }
        }
        return out.append("</body></html>\n").toString();
    }

    static String xml(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t') {
                        out.append('?');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
