package io.xscheck.model;

import static io.xscheck.model.Examples.err;
import static io.xscheck.model.Examples.ok;
import static io.xscheck.model.Examples.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Examples of the transaction rules ({@link Transactions}), with the conflict rule per dialect. */
class TransactionsTest {

    static List<String> dialects() {
        return Dialect.names();
    }

    private static Request w(String path, String v) {
        return new Request.Write(path, Bytes.latin1(v));
    }

    private static Request end(boolean commit) {
        return new Request.TransactionEnd(commit);
    }

    /** The replies END T may give, as error names or "OK". */
    private static Set<String> commitAnswers(Session s, long tx) {
        return s.outcome("dom0", tx, end(true)).allowed().stream()
                .map(a -> a.reply() instanceof Reply.Error e ? e.name() : "OK").collect(Collectors.toSet());
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void writesInATransactionAreInvisibleOutsideUntilCommit(String dialect) {
        Session s = Session.dom0(dialect).connect("other", 0);
        long tx = s.start("dom0");
        assertEquals(ok(), s.on("dom0", tx, w("/t/a", "1")));
        assertEquals(err("ENOENT"), s.on("other", new Request.Read("/t/a")));
        assertEquals(value("1"), s.on("dom0", tx, new Request.Read("/t/a")));
        assertEquals(ok(), s.on("dom0", tx, end(true)));
        assertEquals(value("1"), s.on("other", new Request.Read("/t/a")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void abortDiscardsAndTheIdIsGoneAfterEnd(String dialect) {
        Session s = Session.dom0(dialect);
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/t/f", "1"));
        assertEquals(ok(), s.on("dom0", tx, end(false)));
        assertEquals(err("ENOENT"), s.send(new Request.Read("/t/f")));
        String gone = dialect.startsWith("oxenstored-") ? "EIO" : "ENOENT";
        assertEquals(err(gone), s.on("dom0", tx, end(true)));
    }

    @Test
    void qemuNumbersTransactionsAcrossConnectionsAndTheDaemonsPerConnection() {
        // QEMU xs_impl_transaction_start: ++s->last_tx; C conn->next_transaction_id; oxenstored con.next_tid
        Session q = Session.dom0(Dialect.QEMU).connect("other", 0);
        long first = q.start("dom0");
        long second = q.start("other");
        assertNotEquals(first, second, "QEMU: one counter for every connection");
        // so another connection naming that id is not in a transaction of its own: unknown to it
        assertEquals(err("ENOENT"), q.on("other", first, new Request.Read("/")));
        for (String d : new String[] {Dialect.CXENSTORED, Dialect.OXENSTORED}) {
            Session c = Session.dom0(d).connect("other", 0);
            assertEquals(c.start("dom0"), c.start("other"), d + ": each connection counts its own");
        }
    }

    /**
     * A connection that served clients before goes on counting (C do_transaction_start, oxenstored
     * start_transaction; RESET_WATCHES does not start the count again): its next transaction gets the id it is told.
     */
    @Test
    void aConnectionThatServedBeforeNumbersItsTransactionsOn() {
        for (String d : new String[] {Dialect.CXENSTORED, Dialect.OXENSTORED}) {
            Model m = new Model(Dialect.named(d));
            ModelState s = m.connect(m.initial(), "lent", 0, 6);
            Reply first = m.step(s, "lent", 0, new Request.TransactionStart()).single().reply();
            assertEquals(new Reply.TransactionId(6), first, d);
            assertEquals(new Reply.TransactionId(1), m.step(m.connect(m.initial(), "new", 0), "new", 0,
                    new Request.TransactionStart()).single().reply(), d + ": a new connection starts at 1");
        }
    }

    @Test
    void unknownTransactionIdIsEnoentInCAndEioInOxenstored() {
        // probes *-dom0.txt "READ /d with unknown tx 99"
        assertEquals(err("ENOENT"), Session.dom0(Dialect.CXENSTORED).on("dom0", 99, new Request.Read("/")));
        assertEquals(err("EIO"), Session.dom0(Dialect.OXENSTORED).on("dom0", 99, new Request.Read("/")));
        assertEquals(err("ENOENT"), Session.dom0(Dialect.QEMU).on("dom0", 99, new Request.Read("/")));
    }

    @Test
    void startInsideATransactionIsEbusyButEinvalInQemu() {
        for (String d : Dialect.names()) {
            Session s = Session.dom0(d);
            long tx = s.start("dom0");
            String expected = d.equals(Dialect.QEMU) ? "EINVAL" : "EBUSY";
            assertEquals(err(expected), s.on("dom0", tx, new Request.TransactionStart()), d);
        }
    }

    @Test
    void readThenOutsideWriteConflictsEverywhereButSpecMayCommit() {
        // probes *-dom0.txt "tx: read /a, outside write /a=2, write /b, commit": EAGAIN in both daemons
        for (String d : Dialect.names()) {
            Session s = Session.dom0(d).connect("other", 0);
            s.send(w("/a", "1"));
            long tx = s.start("dom0");
            s.on("dom0", tx, new Request.Read("/a"));
            s.on("other", w("/a", "2"));
            s.on("dom0", tx, w("/b", "x"));
            Set<String> expected = d.equals(Dialect.SPEC) ? Set.of("EAGAIN") : Set.of("EAGAIN");
            assertEquals(expected, commitAnswers(s, tx), d);
        }
    }

    @Test
    void blindWriteOverAnOutsideWriteConflictsInCButReplaysInOxenstored() {
        // probes *-dom0.txt "tx: write /a=3, outside write /a=4, commit": C EAGAIN, oxenstored OK (value 3)
        Session c = Session.dom0(Dialect.CXENSTORED).connect("other", 0);
        c.send(w("/a", "1"));
        long tc = c.start("dom0");
        c.on("dom0", tc, w("/a", "3"));
        c.on("other", w("/a", "4"));
        assertEquals(err("EAGAIN"), c.on("dom0", tc, end(true)));
        assertEquals(value("4"), c.send(new Request.Read("/a")));

        Session o = Session.dom0(Dialect.OXENSTORED).connect("other", 0);
        o.send(w("/a", "1"));
        long to = o.start("dom0");
        o.on("dom0", to, w("/a", "3"));
        o.on("other", w("/a", "4"));
        assertEquals(ok(), o.on("dom0", to, end(true)));
        assertEquals(value("3"), o.send(new Request.Read("/a")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void disjointOutsideWriteCommitsExceptInQemu(String dialect) {
        // probes *-dom0.txt "tx: write /d/b, outside write /zz, commit": OK; QEMU: any commit conflicts
        Session s = Session.dom0(dialect).connect("other", 0);
        s.send(w("/d/b", ""));
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/d/b", "x"));
        s.on("other", w("/zz", "y"));
        Set<String> expected = switch (dialect) {
            case Dialect.QEMU -> Set.of("EAGAIN");
            case Dialect.SPEC -> Set.of("OK", "EAGAIN");
            default -> Set.of("OK");
        };
        assertEquals(expected, commitAnswers(s, tx));
    }

    @Test
    void cTransactionSeesANodeAsOfItsFirstAccessNotAsOfStart() {
        // probes *-dom0.txt "tx started, outside write /c=2, READ /c in tx": C 2, oxenstored 1
        Session c = Session.dom0(Dialect.CXENSTORED).connect("other", 0);
        c.send(w("/c", "1"));
        long tc = c.start("dom0");
        c.on("other", w("/c", "2"));
        assertEquals(value("2"), c.on("dom0", tc, new Request.Read("/c")));
        assertEquals(ok(), c.on("dom0", tc, end(true)));

        Session o = Session.dom0(Dialect.OXENSTORED).connect("other", 0);
        o.send(w("/c", "1"));
        long to = o.start("dom0");
        o.on("other", w("/c", "2"));
        assertEquals(value("1"), o.on("dom0", to, new Request.Read("/c")));
    }

    @Test
    void readOnlyTransactionConflictsInCAndQemuButNeverInOxenstored() {
        // probes *-dom0.txt "tx read /c, outside write /c, commit (read-only)": C EAGAIN, oxenstored OK
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED, Dialect.QEMU)) {
            Session s = Session.dom0(d).connect("other", 0);
            s.send(w("/c", "1"));
            long tx = s.start("dom0");
            s.on("dom0", tx, new Request.Read("/c"));
            s.on("other", w("/c", "3"));
            Set<String> expected = d.equals(Dialect.OXENSTORED) ? Set.of("OK") : Set.of("EAGAIN");
            assertEquals(expected, commitAnswers(s, tx), d);
        }
    }

    @Test
    void inQemuCommittingAnEmptyTransactionFailsAnOlderOne() {
        // probe run: qemu A tx T2, B tx T3, B commit T3, A commit T2 -> EAGAIN; C commits both
        for (String d : List.of(Dialect.QEMU, Dialect.CXENSTORED)) {
            Session s = Session.dom0(d).connect("other", 0);
            long older = s.start("dom0");
            long newer = s.start("other");
            assertEquals(ok(), s.on("other", newer, end(true)), d);
            Set<String> expected = d.equals(Dialect.QEMU) ? Set.of("EAGAIN") : Set.of("OK");
            assertEquals(expected, commitAnswers(s, older), d);
        }
    }

    @Test
    void oxenstoredCommitFiresNoWatchWhoseParentTheTransactionCreatedAndRemoved() {
        // probe run: oxenstored watch /local/domain/c, tx WRITE /local/domain/1, tx RM /local, commit -> no event
        Session s = Session.dom0(Dialect.OXENSTORED);
        s.send(new Request.Watch("/local/domain/c", "t0"));
        s.send(new Request.Watch("/local/x", "t1"));
        s.send(w("/local/x", ""));
        s.drain("dom0");
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/local/domain/1", "v87"));
        s.on("dom0", tx, new Request.Rm("/local"));
        assertEquals(ok(), s.on("dom0", tx, end(true)));
        assertEquals(List.of(new io.xscheck.protocol.WatchEvent("/local/x", "t1")), s.drain("dom0"));
    }

    @Test
    void oxenstoredCannotCoalesceATransactionAcrossADomainDeath() {
        // probe run: oxenstored tx WRITE /local/domain/1, kill 2, tx raw type 0xffff (ENOSYS), END T -> EAGAIN:
        // reset_permissions rebuilt every node, so the commit replays, and an unknown type cannot be replayed
        Session s = Session.dom0(Dialect.OXENSTORED);
        s.send(new Request.Introduce(2, 4711, 9));
        s.connect("g", 2);
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/local/domain/1", "v25"));
        s.follow(s.model.killDomain(s.state(), 2).single());
        assertEquals(err("ENOSYS"), s.on("dom0", tx, new Request.Raw(0xffff, Bytes.latin1("\u0000"))));
        assertEquals(Set.of("EAGAIN"), commitAnswers(s, tx));
    }

    @Test
    void qemuCommitFiresPerNodeOfTheTransactionTreeARemovedNodeWrittenBelowOnlyIfItHadAValue() {
        // QEMU tests/unit/test-xs-node.c test_xs_node_tx_resurrect; traces/tx-resurrect-qemu.trace
        Session s = Session.dom0(Dialect.QEMU);
        s.send(w("/t/deep/dark/relative/path", "something"));
        s.send(w("/t/deep/dark", "foo"));
        s.send(new Request.Watch("/t", "w"));
        s.drain("dom0");
        long tx = s.start("dom0");
        s.on("dom0", tx, new Request.Rm("/t/deep"));
        s.on("dom0", tx, w("/t/deep/dark/different/path", "something"));
        Set<Set<String>> allowed = s.outcome("dom0", tx, end(true)).allowed().stream()
                .map(a -> a.events().stream().map(d -> d.event().path()).collect(Collectors.toSet()))
                .collect(Collectors.toSet());
        // /t/deep was created as a parent (no value) or written empty: the model cannot tell, so both
        Set<String> fired = Set.of("/t/deep/dark/different/path", "/t/deep/dark", "/t/deep/dark/relative");
        Set<String> withDeep = new java.util.HashSet<>(fired);
        withDeep.add("/t/deep");
        assertEquals(Set.of(fired, withDeep), allowed);
    }

    @Test
    void addingSiblingsConflictsInCBecauseTheParentChanged() {
        Session s = Session.dom0(Dialect.CXENSTORED).connect("other", 0);
        s.send(w("/p", ""));
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/p/a", "1"));
        s.on("other", w("/p/b", "2"));
        assertEquals(err("EAGAIN"), s.on("dom0", tx, end(true)));
    }

    @Test
    void committedTransactionFiresOneEventPerNodeInCAndOnePerWriteInOxenstored() {
        // probes *-dom0.txt "tx writing /g twice, commit": C 1 event, oxenstored 2
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.dom0(d).connect("w", 0);
            s.on("w", new Request.Watch("/g", "g"));
            s.drain("w");
            long tx = s.start("dom0");
            s.on("dom0", tx, w("/g", "1"));
            s.on("dom0", tx, w("/g", "2"));
            assertEquals(List.of(), s.drain("w"));
            s.on("dom0", tx, end(true));
            List<WatchEvent> got = s.drain("w");
            assertEquals(d.equals(Dialect.CXENSTORED) ? 1 : 2, got.size(), d);
        }
    }

    @Test
    void specDialectAllowsBothAnswersWhenSomethingChanged() {
        Session s = Session.dom0(Dialect.SPEC).connect("other", 0);
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/mine", "1"));
        s.on("other", w("/theirs", "2"));
        Outcome o = s.outcome("dom0", tx, end(true));
        assertEquals(2, o.allowed().size());
        assertTrue(o.matching(new Reply.Ok()).isPresent());
        assertTrue(o.matching(new Reply.Error("EAGAIN")).isPresent());
    }

    @Test
    void guestTransactionQuota() {
        // C: -t 10 with check "> 10" -> the 12th START fails; QEMU: 10 (probe qemu-xenstore-impl.txt "12x TRANSACTION_START")
        Session c = Session.withGuest(Dialect.CXENSTORED, 2);
        for (int i = 0; i < 11; i++) {
            c.on("g", new Request.TransactionStart());
        }
        assertEquals(err("ENOSPC"), c.on("g", new Request.TransactionStart()));
        Session q = Session.withGuest(Dialect.QEMU, 2);
        for (int i = 0; i < 10; i++) {
            q.on("g", new Request.TransactionStart());
        }
        assertEquals(err("ENOSPC"), q.on("g", new Request.TransactionStart()));
    }

    @Test
    void resetWatchesEndsTransactionsExceptInQemu() {
        for (String d : List.of(Dialect.CXENSTORED, Dialect.QEMU)) {
            Session s = Session.dom0(d);
            long tx = s.start("dom0");
            s.send(new Request.ResetWatches());
            Reply r = s.on("dom0", tx, new Request.Read("/"));
            assertEquals(d.equals(Dialect.QEMU), !(r instanceof Reply.Error), d);
        }
    }

    @Test
    void creatingTheSameNodeInsideAndOutsideConflictsInCAndReplaysInOxenstored() {
        // probes *-dom0-more.txt "tx create /q/new, outside create /q/new": C EAGAIN (value 2), oxenstored OK (value 1)
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.dom0(d).connect("other", 0);
            long tx = s.start("dom0");
            s.on("dom0", tx, w("/q/new", "1"));
            s.on("other", w("/q/new", "2"));
            boolean c = d.equals(Dialect.CXENSTORED);
            assertEquals(c ? err("EAGAIN") : ok(), s.on("dom0", tx, end(true)), d);
            assertEquals(value(c ? "2" : "1"), s.send(new Request.Read("/q/new")), d);
        }
    }

    @Test
    void readingAMissingNodeThatIsCreatedOutsideConflictsInBothDaemons() {
        // probes *-dom0-more.txt "tx READ missing /nothere, outside creates it, tx writes /other": EAGAIN
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.dom0(d).connect("other", 0);
            long tx = s.start("dom0");
            s.on("dom0", tx, new Request.Read("/nothere"));
            s.on("other", w("/nothere", "x"));
            s.on("dom0", tx, w("/other", "y"));
            assertEquals(err("EAGAIN"), s.on("dom0", tx, end(true)), d);
        }
    }

    @Test
    void setPermsInATransactionConflictsInCWhenTheChildListChanges() {
        // probes *-dom0-more.txt "tx SET_PERMS /p n0 r3 ... outside create /p/c": C EAGAIN, oxenstored OK
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.dom0(d).connect("other", 0);
            s.send(w("/p", ""));
            long tx = s.start("dom0");
            s.on("dom0", tx, new Request.SetPerms("/p", List.of(io.xscheck.protocol.Perm.none(0), io.xscheck.protocol.Perm.read(3))));
            s.on("other", w("/p/c", ""));
            assertEquals(d.equals(Dialect.CXENSTORED) ? err("EAGAIN") : ok(), s.on("dom0", tx, end(true)), d);
        }
    }

    @Test
    void nodeCreatedAndDeletedInATransactionFiresNothingInCAndOnlyItsWriteInOxenstored() {
        // probes *-dom0-more.txt "tx create /x1/y then RM it": C no event, oxenstored one (/x1/y)
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.dom0(d).connect("w", 0);
            s.on("w", new Request.Watch("/x1", "x"));
            s.drain("w");
            long tx = s.start("dom0");
            s.on("dom0", tx, w("/x1/y", ""));
            s.on("dom0", tx, new Request.Rm("/x1/y"));
            assertEquals(ok(), s.on("dom0", tx, end(true)));
            List<WatchEvent> expected = d.equals(Dialect.CXENSTORED) ? List.of() : List.of(new WatchEvent("/x1/y", "x"));
            assertEquals(expected, s.drain("w"), d);
        }
    }

