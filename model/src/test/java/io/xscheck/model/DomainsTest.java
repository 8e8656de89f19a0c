package io.xscheck.model;

import static io.xscheck.model.Examples.err;
import static io.xscheck.model.Examples.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Examples of the domain rules ({@link Domains}). */
class DomainsTest {

    @Test
    void introduceFiresIntroduceDomainForDom0Watchers() {
        Session s = Session.dom0(Dialect.CXENSTORED);
        s.send(new Request.Watch("@introduceDomain", "i"));
        s.drain("dom0");
        assertEquals(ok(), s.send(new Request.Introduce(5, 1, 9)));
        assertEquals(List.of(new WatchEvent("@introduceDomain", "i")), s.drain("dom0"));
        assertEquals(new Reply.Text("T"), s.send(new Request.IsDomainIntroduced(5)));
        assertEquals(new Reply.Text("F"), s.send(new Request.IsDomainIntroduced(6)));
    }

    @Test
    void guestDoesNotSeeIntroduceDomainWithTheDefaultAcl() {
        // probes *-domU.txt "domU WATCH @introduceDomain, dom0 INTRODUCE 5": only the registration event
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.withGuest(d, 2);
            s.guest(new Request.Watch("@introduceDomain", "ti"));
            s.drain("g");
            s.send(new Request.Introduce(5, 1, 9));
            assertEquals(List.of(), s.drain("g"), d);
        }
    }

    @Test
    void domainOpsArePrivileged() {
        // probes *-domU.txt "domU IS_DOMAIN_INTRODUCED 2" EACCES
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.withGuest(d, 2);
            assertEquals(err("EACCES"), s.guest(new Request.IsDomainIntroduced(2)), d);
            assertEquals(err("EACCES"), s.guest(new Request.Introduce(5, 1, 1)), d);
        }
    }

    @Test
    void getDomainPathAnswersAnyoneButIsEnosysInQemu() {
        // probes: C and oxenstored "GET_DOMAIN_PATH 5" -> /local/domain/5, also from a guest
        assertEquals(new Reply.Text("/local/domain/7"), Session.withGuest(Dialect.CXENSTORED, 2).guest(new Request.GetDomainPath(7)));
        assertEquals(new Reply.Text("/local/domain/5"), Session.dom0(Dialect.OXENSTORED).send(new Request.GetDomainPath(5)));
        assertEquals(err("ENOSYS"), Session.dom0(Dialect.QEMU).send(new Request.GetDomainPath(5)));
    }

    @Test
    void releaseOfAnUnknownDomainIsEnoentInCAndEinvalInOxenstored() {
        assertEquals(err("ENOENT"), Session.dom0(Dialect.CXENSTORED).send(new Request.Release(9)));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.OXENSTORED).send(new Request.Release(9)));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.CXENSTORED).send(new Request.Release(0)));
    }

    @Test
    void deathRemovesTheDomainsNodesWithEventsInCAndSilentlyInOxenstored() {
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.withGuest(d, 2);
            s.guest(new Request.Write("x", Bytes.latin1("v")));
            s.send(new Request.Watch("/local/domain/2/x", "gone"));
            s.send(new Request.Watch("@releaseDomain", "rel"));
            s.drain("dom0");
            Outcome o = s.model.killDomain(s.state(), 2);
            s.follow(o.single());
            assertEquals(err("ENOENT"), s.send(new Request.Read("/local/domain/2/x")), d);
            assertEquals(err("ENOENT"), s.send(new Request.Read("/local/domain/2")), d);
            assertTrue(s.state().connection("g").isEmpty(), d);
            assertEquals(new Reply.Text("F"), s.send(new Request.IsDomainIntroduced(2)));
            List<WatchEvent> got = s.drain("dom0");
            assertTrue(got.contains(new WatchEvent("@releaseDomain", "rel")), d);
            assertEquals(d.equals(Dialect.CXENSTORED), got.contains(new WatchEvent("/local/domain/2/x", "gone")), d);
        }
    }

    /**
     * XSA-322: a dead domain's ACL entries grant nothing to a later domain with its id. oxenstored and the
     * spec drop them; C keeps them listed (GET_PERMS) but flagged.
     */
    @Test
    void aDeadDomainsAclEntriesGrantNothingToItsSuccessor() {
        for (String d : List.of(Dialect.SPEC, Dialect.OXENSTORED, Dialect.CXENSTORED, Dialect.CXENSTORED_420)) {
            Session s = Session.withGuest(d, 2);
            s.send(new Request.Write("/shared", Bytes.latin1("v")));
            s.send(new Request.SetPerms("/shared", List.of(Perm.none(0), Perm.read(2))));
            assertEquals(new Reply.Value(Bytes.latin1("v")), s.guest(new Request.Read("/shared")), d);
            s.follow(s.model.killDomain(s.state(), 2).single());
            s.send(new Request.Introduce(2, 4711, 9));
            s.connect("g2", 2);
            assertEquals(err("EACCES"), s.on("g2", 0, new Request.Read("/shared")), d);
            boolean c = d.startsWith("cxenstored");
            assertEquals(c ? List.of(Perm.none(0), Perm.read(2)) : List.of(Perm.none(0)),
                    ((Reply.Perms) s.send(new Request.GetPerms("/shared"))).perms(), d);
            // A fresh grant to the new domain works as any other.
            s.send(new Request.SetPerms("/shared", List.of(Perm.none(0), Perm.read(2))));
            assertEquals(new Reply.Value(Bytes.latin1("v")), s.on("g2", 0, new Request.Read("/shared")), d);
        }
    }

    /** C domain_alloc_permrefs: an entry naming a domain the hypervisor does not know yet never grants. */
    @Test
    void cEntriesForAnUnknownDomainGrantNothingWhenItArrives() {
        for (String d : List.of(Dialect.CXENSTORED, Dialect.CXENSTORED_420, Dialect.OXENSTORED)) {
            Session s = Session.dom0(d);
            s.send(new Request.Write("/early", Bytes.latin1("v")));
            assertEquals(ok(), s.send(new Request.SetPerms("/early", List.of(Perm.none(0), Perm.read(5)))), d);
            s.send(new Request.Introduce(5, 4711, 9));
            s.connect("g5", 5);
            boolean c = d.startsWith("cxenstored");
            assertEquals(c ? err("EACCES") : new Reply.Value(Bytes.latin1("v")), s.on("g5", 0, new Request.Read("/early")), d);
            assertEquals(List.of(Perm.none(0), Perm.read(5)), ((Reply.Perms) s.send(new Request.GetPerms("/early"))).perms(), d);
        }
    }

    @Test
    void cReintroduceDropsTheGuestsTransactionsAndWatches() {
        // probe run: G2 tx T1; A introduce 2; G2 abort T1 -> ENOENT in C
        Session s = Session.withGuest(Dialect.CXENSTORED, 2);
        long tx = s.start("g");
        s.send(new Request.Introduce(2, 4711, 9));
        assertEquals(err("ENOENT"), s.on("g", tx, new Request.TransactionEnd(false)));
        Session o = Session.withGuest(Dialect.OXENSTORED, 2);
        long to = o.start("g");
        o.send(new Request.Introduce(2, 4711, 9));
        assertEquals(ok(), o.on("g", to, new Request.TransactionEnd(false)));
    }

    @Test
    void unknownControlCommandPerDialect() {
        Request ctl = new Request.Control(List.of("no-such-command"));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.CXENSTORED).send(ctl));
        // oxenstored acks it: "OK\0" under type CONTROL, text like every CONTROL answer (probe versions/ox-control-compact.trace)
        assertEquals(new Reply.Text("OK"), Session.dom0(Dialect.OXENSTORED).send(ctl));
        // probe qemu-xenstore-impl.txt "d0 CONTROL other" -> EACCES
        assertEquals(err("EACCES"), Session.dom0(Dialect.QEMU).send(ctl));
        assertEquals(err("EACCES"), Session.withGuest(Dialect.CXENSTORED, 2).guest(ctl));
    }

    @Test
    void oxenstoredAnswersCompactFromXen418On() {
        // process.ml do_debug; probe versions/ox-control-compact.trace: 4.17.7 "OK", 4.20.4 "Compacted" (no NUL)
        Request compact = new Request.Control(List.of("compact"));
        assertEquals(new Reply.Text("OK"), Session.dom0(Dialect.OXENSTORED).send(compact));
        assertEquals(new Reply.Value(Bytes.latin1("Compacted")), Session.dom0(Dialect.OXENSTORED_420).send(compact));
        assertEquals(new Reply.Value(Bytes.latin1("trimmed")),
                Session.dom0(Dialect.OXENSTORED_420).send(new Request.Control(List.of("trim"))));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.CXENSTORED_420).send(compact));
    }

    @Test
    void aKilledDomainIntroducedAgainIsCleanedUpAtTheNextDeath() {
        // probe runs (rep6, both daemons): kill 2, watch @releaseDomain, introduce 2, kill 1 -> @releaseDomain
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.dom0(d);
            s.follow(s.model.killDomain(s.state(), 2).single());
            s.send(new Request.Watch("@releaseDomain", "t3"));
            s.drain("dom0");
            s.send(new Request.Introduce(2, 1, 9));
            s.follow(s.model.killDomain(s.state(), 1).single());
            assertEquals(List.of(new WatchEvent("@releaseDomain", "t3")), s.drain("dom0"), d);
            assertEquals(new Reply.Text("F"), s.send(new Request.IsDomainIntroduced(2)), d);
        }
    }

    @Test
    void setTargetNeedsAnIntroducedDomain() {
        Session s = Session.dom0(Dialect.CXENSTORED);
        assertEquals(err("ENOENT"), s.send(new Request.SetTarget(4, 0)));
        s.send(new Request.Introduce(4, 1, 9));
        assertEquals(ok(), s.send(new Request.SetTarget(4, 0)));
    }

    @Test
    void specialAclIsSettableInC() {
        Session s = Session.withGuest(Dialect.CXENSTORED, 2);
        assertEquals(ok(), s.send(new Request.SetPerms("@introduceDomain", List.of(Perm.none(0), Perm.read(2)))));
        s.guest(new Request.Watch("@introduceDomain", "ti"));
        s.drain("g");
        s.send(new Request.Introduce(5, 1, 9));
        assertEquals(List.of(new WatchEvent("@introduceDomain", "ti")), s.drain("g"));
    }

    @Test
    void dom0IsIntroducedAndReleaseOrResumeOfItDiffer() {
        // probes: IS_DOMAIN_INTRODUCED 0 -> T (both, fresh daemons); RESUME 0 C EINVAL / oxenstored OK
        assertEquals(new Reply.Text("T"), Session.dom0(Dialect.CXENSTORED).send(new Request.IsDomainIntroduced(0)));
        assertEquals(new Reply.Text("T"), Session.dom0(Dialect.OXENSTORED).send(new Request.IsDomainIntroduced(0)));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.CXENSTORED).send(new Request.Resume(0)));
        assertEquals(ok(), Session.dom0(Dialect.OXENSTORED).send(new Request.Resume(0)));
    }

    @Test
    void oxenstoredReleaseOfAnUnknownDomainStillRemovesWhatItOwned() {
        // oxenstored do_release: reset_permissions, then EINVAL (probe "RELEASE 7" EINVAL; RELEASE 0 wiped dom0's nodes)
        Session o = Session.dom0(Dialect.OXENSTORED);
        o.send(new Request.Write("/owned", Bytes.EMPTY));
        o.send(new Request.SetPerms("/owned", List.of(Perm.none(7))));
        o.send(new Request.Write("/shared", Bytes.EMPTY));
        o.send(new Request.SetPerms("/shared", List.of(Perm.none(0), Perm.read(7))));
        assertEquals(err("EINVAL"), o.send(new Request.Release(7)));
        assertEquals(err("ENOENT"), o.send(new Request.Read("/owned")));
        assertEquals(new Reply.Perms(List.of(Perm.none(0))), o.send(new Request.GetPerms("/shared")));
        Session c = Session.dom0(Dialect.CXENSTORED);
        c.send(new Request.Write("/owned", Bytes.EMPTY));
        assertEquals(err("ENOENT"), c.send(new Request.Release(7)));
        assertEquals(Examples.value(""), c.send(new Request.Read("/owned")));
    }
}
