package io.xscheck.conformance.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A baseline: the known, documented divergences of one target. Each entry is a line
 * {@code [SIGNATURE]} followed by its minimal trace (which {@code gate} replays to check that the
 * entry still reproduces); {@code #} lines are comments.
 */
public record Baseline(Path file, List<Entry> entries, String header) {

    public Baseline(Path file, List<Entry> entries) {
        this(file, entries, "");
    }

    public record Entry(String signature, String trace, int line) {
    }

    public static Baseline read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
        List<Entry> entries = new ArrayList<>();
        StringBuilder header = new StringBuilder();
        String signature = null;
        int at = 0;
        StringBuilder trace = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            String s = l.strip();
            if (s.startsWith("[") && s.endsWith("]") && s.length() > 2) {
                if (signature != null) {
                    entries.add(new Entry(signature, trace.toString(), at));
                }
                signature = s.substring(1, s.length() - 1);
                at = i + 1;
                trace = new StringBuilder();
            } else if (signature != null) {
                trace.append(l).append('\n');
            } else if (!s.isEmpty() && !s.startsWith("#")) {
                throw new IOException(file + ":" + (i + 1) + ": expected '[SIGNATURE]' before any trace line");
            } else {
                header.append(l).append('\n');
            }
        }
        if (signature != null) {
            entries.add(new Entry(signature, trace.toString(), at));
        }
        return new Baseline(file, List.copyOf(entries), header.toString());
    }

    /** Rewrites the file without the entries whose signatures are in {@code drop} (gate --prune). */
    public Baseline pruned(java.util.Set<String> drop) throws IOException {
        List<Entry> kept = entries.stream().filter(e -> !drop.contains(e.signature())).toList();
        StringBuilder out = new StringBuilder(header);
        for (Entry e : kept) {
            out.append('[').append(e.signature()).append("]\n").append(e.trace());
        }
        Files.writeString(file, out.toString(), StandardCharsets.ISO_8859_1);
        return new Baseline(file, kept, header);
    }

    /**
     * Rewrites the file with each entry's signature replaced by what its trace shows now (gate
     * --resign, after the engine learned to name divergences more precisely); entries absent from
     * {@code now} keep theirs. Where two entries now share a signature, the first stays: one bug,
     * one entry.
     */
    public Baseline resigned(java.util.Map<Integer, String> now) throws IOException {
        List<Entry> kept = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Entry e : entries) {
            Entry n = new Entry(now.getOrDefault(e.line(), e.signature()), e.trace(), e.line());
            if (seen.add(n.signature())) {
                kept.add(n);
            }
        }
        StringBuilder out = new StringBuilder(header);
        for (Entry e : kept) {
            out.append('[').append(e.signature()).append("]\n").append(e.trace());
        }
        Files.writeString(file, out.toString(), StandardCharsets.ISO_8859_1);
        return new Baseline(file, kept, header);
    }

    public boolean lists(String signature) {
        return entries.stream().anyMatch(e -> e.signature().equals(signature));
    }

    /** The target a file {@code baselines/cxenstored.txt} is for: its name without the extension. */
    public String targetName() {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }
}