    @Test
    void oxenstoredDropsTransactionEventsWhoseParentIsNotInTheCheckedTree() {
        // probe oxenstored-4.17.7-dom0-more.txt "tx WRITE /n/m (creates /n) then RM /n": only /n fires
        Session s = Session.dom0(Dialect.OXENSTORED).connect("w", 0);
        s.on("w", new Request.Watch("/n", "n"));
        s.drain("w");
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/n/m", ""));
        s.on("dom0", tx, new Request.Rm("/n"));
        s.on("dom0", tx, end(true));
        assertEquals(List.of(new WatchEvent("/n", "n")), s.drain("w"));
    }

    @Test
    void oxenstoredReplaysADirectoryPartAsEnosysAgain() {
        // probe run: tx WRITE /local/domain v5, DIRECTORY_PART (ENOSYS), outside WRITE /local/domain, END T -> OK
        Session s = Session.dom0(Dialect.OXENSTORED).connect("other", 0);
        s.send(w("/local/domain/2", ""));
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/local/domain", "v5"));
        assertEquals(err("ENOSYS"), s.on("dom0", tx, new Request.DirectoryPart("/local/domain", 0)));
        s.on("other", w("/local/domain", "v6"));
        // probe runs: OK once (rep6), EAGAIN once (rep7) for such replays: both allowed
        assertEquals(Set.of("OK", "EAGAIN"), commitAnswers(s, tx));
    }

