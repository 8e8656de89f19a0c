package io.xscheck.conformance.report;

import io.xscheck.conformance.engine.TargetReport;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** The table a run ends with: one row per target. */
public final class SummaryTable {
    private SummaryTable() {
    }

    public static String render(List<TargetReport> reports) {
        StringBuilder out = new StringBuilder();
        String fmt = "%-14s %-22s %-16s %4s %9s %9s %9s %10s %6s %10s %6s  %s%n";
        out.append(String.format(fmt, "target", "version", "dialect", "jobs", "sequences", "commands", "cmd/s",
                "raw 1/s", "ratio", "raw 32/s", "ratio", "divergences by category"));
        for (TargetReport r : reports) {
            String cats = r.error().isEmpty() ? categories(r.divergencesByCategory()) : "ERROR: " + firstLine(r.error());
            out.append(String.format(fmt, r.target(), clip(r.version(), 22), r.dialect(), r.jobs(), r.sequences(),
                    r.commands(), String.format("%.0f", r.rate()),
                    r.singleRate() > 0 ? String.format("%.0f", r.singleRate()) : "-",
                    r.singleRate() > 0 ? String.format("%.2f", r.rate() / r.singleRate()) : "-",
                    r.rawRate() > 0 ? String.format("%.0f", r.rawRate()) : "-",
                    r.rawRate() > 0 ? String.format("%.2f", r.rate() / r.rawRate()) : "-", cats));
        }
        for (TargetReport r : reports) {
            r.findings().stream().filter(f -> f.divergence().category().equals("crash")).forEach(f -> out.append(
                    String.format("%s: crash %s: %s%s%n", r.target(), f.divergence().signature(), f.triage().label(),
                            f.triage().guestTriggerable() ? " (SECURITY FINDING)" : "")));
        }
        for (TargetReport r : reports) {
            TargetReport.Reuse u = r.reuse();
            if (u.reusedCases() > 0 || u.failedResets() > 0 || u.unconfirmed() > 0) {
                out.append(String.format("%s: %d of %d cases ran on a reset target; %d reset(s) failed; %d divergence(s)"
                        + " a fresh target did not repeat; %d repeat(s) of a confirmed signature not replayed%n",
                        r.target(), u.reusedCases(), r.sequences(), u.failedResets(), u.unconfirmed(),
                        u.repeatsNotReplayed()));
            }
        }
        return out.toString();
    }

    static String categories(Map<String, Long> byCategory) {
        if (byCategory.isEmpty()) {
            return "none";
        }
        return byCategory.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static String clip(String s, int n) {
        return s.length() <= n ? s : s.substring(0, n - 1) + "~";
    }

    static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
