package io.xscheck.conformance.cli;

import io.xscheck.conformance.report.RuleBook;
import io.xscheck.model.Rule;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code rules [--report-dir DIR] [--write-docs] [--seed S] [--cases N]}: writes the rule book,
 * DIR/rulebook.md and DIR/rulebook.html (with the last run's verdicts when DIR/report.json
 * exists), and, run from the repository's top directory, the committed docs/rulebook.md (without a
 * run's verdicts; {@code --write-docs} insists on it).
 */
final class RulesCommand {
    private RulesCommand() {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) throws IOException {
        Args a = new Args(argv, Set.of("report-dir", "seed", "cases"), Set.of("write-docs"));
        if (!a.positional().isEmpty()) {
            throw new UsageException("rules takes no arguments, got " + a.positional());
        }
        Path dir = Path.of(a.get("report-dir").orElse("target/xscheck"));
        long seed = a.get("seed").map(Long::parseLong).orElse(RulesCommandSettings.SEED);
        int cases = a.get("cases").map(Integer::parseInt).orElse(RulesCommandSettings.CASES);
        Path docs = Path.of("docs", "rulebook.md");
        boolean repositoryTop = Files.isDirectory(docs.getParent())
                && Files.isRegularFile(Path.of("model", "src", "main", "java", "io", "xscheck", "model", "Rule.java"));
        if (a.flag("write-docs") && !repositoryTop) {
            throw new UsageException("--write-docs runs from the repository's top directory (no docs/ and model/ here)");
        }
        Map<Rule, RuleBook.Example> examples = RuleBook.examples(seed, cases, RulesCommandSettings.MAX_LENGTH);
        Path report = dir.resolve("report.json");
        List<RuleBook.Observed> observed = Files.isRegularFile(report)
                ? RuleBook.observed(Files.readString(report, StandardCharsets.UTF_8)) : List.of();
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("rulebook.md"), RuleBook.markdown(examples, observed), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("rulebook.html"), RuleBook.html(examples, observed), StandardCharsets.UTF_8);
        out.println("rule book: " + dir.resolve("rulebook.md") + ", " + dir.resolve("rulebook.html") + " ("
                + Rule.values().length + " rules, " + examples.size() + " with an example"
                + (observed.isEmpty() ? "" : "; verdicts of " + report) + ")");
        if (repositoryTop) {
            Map<Rule, RuleBook.Example> committed = seed == RulesCommandSettings.SEED && cases == RulesCommandSettings.CASES
                    ? examples
                    : RuleBook.examples(RulesCommandSettings.SEED, RulesCommandSettings.CASES, RulesCommandSettings.MAX_LENGTH);
            Files.writeString(docs, RuleBook.markdown(committed, List.of()), StandardCharsets.UTF_8);
            out.println("written: " + docs);
        }
        return 0;
    }
}