    @Test
    void oxenstoredCoalescesPastAWriteOfTheSameValue() {
        // store.ml Node.set_value keeps the node when the value is the same, so the subtree the transaction
        // wrote below is physically untouched and the commit coalesces (probe run rep6-oxenstored-5: OK).
        Session s = Session.dom0(Dialect.OXENSTORED).connect("other", 0);
        s.send(w("/local/domain/2", ""));
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/local/domain", "v5"));
        assertEquals(err("ENOSYS"), s.on("dom0", tx, new Request.DirectoryPart("/local/domain", 0)));
        s.on("other", w("/local/domain", ""));
        // with a DIRECTORY_PART in it, EAGAIN is allowed too (traces/tx-directorypart-no-coalesce-ox.trace)
        assertEquals(Set.of("OK", "EAGAIN"), commitAnswers(s, tx));
    }

    @Test
    void oxenstoredTransactionWhoseOnlyWriteFailedCommitsAsAnAbort() {
        // probe run rep7: tx READ, tx WRITE /q2/b (E2BIG, parent created), outside change, END T -> OK; /q2 gone
        Session s = Session.dom0(Dialect.OXENSTORED).connect("other", 0);
        long tx = s.start("dom0");
        s.on("other", w("/local/domain/2", "v76"));
        s.on("dom0", tx, new Request.Read("/local/domain/2"));
        assertEquals(err("E2BIG"), s.on("dom0", tx, w("/q2/b", "x".repeat(2049))));
        assertEquals(ok(), s.on("dom0", tx, end(true)));
        assertEquals(err("ENOENT"), s.send(new Request.Read("/q2")));
    }

