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
 * the rules that apply to the target ({@link RuleScope}: its dialect's; for a real target without
 * the two that answer a restart it cannot do, which it is never asked) never did, and which of the
 * dialect's knob values no exercised rule depended on.
 *
 * @param hits steps decided per rule id (rules outside the dialect's scope included, should any appear)
 * @param applicable the rules that apply to the dialect
 * @param never the applicable rules no step exercised
 * @param alternatives the dialect's value of each knob a rule's scope reads
 * @param alternativesNever the knobs (with the dialect's value) no exercised rule depended on
 * @param unreachable the applicable rules none of the run's template kinds can reach ({@link RuleKinds})
 */
public record RuleCoverage(String target, String dialect, Map<String, Long> hits, List<Rule> applicable, List<Rule> never,
                           Map<String, String> alternatives, List<String> alternativesNever, List<Rule> unreachable) {

    public static RuleCoverage of(TargetReport r) {
        if (!Dialect.names().contains(r.dialect())) {
            // no dialect (a target that could not start): nothing applies, the hits are still listed
            return new RuleCoverage(r.target(), r.dialect(), new TreeMap<>(r.ruleHits()), List.of(), List.of(), Map.of(),
                    List.of(), List.of());
        }
        Dialect d = Dialect.named(r.dialect());
        List<Rule> applicable = RuleScope.rulesOf(d).stream()
                .filter(rule -> r.target().equals("model") || !RuleKinds.onlyTheModelIsAsked(rule)).toList();
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
        List<Rule> unreachable = applicable.stream().filter(rule -> !RuleKinds.reachable(rule, r.kinds(), d)).toList();
        return new RuleCoverage(r.target(), r.dialect(), new TreeMap<>(r.ruleHits()), applicable, never, alternatives,
                alternativesNever, unreachable);
    }

    /** Applicable rules the run's kinds can reach that it exercised, and how many it can reach. */
    public int exercisedReachable() {
        return (int) applicable.stream().filter(rule -> !unreachable.contains(rule) && !never.contains(rule)).count();
    }

    public int exercised() {
        return applicable.size() - never.size();
    }

    /** The run's one summary line per target. */
    public String summaryLine() {
        int reachable = applicable.size() - unreachable.size();
        return String.format("rules exercised: %d of %d (%s, dialect %s; %d%%; %d of the %d this run's template kinds"
                        + " can reach); knob values exercised: %d of %d",
                exercised(), applicable.size(), target, dialect, applicable.isEmpty() ? 0 : 100 * exercised() / applicable.size(),
                exercisedReachable(), reachable, alternatives.size() - alternativesNever.size(), alternatives.size());
    }

    String json() {
        StringBuilder out = new StringBuilder("{\"exercised\": ").append(exercised())
                .append(", \"applicable\": ").append(applicable.size())
                .append(", \"hits\": {");
        out.append(String.join(", ", hits.entrySet().stream().map(e -> Json.str(e.getKey()) + ": " + e.getValue()).toList()));
        out.append("}, \"neverExercised\": [");
        out.append(String.join(", ", never.stream().map(rule -> Json.str(rule.id())).toList()));
        out.append("], \"reachable\": ").append(applicable.size() - unreachable.size());
        out.append(", \"unreachableWithTheseKinds\": [");
        out.append(String.join(", ", unreachable.stream().map(rule -> Json.str(rule.id())).toList()));
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
                    .append("</td><td class=\"").append(n > 0 ? "ok" : unreachable.contains(rule) ? "" : "bad").append("\">")
                    .append(n > 0 || !unreachable.contains(rule) ? String.valueOf(n) : "0 (no kind reaches it)")
                    .append("</td></tr>\n");
        }
        out.append("</table>\n");
        if (!alternativesNever.isEmpty()) {
            out.append("<p>Knob values no exercised rule depended on: ")
                    .append(Reports.xml(String.join(", ", alternativesNever))).append("</p>\n");
        }
        return out.toString();
    }
}
