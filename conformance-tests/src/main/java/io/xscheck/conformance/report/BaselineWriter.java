package io.xscheck.conformance.report;

import io.xscheck.conformance.engine.Finding;
import io.xscheck.conformance.engine.TargetReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a run's findings as a baseline ({@code run --write-baselines DIR}): a starting point that a
 * person then reviews against docs/divergences.md before committing it.
 */
public final class BaselineWriter {
    private BaselineWriter() {
    }

    public static Path write(Path dir, TargetReport r) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve(r.target().replaceAll("[^A-Za-z0-9_.-]", "_") + ".txt");
        StringBuilder out = new StringBuilder();
        out.append("# Known divergences of ").append(r.target()).append(' ').append(r.version())
                .append(" from the model (dialect ").append(r.dialect()).append(").\n")
                .append("# Each [SIGNATURE] is followed by its minimal trace; see docs/divergences.md.\n");
        for (Finding f : r.findings()) {
            out.append('\n').append('[').append(f.divergence().signature()).append("]\n");
            out.append("# model (").append(f.divergence().rule()).append("): ")
                    .append(Reports.oneLine(f.divergence().expected())).append('\n');
            out.append("# ").append(r.target()).append(": ").append(Reports.oneLine(f.divergence().actual())).append('\n');
            out.append(f.trace());
        }
        Files.writeString(file, out.toString(), StandardCharsets.ISO_8859_1);
        return file;
    }
}
