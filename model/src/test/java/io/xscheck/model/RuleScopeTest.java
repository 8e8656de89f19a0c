package io.xscheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quicktheories.QuickTheory.qt;

import org.junit.jupiter.api.Test;

/** A rule's scope (the knob values it needs) matches where the model actually uses it. */
class RuleScopeTest {

    @Test
    void everyRuleARandomSequenceReachesAppliesToItsDialect() {
        for (String dialect : Dialect.names()) {
            Dialect d = Dialect.named(dialect);
            Model m = new Model(d);
            qt().withExamples(150).forAll(Scenarios.sequences(40)).checkAssert(cmds -> {
                ModelState s = Scenarios.start(m);
                for (Scenarios.Cmd c : cmds) {
                    Scenarios.Resolved r = Scenarios.resolve(s, c);
                    Outcome o = m.step(s, r.conn(), r.tx(), r.request());
                    if (!RuleScope.applies(o.rule(), d)) {
                        throw new AssertionError(dialect + " reached " + o.rule() + " outside its scope "
                                + RuleScope.knobsOf(o.rule(), d));
                    }
                    s = o.allowed().iterator().next().next();
                }
            });
        }
    }

    @Test
    void scopesFollowTheKnobTables() {
        Dialect c = Dialect.named(Dialect.CXENSTORED);
        Dialect o = Dialect.named(Dialect.OXENSTORED);
        Dialect q = Dialect.named(Dialect.QEMU);
        assertTrue(RuleScope.applies(Rule.TREE_RM_ROOT, c));
        assertFalse(RuleScope.applies(Rule.TREE_RM_ROOT, o));
        assertTrue(RuleScope.applies(Rule.TREE_RM_ROOT_REMOVES_CHILDREN, o));
        assertTrue(RuleScope.applies(Rule.TREE_RM_MISSING_ENOENT, q));
        assertFalse(RuleScope.applies(Rule.DOMAINS_INTRODUCE, q));
        assertTrue(RuleScope.applies(Rule.TREE_READ, q));
        assertEquals("REPLAY", RuleScope.alternatives(o).get("transactions.txConflictRule"));
        assertTrue(RuleScope.applies(Rule.TX_COMMIT_REPLAYED_WITH_DIRECTORY_PART, o), "a refused DIRECTORY_PART is recorded too");
    }
}
