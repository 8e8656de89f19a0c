package io.xscheck.conformance.suites;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The advisory x implementation matrix of {@code docs/security.md}, read from its table: a header row
 * naming the columns, then one row per advisory, {@code | XSA-N | `trace` | verdict | ... |}. The XSA
 * pack's test asserts each cell against what it observes, so the page and the daemons cannot drift apart.
 *
 * @param columns the verdict columns, in table order (targets, then "model DIALECT")
 * @param rows trace file name to its verdicts by column
 */
record SecurityMatrix(ImmutableList<String> columns, ImmutableMap<String, ImmutableMap<String, Verdict>> rows) {

    /** What a trace showed on one implementation. */
    enum Verdict {
        SAFE("safe"), VULNERABLE("vulnerable"), NOT_APPLICABLE("n/a");

        final String word;

        Verdict(String word) {
            this.word = word;
        }

        static Verdict of(String word) {
            for (Verdict v : values()) {
                if (v.word.equals(word)) {
                    return v;
                }
            }
            throw new IllegalArgumentException("not a verdict: '" + word + "' (safe, vulnerable or n/a)");
        }
    }

    /** The page at the repository root (tests run in the module directory). */
    static Path page() {
        Path fromModule = Path.of("..", "docs", "security.md");
        return Files.exists(fromModule) ? fromModule : Path.of("docs", "security.md");
    }

    static SecurityMatrix read(Path page) throws IOException {
        List<String> header = null;
        Map<String, ImmutableMap<String, Verdict>> rows = new LinkedHashMap<>();
        for (String line : Files.readAllLines(page)) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = cells(line);
            if (cells.get(0).equals("advisory")) {
                header = cells.subList(2, cells.size());
            } else if (cells.get(0).startsWith("XSA-") || cells.get(0).startsWith("xscheck-")) {
                if (header == null) {
                    throw new IllegalArgumentException(page + ": a row before the '| advisory | trace | ...' header");
                }
                String trace = cells.get(1).replace("`", "");
                Map<String, Verdict> verdicts = new LinkedHashMap<>();
                for (int i = 0; i < header.size(); i++) {
                    verdicts.put(header.get(i), Verdict.of(cells.get(2 + i)));
                }
                rows.put(trace, ImmutableMap.copyOf(verdicts));
            }
        }
        if (header == null) {
            throw new IllegalArgumentException(page + ": no '| advisory | trace | ...' table");
        }
        return new SecurityMatrix(ImmutableList.copyOf(header), ImmutableMap.copyOf(rows));
    }

    private static List<String> cells(String row) {
        String inner = row.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        return Arrays.stream(inner.split("\\|")).map(String::strip).toList();
    }
}
