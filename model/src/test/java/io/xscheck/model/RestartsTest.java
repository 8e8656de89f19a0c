package io.xscheck.model;

import static io.xscheck.model.Examples.err;
import static io.xscheck.model.Examples.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Examples of the restart rules ({@link Restarts}), per dialect where they differ. */
class RestartsTest {
    private static final Reply RAW_OK = new Reply.Value(Bytes.latin1("OK"));
    private static final Reply BUSY = new Reply.Value(Bytes.latin1("BUSY"));

    private static Allowed liveUpdate(Session s, boolean force) {
        Outcome o = s.model.liveUpdate(s.state(), "dom0", force);
        s.lastRule = o.rule().id();
        Allowed a = o.allowed().iterator().next();
        s.follow(a);
        return a;
    }

    @Test
    void aQuietUpdateChangesNothingAndFiresNothing() {
        // probes live-update-{cxenstored,oxenstored}.txt "quiet update": same tree, watches fire once afterwards
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.withGuest(d, 2);
            s.send(new Request.Watch("/pub", "w"));
            s.drain("dom0");
            ModelState before = s.state();
            Allowed a = liveUpdate(s, false);
            assertEquals(d.equals(Dialect.CXENSTORED) ? new Reply.Text("OK") : RAW_OK, a.reply(), d);
            assertEquals("Restarts.quiet", s.lastRule);
            assertTrue(a.events().isEmpty(), d);
            assertEquals(before.tree(), s.state().tree(), d);
            assertEquals(before.domains(), s.state().domains(), d);
            assertEquals(before.specialAcls(), s.state().specialAcls(), d);
            s.guest(new Request.Write("/pub/x", Bytes.latin1("1")));
            assertEquals(List.of(new WatchEvent("/pub/x", "w")), s.drain("dom0"), d);
        }
    }

    @Test
    void cReleasesADyingDomainIntroducedAgainWhenItRestarts() {
        // probe live-update-cxenstored.txt "dying domain introduced again"
        Session s = Session.dom0(Dialect.CXENSTORED);
        s.send(new Request.Introduce(2, 4711, 9));
        s.follow(s.model.killDomain(s.state(), 2).single());
        s.send(new Request.Watch("@releaseDomain", "r"));
        s.drain("dom0");
        s.send(new Request.Introduce(2, 4711, 9));
        Allowed a = liveUpdate(s, true);
        assertEquals(new Reply.Text("OK"), a.reply());
        assertEquals(List.of(new WatchEvent("@releaseDomain", "r")), s.drain("dom0"));
        assertEquals(new Reply.Text("F"), s.send(new Request.IsDomainIntroduced(2)));
    }

    @Test
    void cForgetsTheStructOfADomainItNeverIntroducedSoItsEntriesGrantNothingAfterwards() {
        // probe live-update-cxenstored.txt "struct of a domain never introduced" (gate seed 75149): domain 2 died, a
        // SET_PERMS naming it made C a struct for it; without the update its entries grant, after it they do not
        for (String d : List.of(Dialect.CXENSTORED, Dialect.CXENSTORED_420)) {
            for (boolean update : List.of(false, true)) {
                Session s = Session.dom0(d);
                s.send(new Request.Write("/local/domain", Bytes.latin1("x")));
                s.connect("g1", 1);
                s.connect("g0", 2);
                s.follow(s.model.killDomain(s.state(), 2).single());
                assertEquals(ok(), s.send(new Request.SetPerms("/local/domain", List.of(io.xscheck.protocol.Perm.both(1),
                        io.xscheck.protocol.Perm.write(2), io.xscheck.protocol.Perm.both(1), io.xscheck.protocol.Perm.none(2)))));
                if (update) {
                    liveUpdate(s, false);
                    assertEquals("Restarts.quiet", s.lastRule);
                }
                s.connect("g", 2); // a new domain 2, introduced
                // the w2 entry, honoured, gives no read of /local/domain, so a missing child is EACCES; skipped, "b1"
                // (others may read) gives ENOENT
                assertEquals(update ? err("ENOENT") : err("EACCES"),
                        s.guest(new Request.Read("/local/domain/b")), d + (update ? " after the update" : ""));
            }
        }
    }

    @Test
    void oxenstoredWritesItsStartupNodesAgain() {
        // probe live-update-oxenstored.txt "start up nodes"
        Session s = Session.dom0(Dialect.OXENSTORED);
        s.send(new Request.Write("/tool/xenstored", Bytes.latin1("v6")));
        s.send(new Request.Rm("/@introduceDomain"));
        liveUpdate(s, false);
        assertEquals(new Reply.Value(Bytes.latin1("/usr/lib/xen-4.17/bin/oxenstored")), s.send(new Request.Read("/tool/xenstored")));
        assertTrue(s.state().tree().exists("/@introduceDomain"));
        s.send(new Request.Rm("/tool"));
        liveUpdate(s, false);
        assertTrue(s.state().tree().exists("/tool/xenstored"));
    }

    @Test
    void cRefusesAnUnforcedUpdateWhileATransactionIsOpenAndKeepsIt() {
        Session s = Session.dom0(Dialect.CXENSTORED);
        long tx = ((Reply.TransactionId) s.send(new Request.TransactionStart())).id();
        s.on("dom0", tx, new Request.Write("/t", Bytes.latin1("v")));
        Outcome o = s.model.liveUpdate(s.state(), "dom0", false);
        assertEquals("Restarts.refusedWhileTransactions", o.rule().id());
        Set<Reply> replies = o.allowed().stream().map(Allowed::reply).collect(Collectors.toSet());
        assertEquals(Set.of(new Reply.Text("Domains with long running transactions:\nDomain 0: 0 s"),
                new Reply.Text("Domains with long running transactions:\nDomain 0: 1 s")), replies);
        assertTrue(o.allowed().stream().allMatch(a -> a.next().equals(s.state())), "state unchanged");
    }

    @Test
    void cListsTheDomainsHoldingTransactionsInTheOrderOfItsConnectionsWhichMayBeAny() {
        // gate seed 50065: a reused C daemon answered "Domain 1 ... Domain 2 ... Domain 0"
        Session s = Session.withGuest(Dialect.CXENSTORED, 1);
        s.send(new Request.TransactionStart());
        s.guest(new Request.TransactionStart());
        Set<Reply> replies = s.model.liveUpdate(s.state(), "dom0", false).allowed().stream().map(Allowed::reply)
                .collect(Collectors.toSet());
        assertTrue(replies.contains(new Reply.Text("Domains with long running transactions:\nDomain 0: 0 s\nDomain 1: 0 s")));
        assertTrue(replies.contains(new Reply.Text("Domains with long running transactions:\nDomain 1: 0 s\nDomain 0: 1 s")));
        assertEquals(8, replies.size(), "two orders, each with both ages for each domain");
    }

    @Test
    void cDropsOpenTransactionsOnAForcedUpdate() {
        Session s = Session.dom0(Dialect.CXENSTORED);
        long tx = ((Reply.TransactionId) s.send(new Request.TransactionStart())).id();
        s.on("dom0", tx, new Request.Write("/t", Bytes.latin1("v")));
        assertEquals(new Reply.Text("OK"), liveUpdate(s, true).reply());
        assertEquals("Restarts.forcedDropsTransactions", s.lastRule);
        assertEquals(err("ENOENT"), s.on("dom0", tx, new Request.TransactionEnd(true)));
        assertEquals(err("ENOENT"), s.send(new Request.Read("/t")));
        // ids start again at 1 on the existing connection
        assertEquals(new Reply.TransactionId(1), s.send(new Request.TransactionStart()));
    }

    @Test
    void oxenstoredIsBusyWhileATransactionIsOpenForcedOrNotAndKeepsIt() {
        for (boolean force : List.of(false, true)) {
            Session s = Session.dom0(Dialect.OXENSTORED);
            long tx = ((Reply.TransactionId) s.send(new Request.TransactionStart())).id();
            s.on("dom0", tx, new Request.Write("/t", Bytes.latin1("v")));
            assertEquals(BUSY, liveUpdate(s, force).reply());
            assertEquals("Restarts.busyWhileTransactions", s.lastRule);
            assertEquals(ok(), s.on("dom0", tx, new Request.TransactionEnd(true)));
            assertEquals(new Reply.Value(Bytes.latin1("v")), s.send(new Request.Read("/t")));
        }
    }

    @Test
    void oxenstoredIsBusyWhileADomainHasATarget() {
        Session s = Session.withGuest(Dialect.OXENSTORED, 2);
        s.send(new Request.Introduce(3, 4712, 9));
        assertEquals(ok(), s.send(new Request.SetTarget(2, 3)));
        assertEquals(BUSY, liveUpdate(s, true).reply());
        assertEquals("Restarts.busyWhileTargets", s.lastRule);
    }

    @Test
    void onlyDom0MayAskAndOnlyDaemonsLiveUpdate() {
        Session c = Session.withGuest(Dialect.CXENSTORED, 2);
        assertEquals(err("EACCES"), c.model.liveUpdate(c.state(), "g", false).single().reply());
        Session q = Session.dom0(Dialect.QEMU);
        assertEquals(err("EACCES"), q.model.liveUpdate(q.state(), "dom0", false).single().reply());
        Session spec = Session.dom0(Dialect.SPEC);
        assertEquals(err("EINVAL"), spec.model.liveUpdate(spec.state(), "dom0", false).single().reply());
    }

    @Test
    void onlyQemusFrontEndMigratesAndOnlyForDom0() {
        Session q = Session.withGuest(Dialect.QEMU, 1);
        assertEquals(new Reply.Text("OK"), q.model.migrate(q.state(), "dom0").single().reply());
        assertEquals(err("EACCES"), q.model.migrate(q.state(), "g").single().reply(), "as any CONTROL from a guest");
        Session c = Session.dom0(Dialect.CXENSTORED);
        assertEquals(err("EINVAL"), c.model.migrate(c.state(), "dom0").single().reply());
    }

    @Test
    void aMigrationKeepsTheTreeTransactionsAndTheGuestsWatchesButNotDom0s() {
        // probe qemu-migrate.txt "tree, permissions, transactions, guest watches; dom0's watch"
        Session s = Session.withGuest(Dialect.QEMU, 1);
        s.send(new Request.Watch("/pub", "d"));
        s.guest(new Request.Watch("/pub", "g"));
        s.drain("dom0");
        s.drain("g");
        long tx = s.start("g");
        s.on("g", tx, new Request.Write("/pub/intx", Bytes.latin1("t")));
        ModelState before = s.state();
        Allowed a = s.model.migrate(before, "dom0").single();
        s.follow(a);
        assertEquals(new Reply.Text("OK"), a.reply());
        assertTrue(a.events().isEmpty(), "a migration fires nothing itself");
        assertEquals(before.tree(), s.state().tree());
        assertEquals(ok(), s.on("g", tx, new Request.TransactionEnd(true)), "the transaction is kept");
        assertEquals(List.of(new WatchEvent("/pub/intx", "g")), s.drain("g"), "the guest's watch fires as before");
        assertEquals(List.of(), s.drain("dom0"), "dom0's watch is not the guest's state: gone");
    }

    @Test
    void watchesOfTwoGuestConnectionsRefuseAMigrationWithNothingChanged() {
        // probe qemu-migrate.txt "two guests": QEMU's stream has one owner for every watch
        Session s = Session.withGuest(Dialect.QEMU, 1);
        s.connect("h", 2);
        s.guest(new Request.Watch("/pub", "g"));
        s.on("h", new Request.Watch("/pub", "h"));
        ModelState before = s.state();
        Allowed a = s.model.migrate(before, "dom0").single();
        assertEquals(err("EBUSY"), a.reply());
        assertEquals(before, a.next());
        s.on("h", new Request.ResetWatches());
        assertEquals(new Reply.Text("OK"), s.model.migrate(s.state(), "dom0").single().reply(),
                "one watching guest connection left");
    }
}
