package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.model.Dialect;
import io.xscheck.model.Model;
import io.xscheck.model.ModelState;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Quota figures as the daemons print them, and what a restart may do to them. */
class QuotaCheckTest {
    /** C xenstored 4.17.7's answer to {@code control quota 0} on a fresh daemon (probe live-update-quota.txt). */
    private static final Reply C_FRESH = new Reply.Text("Domain 0:\nnodes           :        3\nwatches         :        0\n"
            + "transactions    :        0\noutstanding     :        0\nmemory          :      132\n");

    private static Reply c(long nodes, long transactions, long memory) {
        return new Reply.Text("Domain 0:\nnodes           :        " + nodes + "\nwatches         :        0\n"
                + "transactions    :        " + transactions + "\noutstanding     :        0\nmemory          :      "
                + memory + "\n");
    }

    private static QuotaFigures parse(Reply r) {
        return QuotaFigures.parse(r).orElseThrow();
    }

    @Test
    void readsCsFiguresAndOxenstoredsEntriesAndNothingElse() {
        assertEquals(Map.of("nodes", 3L, "watches", 0L, "transactions", 0L, "outstanding", 0L, "memory", 132L),
                parse(C_FRESH).byName());
        assertEquals(Map.of("entries", 6L), parse(new Reply.Value(Bytes.latin1("dom0 quota: 6/1000"))).byName());
        assertEquals(Map.of("entries", 0L), parse(new Reply.Value(Bytes.latin1("dom3 quota: not set"))).byName());
        assertEquals(Map.of("entries", -1L), parse(new Reply.Text("dom0 quota: -1/1000")).byName(),
                "oxenstored's count after an RM of / (sut-adapters AccountingAtResetTest)");
        assertEquals(Map.of("nodes", 5L, "memory", 186L), parse(new Reply.Text("Domain 0:\nnodes            :        5 (max"
                + "        5)\nmemory           :      186 (max      746)\n")).byName(), "4.20's lines, high-water marks left out");
        assertEquals(Optional.empty(), QuotaFigures.parse(new Reply.Error("EACCES")), "QEMU refuses CONTROL");
        assertEquals(Optional.empty(), QuotaFigures.parse(new Reply.Text("OK")), "oxenstored's answer to a bare 'quota'");
    }

    @Test
    void aQuietRestartKeepsEveryFigureButCsDom0MemoryAtTheFirstUpdate() {
        Dialect dialect = Dialect.named(Dialect.CXENSTORED);
        int growth = dialect.restartKnobs().dom0MemoryGrowthAtFirstRestart();
        assertEquals(34, growth, "probe live-update-quota.txt: 173 before the first update, 207 after it, 207 after the next");
        Model m = new Model(dialect);
        ModelState s = m.connect(m.initial(), "A", 0);
        ModelState after = m.liveUpdate(s, "A", false).single().next();
        assertEquals(Optional.empty(), QuotaCheck.compare(Map.of(0, parse(C_FRESH)), Map.of(0, parse(C_FRESH)), s, after,
                growth, 0), "a later update: nothing grows");
        assertEquals(Optional.empty(), QuotaCheck.compare(Map.of(0, parse(C_FRESH)), Map.of(0, parse(c(3, 0, 166))), s,
                after, growth, 0), "the first update");
        QuotaCheck.Difference d = QuotaCheck.compare(Map.of(0, parse(C_FRESH)), Map.of(0, parse(c(3, 0, 166))), s, after,
                0, 0).orElseThrow();
        assertEquals("quota:liveupdate:dom0:memory:grew", d.signature("liveupdate"), "where the dialect knows no growth");
        assertEquals("domain 0 memory: 132 before, 166 after, expected 132", d.text());
        assertEquals("domain 0 memory: 132 before, 167 after, expected 132", QuotaCheck.compare(Map.of(0, parse(C_FRESH)),
                Map.of(0, parse(c(3, 0, 167))), s, after, growth, 0).orElseThrow().text(), "34 and only 34 is the knob's");
        assertTrue(QuotaCheck.compare(Map.of(0, parse(C_FRESH)), Map.of(0, parse(c(4, 0, 132))), s, after, growth, 0)
                .isPresent(), "a node count that moved though the tree did not");
    }

    /**
     * oxenstored's restart counts dom0's entries anew from the tree: what a reset left of an earlier case's drift
     * (one short after an RM of /, sut-adapters AccountingAtResetTest) comes back, and only that much.
     */
    @Test
    void dom0EntriesAResetCarriedInComeBackAtACountingRestartAndOnlyThose() {
        Dialect dialect = Dialect.named(Dialect.OXENSTORED);
        assertTrue(dialect.restartKnobs().entriesCountedAnewAtRestart());
        Model m = new Model(dialect);
        ModelState s = m.connect(m.initial(), "A", 0);
        ModelState after = m.liveUpdate(s, "A", false).single().next();
        Map<Integer, QuotaFigures> shortByOne = Map.of(0, parse(new Reply.Text("dom0 quota: 4/1000")));
        Map<Integer, QuotaFigures> counted = Map.of(0, parse(new Reply.Text("dom0 quota: 5/1000")));
        assertEquals(Optional.empty(), QuotaCheck.compare(shortByOne, counted, s, after, 0, -1), "carried in: one short");
        assertEquals("quota:liveupdate:dom0:entries:grew", QuotaCheck.compare(shortByOne, counted, s, after, 0, 0)
                .orElseThrow().signature("liveupdate"), "on a target that carried nothing in");
        assertEquals("domain 0 entries: 4 before, 5 after, expected 6", QuotaCheck.compare(shortByOne, counted, s, after,
                0, -2).orElseThrow().text());
    }

    @Test
    void aForcedUpdateThatDropsTransactionsMovesTheirFiguresAsTheModelSays() {
        Model m = new Model(Dialect.named(Dialect.CXENSTORED));
        ModelState s = m.connect(m.initial(), "A", 0);
        s = m.step(s, "A", 0, new Request.TransactionStart()).single().next();
        s = m.step(s, "A", 1, new Request.Write("/x", Bytes.latin1("v"))).single().next();
        ModelState after = m.liveUpdate(s, "A", true).single().next();
        // what the transaction held is released with it (C accounts it to the domain): memory is not compared
        assertEquals(Optional.empty(), QuotaCheck.compare(Map.of(0, parse(c(3, 1, 172))),
                Map.of(0, parse(c(3, 0, 166))), s, after, 34, 0));
        QuotaCheck.Difference kept = QuotaCheck.compare(Map.of(0, parse(c(3, 1, 172))),
                Map.of(0, parse(c(3, 1, 172))), s, after, 34, 0).orElseThrow();
        assertEquals("quota:liveupdate:dom0:transactions:grew", kept.signature("liveupdate"),
                "the model dropped the transaction; a daemon still counting it differs");
    }

    @Test
    void aDomainGoneAfterTheRestartIsNotCompared() {
        Model m = new Model(Dialect.named(Dialect.CXENSTORED));
        ModelState s = m.connect(m.initial(), "A", 0);
        assertEquals(Optional.empty(), QuotaCheck.compare(Map.of(0, parse(C_FRESH), 5, parse(C_FRESH)),
                Map.of(0, parse(C_FRESH)), s, s, 0, 0));
    }
}
