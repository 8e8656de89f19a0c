package io.xscheck.model;

import static io.xscheck.model.Examples.err;
import static io.xscheck.model.Examples.ok;
import static io.xscheck.model.Examples.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Examples of the permission rules ({@link Permissions}, {@link Acl}), mostly from a guest's side. */
class PermissionsTest {

    static List<String> dialects() {
        return Dialect.names();
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void guestCannotReadOrWriteANodeItHasNoRightsOn(String dialect) {
        Session s = Session.withGuest(dialect, 2);
        assertEquals(err("EACCES"), s.guest(new Request.Read("/hidden")));
        assertEquals(err("EACCES"), s.guest(new Request.Write("/hidden/z", Bytes.EMPTY)));
        assertEquals(err("EACCES"), s.guest(new Request.Rm("/hidden")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void guestWritesWhereTheAclAllows(String dialect) {
        Session s = Session.withGuest(dialect, 2);
        assertEquals(ok(), s.guest(new Request.Write("/pub/new", Bytes.latin1("v"))));
        assertEquals(value("v"), s.guest(new Request.Read("/pub/new")));
        assertEquals(ok(), s.guest(new Request.Write("x", Bytes.latin1("rel"))));
        assertEquals(value("rel"), s.send(new Request.Read("/local/domain/2/x")));
    }

    @Test
    void nodeAGuestCreatesIsOwnedByItInCAndByTheParentsOwnerElsewhere() {
        // probes *-domU.txt "domU WRITE /pub/new": C "n2 b2", oxenstored "n0 b2"; QEMU copies the parent (qemu-xenstore-impl.txt)
        Session c = Session.withGuest(Dialect.CXENSTORED, 2);
        c.guest(new Request.Write("/pub/a/b", Bytes.EMPTY));
        assertEquals(new Reply.Perms(List.of(Perm.none(2), Perm.both(2))), c.send(new Request.GetPerms("/pub/a")));
        for (String d : List.of(Dialect.OXENSTORED, Dialect.QEMU)) {
            Session o = Session.withGuest(d, 2);
            o.guest(new Request.Write("/pub/a/b", Bytes.EMPTY));
            assertEquals(new Reply.Perms(List.of(Perm.none(0), Perm.both(2))), o.send(new Request.GetPerms("/pub/a")), d);
        }
    }

    @Test
    void giveAwayOwnershipIsEpermInCAndQemuAndEaccesInOxenstored() {
        // probes *-domU.txt "domU SET_PERMS x n0"; qemu-xenstore-impl.txt "SET_PERMS data/foo n2 (give away)"
        for (String d : Dialect.names()) {
            Session s = Session.withGuest(d, 2);
            s.guest(new Request.Write("x", Bytes.EMPTY));
            String expected = d.startsWith("oxenstored-") ? "EACCES" : "EPERM";
            assertEquals(err(expected), s.guest(new Request.SetPerms("x", List.of(Perm.none(0)))), d);
        }
    }

    @Test
    void missingNodeUnderAnUnreadableParentIsEaccesInCAndEnoentInOxenstored() {
        // probes *-domU.txt "domU READ /hidden/missing"
        assertEquals(err("EACCES"), Session.withGuest(Dialect.CXENSTORED, 2).guest(new Request.Read("/hidden/missing")));
        assertEquals(err("ENOENT"), Session.withGuest(Dialect.OXENSTORED, 2).guest(new Request.Read("/hidden/missing")));
        assertEquals(err("ENOENT"), Session.withGuest(Dialect.QEMU, 2).guest(new Request.Read("/hidden/missing")));
    }

    @Test
    void rmOfMissingNodeUnderAnUnwritableParentIsEaccesInCAndOkInOxenstored() {
        // probes *-domU.txt "domU RM /hidden/missing"
        assertEquals(err("EACCES"), Session.withGuest(Dialect.CXENSTORED, 2).guest(new Request.Rm("/hidden/missing")));
        assertEquals(ok(), Session.withGuest(Dialect.OXENSTORED, 2).guest(new Request.Rm("/hidden/missing")));
    }

    @Test
    void moreThanFivePermsFromAGuestIsEnospcInCAndAcceptedInOxenstored() {
        // probes *-domU.txt "domU SET_PERMS x ... (6 entries)"
        List<Perm> six = List.of(Perm.none(2), Perm.read(1), Perm.read(3), Perm.read(4), Perm.read(5), Perm.read(6));
        Session c = Session.withGuest(Dialect.CXENSTORED, 2);
        c.guest(new Request.Write("x", Bytes.EMPTY));
        assertEquals(err("ENOSPC"), c.guest(new Request.SetPerms("x", six)));
        assertEquals(ok(), c.guest(new Request.SetPerms("x", six.subList(0, 5))));
        Session o = Session.withGuest(Dialect.OXENSTORED, 2);
        o.guest(new Request.Write("x", Bytes.EMPTY));
        assertEquals(ok(), o.guest(new Request.SetPerms("x", six)));
    }

    @Test
    void cChecksSetPermsEntriesBeforeThePath() {
        // probe run: C "setperms @introduceDomain" with 7 entries from a guest -> ENOSPC; "setperms '/a b' w7 ..." -> ENOENT
        List<Perm> seven = List.of(Perm.none(0), Perm.both(2), Perm.write(3), Perm.none(1), Perm.read(0), Perm.read(7), Perm.read(7));
        assertEquals(err("ENOSPC"), Session.withGuest(Dialect.CXENSTORED, 2).guest(new Request.SetPerms("@introduceDomain", seven)));
        assertEquals(err("ENOENT"), Session.dom0(Dialect.CXENSTORED).send(new Request.SetPerms("/a b", List.of(Perm.write(7)))));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.OXENSTORED).send(new Request.SetPerms("/a b", List.of(Perm.write(7)))));
    }

    @Test
    void aKilledDomainStillExistsForCsOwnerCheck() {
        // probe run: kill 1, then SET_PERMS / n1 b2 -> OK in C (the fake hypervisor keeps the dying domain)
        Session s = Session.withGuest(Dialect.CXENSTORED, 1);
        s.follow(s.model.killDomain(s.state(), 1).single());
        assertEquals(ok(), s.send(new Request.SetPerms("/", List.of(Perm.none(1), Perm.both(2)))));
    }

    @Test
    void setPermsNeedsOwnershipNotJustWriteAccess() {
        // probe run: G1 SET_PERMS on a node it may write but does not own -> EACCES (C and oxenstored); QEMU EPERM
        for (String d : Dialect.names()) {
            Session s = Session.withGuest(d, 2);
            s.send(new Request.Write("/pub/w", Bytes.EMPTY));
            String expected = d.equals(Dialect.QEMU) ? "EPERM" : "EACCES";
            assertEquals(err(expected), s.guest(new Request.SetPerms("/pub/w", List.of(Perm.none(0), Perm.both(2)))), d);
        }
    }

    @Test
    void cAnswersAStaleErrnoWhenSettingTheAclOfAnUnknownAtName() {
        // probe run: guest SET_PERMS @other r0 w1 w2 r2 -> EACCES (do_set_perms returns errno); EEXIST right after
        // a live update (docs/divergences.md); ENOSPC or EIO left by the request before (gate, seed 34005)
        Session s = Session.withGuest(Dialect.CXENSTORED, 2);
        Outcome o = s.outcome("g", 0, new Request.SetPerms("@other", List.of(Perm.read(0), Perm.write(2))));
        assertEquals(java.util.Set.of(err("EINVAL"), err("ENOENT"), err("EACCES"), err("EEXIST"), err("ENOSPC"), err("EIO")),
                o.allowed().stream().map(Allowed::reply).collect(java.util.stream.Collectors.toSet()));
        assertEquals("Permissions.setSpecialPermsStaleErrno", o.rule().id());
    }

    @Test
    void setPermsNamingAnUnknownOwnerIsEnoentInC() {
        // probes *-dom0.txt "SET_PERMS /g w7": C ENOENT, oxenstored OK
        Session c = Session.dom0(Dialect.CXENSTORED);
        c.send(new Request.Write("/g", Bytes.EMPTY));
        assertEquals(err("ENOENT"), c.send(new Request.SetPerms("/g", List.of(Perm.write(7)))));
        assertEquals(ok(), c.send(new Request.SetPerms("/g", List.of(Perm.both(0), Perm.read(8)))));
        Session o = Session.dom0(Dialect.OXENSTORED);
        o.send(new Request.Write("/g", Bytes.EMPTY));
        assertEquals(ok(), o.send(new Request.SetPerms("/g", List.of(Perm.write(7)))));
        assertEquals(new Reply.Perms(List.of(Perm.write(7))), o.send(new Request.GetPerms("/g")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void setPermsWithoutEntriesIsEinval(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/g", Bytes.EMPTY));
        assertEquals(err("EINVAL"), s.send(new Request.SetPerms("/g", List.of())));
    }

    @Test
    void firstMatchingEntryWinsInCAndTheLastInQemu() {
        List<Perm> acl = List.of(Perm.none(0), Perm.read(2), Perm.none(2));
        Session c = Session.withGuest(Dialect.CXENSTORED, 2);
        c.send(new Request.SetPerms("/hidden", acl));
        assertEquals(value(""), c.guest(new Request.Read("/hidden")));
        Session q = Session.withGuest(Dialect.QEMU, 2);
        q.send(new Request.SetPerms("/hidden", acl));
        assertEquals(err("EACCES"), q.guest(new Request.Read("/hidden")));
    }

    @Test
    void ownerHasFullAccessWhateverTheLetter() {
        Session s = Session.withGuest(Dialect.CXENSTORED, 2);
        s.send(new Request.SetPerms("/hidden", List.of(Perm.none(2))));
        assertEquals(ok(), s.guest(new Request.Write("/hidden", Bytes.latin1("mine"))));
    }

    @Test
    void targetDomainActsWithTheTargetsRights() {
        Session s = Session.withGuest(Dialect.CXENSTORED, 2);
        s.send(new Request.Introduce(3, 1, 9));
        s.send(new Request.SetPerms("/hidden", List.of(Perm.none(3))));
        assertEquals(err("EACCES"), s.guest(new Request.Read("/hidden")));
        assertEquals(ok(), s.send(new Request.SetTarget(2, 3)));
        assertEquals(value(""), s.guest(new Request.Read("/hidden")));
    }

    @Test
    void qemuCountsSetPermsEntriesOnlyOnANodeTheGuestMayChange() {
        // probe run: qemu guest SET_PERMS with 7 entries: missing node -> ENOENT, dom0's node -> EACCES; C -> ENOSPC
        List<Perm> seven = List.of(Perm.none(2), Perm.none(0), Perm.none(0), Perm.none(0), Perm.none(0), Perm.none(0), Perm.none(0));
        Session q = Session.withGuest(Dialect.QEMU, 2);
        assertEquals(err("ENOENT"), q.guest(new Request.SetPerms("/local/domain/2/missing", seven)));
        assertEquals(err("EACCES"), q.guest(new Request.SetPerms("/hidden", seven)));
        assertEquals(err("ENOSPC"), q.guest(new Request.SetPerms("/local/domain/2", seven)));
        assertEquals(err("ENOSPC"), Session.withGuest(Dialect.CXENSTORED, 2).guest(new Request.SetPerms("/local/domain/2/missing", seven)));
    }

    @Test
    void canonicalAclDropsRedundantEntriesAndIsIdempotent() {
        ImmutableList<Perm> acl = ImmutableList.of(Perm.read(0), Perm.write(5), Perm.read(3), Perm.none(5), Perm.both(0));
        ImmutableList<Perm> canon = Acl.canonical(acl);
        assertEquals(List.of(Perm.read(0), Perm.write(5)), canon);
        assertEquals(canon, Acl.canonical(canon));
    }

    @Test
    void aDomainTargetingDom0IsPrivilegedInOxenstoredOnly() {
        // oxenstored perms.ml is_dom0 includes the target; C domain_is_unprivileged looks at the domid alone
        for (String d : List.of(Dialect.CXENSTORED, Dialect.OXENSTORED)) {
            Session s = Session.withGuest(d, 2);
            s.send(new Request.SetTarget(2, 0));
            Reply r = s.guest(new Request.IsDomainIntroduced(2));
            assertEquals(d.equals(Dialect.OXENSTORED) ? new Reply.Text("T") : err("EACCES"), r, d);
            // both: the target's rights on dom0's nodes (owner equivalence)
            assertEquals(value(""), s.guest(new Request.Read("/hidden")), d);
        }
    }
}