    @Test
    void oxenstoredMkdirOfRootIsAWriteOfTheTransaction() {
        // probe run rep8: G1 tx; outside WRITE /local/domain/1; tx MKDIR /; tx RM /local/domain/1/_f (ENOENT); END T -> EAGAIN
        Session s = Session.withGuest(Dialect.OXENSTORED, 1);
        s.send(new Request.Rm("/local/domain/1"));
        long tx = s.start("g");
        s.send(w("/local/domain/1", "v71"));
        assertEquals(ok(), s.on("g", tx, new Request.Mkdir("/")));
        assertEquals(err("ENOENT"), s.on("g", tx, new Request.Rm("/local/domain/1/_f")));
        assertEquals(err("EAGAIN"), s.on("g", tx, end(true)));
    }

    @Test
    void cTransactionWithAFailedNodeWriteAnswersEnomemAtCommit() {
        // probe run rep7: a guest's too-big WRITE in a transaction (ENOSPC), END T -> ENOMEM
        Session s = Session.withGuest(Dialect.CXENSTORED, 2);
        long tx = s.start("g");
        assertEquals(err("ENOSPC"), s.on("g", tx, w("x", "x".repeat(2100))));
        assertEquals(err("ENOMEM"), s.on("g", tx, end(true)));
    }

