package io.xscheck.conformance.report;

import io.xscheck.conformance.engine.TargetReport;
import io.xscheck.model.Dialect;
import io.xscheck.model.Rule;
import io.xscheck.model.RuleScope;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * How well a run on one target exercised the model: how often each rule decided a step, which of
 * the rules that apply to the target's dialect ({@link RuleScope}) never did, and which of the
 * dialect's knob values no exercised rule depended on.
 *
 * @param hits steps decided per rule id (rules outside the dialect's scope included, should any appear)
 * @param applicable the rules that apply to the dialect
 * @param never the applicable rules no step exercised
 * @param alternatives the dialect's value of each knob a rule's scope reads
 * @param alternativesNever the knobs (with the dialect's value) no exercised rule depended on
 */
public record RuleCoverage(String target, String dialect, Map<String, Long> hits, List<Rule> applicable, List<Rule> never,
                           Map<String, String> alternatives, List<String> alternativesNever) {

    public static RuleCoverage of(TargetReport r) {
        if (!Dialect.names().contains(r.dialect())) {
            // no dialect (a target that could not start): nothing applies, the hits are still listed
            return new RuleCoverage(r.target(), r.dialect(), new TreeMap<>(r.ruleHits()), List.of(), List.of(), Map.of(),
                    List.of());
        }
        Dialect d = Dialect.named(r.dialect());
        List<Rule> applicable = RuleScope.rulesOf(d);
        List<Rule> never = new ArrayList<>();
        for (Rule rule : applicable) {
            if (r.ruleHits().getOrDefault(rule.id(), 0L) == 0) {
                never.add(rule);
            }
        }
        Map<String, String> alternatives = RuleScope.alternatives(d);
        List<String> alternativesNever = new ArrayList<>();
        for (Map.Entry<String, String> alt : alternatives.entrySet()) {
            boolean used = applicable.stream().anyMatch(rule -> r.ruleHits().getOrDefault(rule.id(), 0L) > 0
                    && RuleScope.conditions(rule).stream().anyMatch(c -> c.knob().equals(alt.getKey())));
            if (!used) {
                alternativesNever.add(alt.getKey() + "=" + alt.getValue());
            }
        }
        return new RuleCoverage(r.target(), r.dialect(), new TreeMap<>(r.ruleHits()), applicable, never, alternatives,
                alternativesNever);
    }

    public int exercised() {
        return applicable.size() - never.size();
    }

    /** The run's one summary line per target. */
    public String summaryLine() {
        return String.format("rules exercised: %d of %d (%s, dialect %s; %d%%); knob values exercised: %d of %d",
                exercised(), applicable.size(), target, dialect, applicable.isEmpty() ? 0 : 100 * exercised() / applicable.size(),
                alternatives.size() - alternativesNever.size(), alternatives.size());
    }

    String json() {
        StringBuilder out = new StringBuilder("{\"exercised\": ").append(exercised())
                .append(", \"applicable\": ").append(applicable.size())
                .append(", \"hits\": {");
        out.append(String.join(", ", hits.entrySet().stream().map(e -> Json.str(e.getKey()) + ": " + e.getValue()).toList()));
        out.append("}, \"neverExercised\": [");
        out.append(String.join(", ", never.stream().map(rule -> Json.str(rule.id())).toList()));
        out.append("], \"knobValues\": {");
        out.append(String.join(", ", alternatives.entrySet().stream().map(e -> Json.str(e.getKey()) + ": " + Json.str(e.getValue())).toList()));
        out.append("}, \"knobValuesNeverExercised\": [");
        out.append(String.join(", ", alternativesNever.stream().map(Json::str).toList()));
        return out.append("]}").toString();
    }

    String html() {
        StringBuilder out = new StringBuilder("<h3>Rule coverage</h3>\n<p>").append(Reports.xml(summaryLine())).append("</p>\n");
        out.append("<table><tr><th>room</th><th>rule</th><th>steps</th></tr>\n");
        for (Rule rule : applicable) {
            long n = hits.getOrDefault(rule.id(), 0L);
            out.append("<tr><td>").append(Reports.xml(rule.room().title())).append("</td><td title=\"")
                    .append(Reports.xml(rule.statement())).append("\">").append(Reports.xml(rule.id()))
                    .append("</td><td class=\"").append(n == 0 ? "bad" : "ok").append("\">").append(n).append("</td></tr>\n");
        }
        out.append("</table>\n");
        if (!alternativesNever.isEmpty()) {
            out.append("<p>Knob values no exercised rule depended on: ")
                    .append(Reports.xml(String.join(", ", alternativesNever))).append("</p>\n");
        }
        return out.toString();
    }
}
