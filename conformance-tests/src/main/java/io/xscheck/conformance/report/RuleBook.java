package io.xscheck.conformance.report;

import io.xscheck.conformance.engine.Lockstep;
import io.xscheck.conformance.engine.ModelSession;
import io.xscheck.conformance.engine.StepResult;
import io.xscheck.conformance.gen.CommandTemplate;
import io.xscheck.conformance.gen.Resolver;
import io.xscheck.conformance.gen.Templates;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Expect;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.conformance.trace.TraceSyntaxException;
import io.xscheck.conformance.trace.TraceWriter;
import io.xscheck.model.Dialect;
import io.xscheck.model.Evidence;
import io.xscheck.model.Room;
import io.xscheck.model.Rule;
import io.xscheck.model.RuleScope;
import org.quicktheories.core.Configuration;
import org.quicktheories.core.Gen;
import org.quicktheories.core.Strategy;
import org.quicktheories.impl.TheoryRunner;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rule book: per room, each rule's statement, whether it applies to each dialect (with the knob
 * values that decide it), its evidence, the shortest example trace a search of random test cases
 * against the model found, and, from a run's report.json, whether each target agreed.
 */
public final class RuleBook {

    /** A trace of the model in {@code dialect} whose last step was decided by the rule. */
    public record Example(String dialect, List<String> lines) {
    }

    /** What one target of a run did with each rule: steps decided, and the signatures of divergences it decided. */
    public record Observed(String target, Map<String, Long> hits, Map<String, List<String>> divergences) {
    }

    /** The order in which dialects offer their example: the real daemons first. */
    private static final List<String> EXAMPLE_ORDER = List.of(Dialect.CXENSTORED, Dialect.OXENSTORED, Dialect.QEMU,
            Dialect.CXENSTORED_420, Dialect.OXENSTORED_420, Dialect.SPEC);

    private RuleBook() {
    }

    /**
     * The shortest example of each rule found in {@code cases} random test cases of at most
     * {@code maxLength} steps per dialect, drawn from {@code seed} (restarts included).
     */
    public static Map<Rule, Example> examples(long seed, int cases, int maxLength) {
        Map<Rule, Example> best = new EnumMap<>(Rule.class);
        Gen<List<CommandTemplate>> gen = Templates.sequences(Weights.parse("liveupdate=2,migrate=2"), maxLength);
        for (String name : EXAMPLE_ORDER) {
            Dialect d = Dialect.named(name);
            Strategy strategy = Configuration.systemStrategy().withFixedSeed(seed).withExamples(cases)
                    .withShrinkCycles(0);
            TheoryRunner.runner(strategy, gen).check(templates -> {
                search(d, templates, best);
                return true;
            });
        }
        return best;
    }

    private static void search(Dialect d, List<CommandTemplate> templates, Map<Rule, Example> best) {
        List<TraceLine.Conn> conns = Resolver.standardConns(true);
        List<String> lines = new ArrayList<>();
        try (Lockstep ls = new Lockstep(new ModelSession(d), null, 0)) {
            ls.openCaseRoot(Optional.empty());
            for (TraceLine.Conn c : conns) {
                ls.declare(c);
                lines.add(TraceWriter.line(c));
            }
            ls.prepareCaseRoot();
            Resolver resolver = new Resolver(conns, "/");
            for (CommandTemplate t : templates) {
                Optional<TraceLine.Step> s = resolver.resolve(t, ls.gone());
                if (s.isEmpty()) {
                    continue;
                }
                StepResult r = ls.step(s.get());
                resolver.observe(s.get(), r.followed());
                Expect expect = s.get().command() instanceof Command.Events
                        ? new Expect.Events(r.modelEvents().getOrDefault(s.get().conn(), List.of()))
                        : ls.expectOf(r.modelReplies());
                lines.add(TraceWriter.line(s.get().withExpect(expect)));
                Optional<Rule> rule = Rule.withId(r.rule());
                if (rule.isPresent()) {
                    Example had = best.get(rule.get());
                    if (had == null || (had.dialect().equals(d.name()) && lines.size() < had.lines().size())) {
                        best.put(rule.get(), new Example(d.name(), List.copyOf(usedConns(lines))));
                    }
                }
            }
        }
    }