    @Test
    void oxenstoredReplaysRmOfRoot() {
        // probe run rep9: tx RM /, outside WRITE /tool/e-1, END T -> OK (rep4's EAGAIN had a DIRECTORY_PART in the tx)
        Session s = Session.dom0(Dialect.OXENSTORED).connect("other", 0);
        long tx = s.start("dom0");
        s.on("dom0", tx, new Request.Rm("/"));
        s.on("other", new Request.Write("/tool/e-1", Bytes.latin1("v75")));
        assertEquals(ok(), s.on("dom0", tx, end(true)));
        assertEquals(List.of("/"), s.state().tree().paths());
    }

    @Test
    void oxenstoredCannotReplayARequestOfUnknownType() {
        // probe runs: tx raw type 0xffff (ENOSYS), tx WRITE /local, outside WRITE under /local, END T -> EAGAIN
        Session s = Session.dom0(Dialect.OXENSTORED).connect("other", 0);
        long tx = s.start("dom0");
        s.on("other", new Request.Write("a", Bytes.latin1("v11")));
        assertEquals(err("ENOSYS"), s.on("dom0", tx, new Request.Raw(0xffff, Bytes.latin1("\u0000"))));
        s.on("dom0", tx, w("/local", "v26"));
        assertEquals(err("EAGAIN"), s.on("dom0", tx, end(true)));
    }

