package io.xscheck.conformance.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.conformance.engine.Divergence;
import io.xscheck.conformance.engine.Finding;
import io.xscheck.conformance.engine.TargetReport;
import io.xscheck.model.Dialect;
import io.xscheck.model.Rule;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The rule book: complete, in step with the committed docs/rulebook.md, and fed by a run's report. */
class RuleBookTest {

    @Test
    void theCommittedRuleBookIsWhatXscheckRulesWrites() throws Exception {
        String committed = Files.readString(Path.of("..", "docs", "rulebook.md"), StandardCharsets.UTF_8);
        String written = RuleBook.markdown(RuleBook.examples(io.xscheck.conformance.cli.RulesCommandSettings.SEED,
                io.xscheck.conformance.cli.RulesCommandSettings.CASES, io.xscheck.conformance.cli.RulesCommandSettings.MAX_LENGTH),
                List.of());
        assertEquals(written, committed, "docs/rulebook.md is stale: run ./xscheck rules");
        for (Rule r : Rule.values()) {
            assertTrue(committed.contains("### `" + r.id() + "`"), r.id() + " is not in the rule book");
        }
    }

    @Test
    void aRunsReportGivesEachRuleItsVerdict() {
        Divergence d = new Divergence("kind", "kind:rm:TreeOps.rmMissingParentExists:Ok/ENOENT", 3, "A rm /x/y", "OK",
                "ENOENT", "TreeOps.rmMissingParentExists");
        TargetReport r = new TargetReport("qemu", "10.0", Dialect.QEMU, 1, 10, 100, 1.0, Map.of("kind", 1L),
                List.of(new Finding(d, 7, 1, "", "", "", 5, 3)), Map.of(), 0, "", 0, TargetReport.Reuse.NONE, Map.of(), 0,
                Map.of("TreeOps.read", 40L, "TreeOps.rmMissingParentExists", 2L), java.util.Set.of());
        List<RuleBook.Observed> seen = RuleBook.observed(Reports.json(1, List.of(r)));
        assertEquals(1, seen.size());
        assertEquals("qemu", seen.get(0).target());
        assertEquals(40L, seen.get(0).hits().get("TreeOps.read"));
        assertEquals(List.of("kind:rm:TreeOps.rmMissingParentExists:Ok/ENOENT"),
                seen.get(0).divergences().get("TreeOps.rmMissingParentExists"));
        String book = RuleBook.markdown(Map.of(), seen);
        assertTrue(book.contains("On qemu: agreed (40 steps)"), "TreeOps.read agreed");
        assertTrue(book.contains("On qemu: diverged (kind:rm:TreeOps.rmMissingParentExists:Ok/ENOENT; 2 steps)"));
        assertTrue(book.contains("On qemu: not exercised"));
    }

    @Test
    void theCoverageLineCountsTheRulesThatApply() {
        TargetReport r = new TargetReport("model", "", Dialect.QEMU, 1, 1, 2, 1.0, Map.of(), List.of(), Map.of(), 0, "", 0,
                TargetReport.Reuse.NONE, Map.of(), 0, Map.of("TreeOps.read", 1L, "TreeOps.rmMissingEnoent", 1L),
                java.util.Set.of("read", "rm", "write"));
        RuleCoverage c = RuleCoverage.of(r);
        assertEquals(2, c.exercised());
        assertTrue(c.summaryLine().startsWith("rules exercised: 2 of " + c.applicable().size()), c.summaryLine());
        assertTrue(c.never().contains(Rule.TREE_WRITE_CREATES));
        assertTrue(c.applicable().stream().noneMatch(rule -> rule == Rule.TREE_RM_ROOT_REMOVES_CHILDREN));
        assertTrue(c.alternativesNever().stream().noneMatch(a -> a.startsWith("tree.rmOfMissingNode")), c.alternativesNever().toString());
        // no restart, domain or malformed kind generated: their rules cannot be reached by this run
        assertTrue(c.unreachable().contains(Rule.RESTARTS_NO_LIVE_UPDATE));
        assertTrue(c.unreachable().contains(Rule.DOMAINS_NOT_SUPPORTED));
        assertTrue(!c.unreachable().contains(Rule.TREE_WRITE_CREATES));
        assertTrue(c.summaryLine().contains("2 of the " + (c.applicable().size() - c.unreachable().size())), c.summaryLine());
    }

    @Test
    void aRealTargetIsNotCountedForTheRestartItCannotBeAsked() {
        TargetReport qemu = new TargetReport("qemu", "", Dialect.QEMU, 1, 1, 2, 1.0, Map.of(), List.of(), Map.of(), 0, "", 0,
                TargetReport.Reuse.NONE, Map.of(), 0, Map.of("TreeOps.read", 1L), java.util.Set.of("read", "migrate"));
        TargetReport model = new TargetReport("model", "", Dialect.QEMU, 1, 1, 2, 1.0, Map.of(), List.of(), Map.of(), 0, "", 0,
                TargetReport.Reuse.NONE, Map.of(), 0, Map.of("TreeOps.read", 1L), java.util.Set.of("read", "migrate"));
        assertTrue(RuleCoverage.of(model).applicable().contains(Rule.RESTARTS_NO_LIVE_UPDATE));
        assertTrue(!RuleCoverage.of(qemu).applicable().contains(Rule.RESTARTS_NO_LIVE_UPDATE));
        assertEquals(RuleCoverage.of(model).applicable().size() - 1, RuleCoverage.of(qemu).applicable().size());
    }
}