    /** The trace without the declarations of connections it never uses. */
    private static List<String> usedConns(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            if (l.startsWith("conn ")) {
                String name = l.split(" ")[1];
                if (lines.stream().noneMatch(x -> !x.startsWith("conn ") && x.startsWith(name + " ")
                        || x.startsWith(name + "@"))) {
                    continue;
                }
            }
            out.add(l);
        }
        return out;
    }

    /** The rule book as Markdown; {@code observed} adds a column per target of the last run. */
    public static String markdown(Map<Rule, Example> examples, List<Observed> observed) {
        StringBuilder out = new StringBuilder();
        out.append("# The xscheck rule book\n\n");
        out.append("Every rule the model decides a request by, per room: what it states, where it applies (the\n")
                .append("knob values of the dialect's row that decide it), the evidence for each dialect, and the\n")
                .append("shortest example `./xscheck rules` found among random test cases against the model.\n")
                .append("Written by `./xscheck rules`; `./xscheck explain` shows the rules a trace uses.\n")
                .append("Dialects: ").append(String.join(", ", Dialect.names())).append(".\n");
        if (!observed.isEmpty()) {
            out.append("\nLast run: ").append(String.join(", ", observed.stream().map(Observed::target).toList()))
                    .append(" (steps the rule decided; `diverged` names the signatures of its divergences).\n");
        }
        for (Room room : Room.values()) {
            out.append("\n## ").append(room.title()).append(": ").append(room.about()).append("\n");
            for (Rule rule : Rule.values()) {
                if (rule.room() != room) {
                    continue;
                }
                out.append("\n### `").append(rule.id()).append("`\n\n").append(rule.statement()).append("\n\n");
                Example ex0 = examples.get(rule);
                out.append("| dialect | applies | the example's last step | evidence |\n|---|---|---|---|\n");
                for (String name : Dialect.names()) {
                    Dialect d = Dialect.named(name);
                    out.append("| ").append(name).append(" | ").append(applies(rule, d)).append(" | ")
                            .append(md(ex0 == null ? "" : answer(ex0, d))).append(" | ")
                            .append(md(evidence(rule, name))).append(" |\n");
                }
                for (Observed o : observed) {
                    out.append("\nOn ").append(o.target()).append(": ").append(verdict(rule, o)).append(".\n");
                }
                Example ex = examples.get(rule);
                if (ex == null) {
                    out.append("\nNo example: no random test case reached it.\n");
                } else {
                    out.append("\nExample (").append(ex.dialect()).append("):\n\n```\n");
                    ex.lines().forEach(l -> out.append(l).append('\n'));
                    out.append("```\n");
                }
            }
        }
        return out.toString();
    }

    /** The rule book as one HTML page. */
    public static String html(Map<Rule, Example> examples, List<Observed> observed) {
        StringBuilder out = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>xscheck rule book"
                + "</title><style>body{font-family:sans-serif;margin:2em;max-width:72em}table{border-collapse:collapse}"
                + "td,th{border:1px solid #999;padding:3px 6px;text-align:left;vertical-align:top}td.no{color:#888}"
                + "pre{background:#f4f4f4;padding:8px;overflow:auto}.bad{background:#fdd}.ok{background:#dfd}</style>"
                + "</head><body>\n<h1>The xscheck rule book</h1>\n<ul>");
        for (Room room : Room.values()) {
            out.append("<li><a href=\"#").append(room.name()).append("\">").append(Reports.xml(room.title()))
                    .append("</a>: ").append(Reports.xml(room.about())).append("</li>");
        }
        out.append("</ul>\n");
        for (Room room : Room.values()) {
            out.append("<h2 id=\"").append(room.name()).append("\">").append(Reports.xml(room.title())).append("</h2>\n");
            for (Rule rule : Rule.values()) {
                if (rule.room() != room) {
                    continue;
                }
                out.append("<h3 id=\"").append(Reports.xml(rule.id())).append("\">").append(Reports.xml(rule.id()))
                        .append("</h3>\n<p>").append(Reports.xml(rule.statement())).append("</p>\n<table><tr><th>dialect</th>"
                                + "<th>applies</th><th>the example's last step</th><th>evidence</th></tr>\n");
                Example ex0 = examples.get(rule);
                for (String name : Dialect.names()) {
                    Dialect d = Dialect.named(name);
                    boolean applies = RuleScope.applies(rule, d);
                    out.append("<tr><td>").append(name).append("</td><td class=\"").append(applies ? "" : "no").append("\">")
                            .append(Reports.xml(applies(rule, d))).append("</td><td>")
                            .append(Reports.xml(ex0 == null ? "" : answer(ex0, d))).append("</td><td>")
                            .append(Reports.xml(evidence(rule, name))).append("</td></tr>\n");
                }
                out.append("</table>\n");
                for (Observed o : observed) {
                    String v = verdict(rule, o);
                    out.append("<p class=\"").append(v.startsWith("diverged") ? "bad" : v.startsWith("agreed") ? "ok" : "")
                            .append("\">On ").append(Reports.xml(o.target())).append(": ").append(Reports.xml(v)).append("</p>\n");
                }
                Example ex = examples.get(rule);
                if (ex != null) {
                    out.append("<p>Example (").append(Reports.xml(ex.dialect())).append("):</p><pre>")
                            .append(Reports.xml(String.join("\n", ex.lines()))).append("</pre>\n");
                }
            }
        }
        return out.append("</body></html>\n").toString();
    }

    /** What the dialect's model answers to the example's last step, and the rule that decides it there. */
    static String answer(Example ex, Dialect d) {
        try (Lockstep ls = new Lockstep(new ModelSession(d), null, 0)) {
            ls.openCaseRoot(Optional.empty());
            ls.prepareCaseRoot();
            String last = "";
            int n = 0;
            for (String text : ex.lines()) {
                TraceLine l = TraceParser.parseLine(text, ++n);
                if (l instanceof TraceLine.Conn c) {
                    ls.declare(c);
                } else if (l instanceof TraceLine.Step s) {
                    StepResult r = ls.step(s.withoutExpect());
                    String expect = s.command() instanceof Command.Events
                            ? TraceWriter.expect(new Expect.Events(r.modelEvents().getOrDefault(s.conn(), List.of())))
                            : TraceWriter.expect(ls.expectOf(r.modelReplies()));
                    last = expect + " (" + r.rule() + ")";
                }
            }
            return last;
        } catch (TraceSyntaxException | RuntimeException e) {
            return "-";
        }
    }

    private static String applies(Rule rule, Dialect d) {
        Map<String, String> knobs = RuleScope.knobsOf(rule, d);
        String values = String.join(", ", knobs.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList());
        if (!RuleScope.applies(rule, d)) {
            return "no (" + values + ")";
        }
        return knobs.isEmpty() ? "yes" : "yes (" + values + ")";
    }

    private static String evidence(Rule rule, String dialect) {
        List<Evidence> own = rule.evidenceFor(dialect);
        return own.isEmpty() ? "-" : String.join("; ", own.stream().map(Evidence::cite).toList());
    }

    private static String verdict(Rule rule, Observed o) {
        long n = o.hits().getOrDefault(rule.id(), 0L);
        List<String> bad = o.divergences().getOrDefault(rule.id(), List.of());
        if (!bad.isEmpty()) {
            return "diverged (" + String.join(", ", bad) + "; " + n + " steps)";
        }
        return n == 0 ? "not exercised" : "agreed (" + n + " steps)";
    }

    private static String md(String s) {
        return s.replace("|", "\\|");
    }

    private static final Pattern TARGET = Pattern.compile("\\{\"target\": \"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern HITS = Pattern.compile("\"ruleCoverage\": \\{[^{]*\"hits\": \\{([^}]*)\\}");
    private static final Pattern HIT = Pattern.compile("\"((?:[^\"\\\\]|\\\\.)*)\": (\\d+)");
    private static final Pattern FINDING = Pattern.compile(
            "\"signature\": \"((?:[^\"\\\\]|\\\\.)*)\".*?\"rule\": \"((?:[^\"\\\\]|\\\\.)*)\"");

    /** What each target of a run did, read from the run's report.json (the format {@link Reports} writes). */
    public static List<Observed> observed(String reportJson) {
        List<Observed> out = new ArrayList<>();
        Matcher t = TARGET.matcher(reportJson);
        List<int[]> spans = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (t.find()) {
            spans.add(new int[] {t.start(), reportJson.length()});
            names.add(t.group(1));
        }
        for (int i = 0; i < spans.size(); i++) {
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : reportJson.length();
            String block = reportJson.substring(spans.get(i)[0], end);
            Map<String, Long> hits = new LinkedHashMap<>();
            Matcher h = HITS.matcher(block);
            if (h.find()) {
                Matcher one = HIT.matcher(h.group(1));
                while (one.find()) {
                    hits.put(one.group(1), Long.parseLong(one.group(2)));
                }
            }
            Map<String, List<String>> divergences = new LinkedHashMap<>();
            for (String line : block.split("\n")) {
                Matcher f = FINDING.matcher(line);
                if (f.find()) {
                    divergences.computeIfAbsent(f.group(2), k -> new ArrayList<>()).add(f.group(1));
                }
            }
            out.add(new Observed(names.get(i), hits, divergences));
        }
        return out;
    }
}