    @Test
    void cRefusedRmInATransactionDoesNotWalkTheSubtree() {
        // probe run: G2 tx RM /tool -> EACCES; outside WRITE /tool/xenstored/c; END T -> OK in C
        Session s = Session.withGuest(Dialect.CXENSTORED, 2);
        long tx = s.start("g");
        assertEquals(err("EACCES"), s.on("g", tx, new Request.Rm("/tool")));
        s.send(w("/tool/xenstored/c", "x"));
        assertEquals(ok(), s.on("g", tx, end(true)));
    }

    @Test
    void oxenstoredCoalescesATransactionWhoseSubtreesWereNotTouched() {
        // probe run: tx WRITE /@introduceDomain, DIRECTORY_PART, outside WRITE /local/domain/1, END T -> OK (coalesced)
        Session s = Session.dom0(Dialect.OXENSTORED).connect("other", 0);
        long tx = s.start("dom0");
        s.on("dom0", tx, w("/@introduceDomain", "v37"));
        s.on("other", w("/local/domain/1", "v70"));
        s.on("dom0", tx, new Request.DirectoryPart("/local/_f", 0));
        // the probe coalesced; with a DIRECTORY_PART in the transaction EAGAIN is allowed too (see above)
        assertEquals(Set.of("OK", "EAGAIN"), commitAnswers(s, tx));
    }

    @Test
    void anyOpButWatchNamingAnUnknownTransactionIsRefused() {
        // probe run: C SET_PERMS @releaseDomain with an unknown tx id -> ENOENT; WATCH ignores the id
        Session c = Session.dom0(Dialect.CXENSTORED);
        assertEquals(err("ENOENT"), c.on("dom0", 4, new Request.SetPerms("@releaseDomain", List.of(io.xscheck.protocol.Perm.both(0)))));
        assertEquals(ok(), c.on("dom0", 4, new Request.Watch("/w", "t")));
        assertEquals(err("EIO"), Session.dom0(Dialect.OXENSTORED).on("dom0", 4, new Request.GetDomainPath(1)));
    }

    @Test
    void cArgumentErrorsInATransactionTouchNoNode() {
        // probe run: G1 tx; SET_PERMS /local/domain w7 -> ENOENT (owner 7 unknown); outside WRITE /local; END T -> OK
        Session s = Session.withGuest(Dialect.CXENSTORED, 2);
        s.send(w("/local/domain", ""));
        long tx = s.start("g");
        assertEquals(err("ENOENT"), s.on("g", tx, new Request.SetPerms("/local/domain", List.of(io.xscheck.protocol.Perm.write(7)))));
        s.send(w("/local", "x"));
        assertEquals(ok(), s.on("g", tx, end(true)));
    }

    @Test
    void malformedRequestInAnUnknownTransactionIsTheUnknownIdError() {
        assertEquals(err("EIO"), Session.dom0(Dialect.OXENSTORED).on("dom0", 5, new Request.Raw(2, Bytes.latin1("/a\u0000b\u0000"))));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void endWithoutATransactionIsEnoent(String dialect) {
        assertEquals(err("ENOENT"), Session.dom0(dialect).send(end(true)));
    }
}
