package io.xscheck.model;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static io.xscheck.model.Examples.err;
import static io.xscheck.model.Examples.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One example per knob in which the 4.20 dialects differ from their 4.17 rows, each next to what
 * 4.17 answers (probes cxenstored-4.20.4-probes.txt and versions/*.trace).
 */
class Dialects420Test {

    private static final String C417 = Dialect.CXENSTORED;
    private static final String C420 = Dialect.CXENSTORED_420;

    @Test
    void specialNodesAnswerGetPermsFrom418() {
        assertEquals(err("EINVAL"), Session.dom0(C417).send(new Request.GetPerms("@introduceDomain")));
        Session s = Session.withGuest(C420, 2);
        assertEquals(new Reply.Perms(List.of(Perm.none(0))), s.send(new Request.GetPerms("@introduceDomain")));
        assertEquals(err("EACCES"), s.guest(new Request.GetPerms("@releaseDomain")));
        assertEquals(err("ENOENT"), s.send(new Request.GetPerms("@foo")));
        assertEquals(err("EACCES"), s.guest(new Request.GetPerms("@foo")), "a guest may not read /");
        assertEquals(err("ENOENT"), s.send(new Request.SetPerms("@foo", List.of(Perm.none(0)))));
        assertEquals(err("EINVAL"), s.send(new Request.Read("@introduceDomain")), "other requests still refuse @ names");
    }

    @Test
    void setPermsOfASpecialNodeFiresItsWatchesAndTheRootsFrom418() {
        for (String d : List.of(C417, C420)) {
            Session s = Session.dom0(d);
            s.send(new Request.Watch("@introduceDomain", "t"));
            s.send(new Request.Watch("/", "root"));
            s.drain("dom0");
            assertEquals(ok(), s.send(new Request.SetPerms("@introduceDomain", List.of(Perm.none(0), Perm.read(1)))));
            Set<WatchEvent> expected = d.equals(C420)
                    ? Set.of(new WatchEvent("@introduceDomain", "t"), new WatchEvent("@introduceDomain", "root")) : Set.of();
            assertEquals(expected, Set.copyOf(s.drain("dom0")), d);
        }
    }

    @Test
    void aRefusedSpecialGetPermsInATransactionReadsTheRoot() {
        Session s = Session.withGuest(C420, 2);
        s.send(new Request.Write("/local", Bytes.latin1("v")));
        long tx = s.start("g");
        assertEquals(err("EACCES"), s.on("g", tx, new Request.GetPerms("@introduceDomain")));
        s.send(new Request.Rm("/local"));
        assertEquals(err("EAGAIN"), s.on("g", tx, new Request.TransactionEnd(true)));
    }

    @Test
    void dom0PathsLongerThan2048AreAcceptedFrom418GuestsStillLimited() {
        String longPath = "/" + "l".repeat(2100);
        assertEquals(err("EINVAL"), Session.dom0(C417).send(new Request.Write(longPath, Bytes.EMPTY)));
        Session s = Session.withGuest(C420, 2);
        assertEquals(ok(), s.send(new Request.Write(longPath, Bytes.EMPTY)));
        assertEquals(ok(), s.send(new Request.Watch(longPath, "t")));
        assertEquals(err("EINVAL"), s.guest(new Request.Write("x/" + "l".repeat(2100), Bytes.EMPTY)));
    }

    @Test
    void unwatchChecksItsPathFrom418() {
        assertEquals(err("ENOENT"), Session.dom0(C417).send(new Request.Unwatch("/x/", "t")));
        assertEquals(err("EINVAL"), Session.dom0(C420).send(new Request.Unwatch("/x/", "t")));
        assertEquals(err("ENOENT"), Session.dom0(C420).send(new Request.Unwatch("/x", "t")));
    }

    @Test
    void aReadableRootShowsSpecialEventsToGuestsFrom418() {
        for (String d : List.of(C417, C420)) {
            Session s = Session.withGuest(d, 2);
            s.send(new Request.SetPerms("/", List.of(Perm.read(0))));
            s.guest(new Request.Watch("@introduceDomain", "t"));
            s.drain("g");
            s.send(new Request.Introduce(3, 4712, 9));
            List<WatchEvent> expected = d.equals(C420) ? List.of(new WatchEvent("@introduceDomain", "t")) : List.of();
            assertEquals(expected, s.drain("g"), d);
        }
    }

    @Test
    void aSpecialNodesAclSetInATransactionIsItsOwnUntilTheCommitFiresTheWatch() {
        Session s = Session.dom0(C420);
        s.connect("other", 0);
        s.send(new Request.Watch("@introduceDomain", "t"));
        s.drain("dom0");
        long tx = s.start("dom0");
        List<Perm> acl = List.of(Perm.none(0), Perm.read(1));
        assertEquals(ok(), s.on("dom0", tx, new Request.SetPerms("@introduceDomain", acl)));
        assertEquals(List.of(), s.drain("dom0"), "no event before the commit");
        assertEquals(new Reply.Perms(acl), s.on("dom0", tx, new Request.GetPerms("@introduceDomain")));
        assertEquals(new Reply.Perms(List.of(Perm.none(0))), s.on("other", new Request.GetPerms("@introduceDomain")));
        assertEquals(ok(), s.on("dom0", tx, new Request.TransactionEnd(true)));
        assertEquals(List.of(new WatchEvent("@introduceDomain", "t")), s.drain("dom0"));
        assertEquals(new Reply.Perms(acl), s.on("other", new Request.GetPerms("@introduceDomain")));
    }

    @Test
    void oxenstored420RecordsItsInstalledPath() {
        assertEquals(Bytes.latin1("/usr/lib/xen-4.20/bin/oxenstored"),
                Dialect.named(Dialect.OXENSTORED_420).initialNodes().get("/tool/xenstored"));
    }
}
