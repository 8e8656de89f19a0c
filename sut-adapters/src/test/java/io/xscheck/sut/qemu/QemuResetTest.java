package io.xscheck.sut.qemu;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.TreeImage;
import io.xscheck.sut.TreeRestorer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A QEMU server reset for the next test case answers as a fresh one: the case's nodes, ACLs,
 * watches and open transactions are gone (QEMU keeps a connection's transactions across
 * RESET_WATCHES, so a reset by that alone would leave them), the next transaction id and the
 * generation counts are a fresh server's, and the connections kept for the next case speak as
 * the domains they declared, with nothing of the last case queued.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QemuResetTest {

    private static Request.Write write(String path, String value) {
        return new Request.Write(path, Bytes.latin1(value));
    }

    private static long startTransaction(SutConnection c) {
        return ((Reply.TransactionId) c.call(0, new Request.TransactionStart())).id();
    }

    /** What a fresh server answers to the first requests of a case that starts a transaction. */
    private static List<Reply> firstAnswers(SutConnection dom0) {
        List<Reply> out = new ArrayList<>();
        out.add(dom0.call(0, new Request.TransactionStart()));
        out.add(dom0.call(0, new Request.DirectoryPart("/", 0)));
        out.add(dom0.call(0, new Request.DirectoryPart("/local", 0)));
        out.add(dom0.call(0, write("/n", "v")));
        out.add(dom0.call(0, new Request.DirectoryPart("/", 0)));
        return out;
    }

    @Test
    void aResetServerLeavesNoNodeWatchTransactionOrEventOfTheLastCase() {
        List<Reply> fresh;
        TreeImage freshTree;
        try (QemuSut other = QemuTargets.start(); SutConnection dom0 = other.openPrivileged()) {
            freshTree = TreeImage.read(dom0, "/", TreeRestorer.MAX_NODES);
            fresh = firstAnswers(dom0);
        }
        try (QemuSut sut = QemuTargets.start()) {
            assertTrue(sut.resettable());
            SutConnection dom0 = sut.openCasePrivileged();
            SutConnection guest = sut.openCaseGuest(1);
            assertEquals(new Reply.Ok(), dom0.call(0, write("/a/b", "x")));
            assertEquals(new Reply.Ok(), dom0.call(0, write("/local/domain/1", "")));
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.SetPerms("/local/domain/1", List.of(Perm.none(1)))));
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.SetPerms("/local", List.of(Perm.none(0), Perm.read(1)))));
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.Watch("/a", "t")));
            assertEquals(new Reply.Ok(), guest.call(0, new Request.Watch("/local", "g")));
            long dom0Tx = startTransaction(dom0);
            assertEquals(new Reply.Ok(), dom0.call((int) dom0Tx, write("/in-tx", "1")));
            startTransaction(guest);
            startTransaction(guest);
            assertEquals(new Reply.Ok(), dom0.call(0, write("/a", "fires")));
            assertNotEquals(freshTree, TreeImage.read(sut.openInspector(), "/", TreeRestorer.MAX_NODES));
            // Left open, as a case that ends mid-transaction leaves them; the watch's event left queued too.
            dom0.close();
            guest.close();

            assertTrue(sut.reset(Set.of(1), Set.of(1)), "reset");

            SutConnection again = sut.openCasePrivileged();
            SutConnection guestAgain = sut.openCaseGuest(1);
            assertEquals(List.of(), again.drainEvents(), "the last case's queued events are gone");
            assertEquals(new Reply.Error("ENOENT"), again.call((int) dom0Tx, new Request.Read("/")),
                    "the last case's transaction is gone");
            assertEquals(freshTree, TreeImage.read(sut.openInspector(), "/", TreeRestorer.MAX_NODES));
            assertEquals(new Reply.Error("EACCES"), guestAgain.call(0, write("/local/x", "")),
                    "the kept guest connection still speaks as dom1");
            // QEMU allows a guest 10 open transactions: the last case's two would take two of them.
            for (int i = 0; i < 10; i++) {
                assertTrue(guestAgain.call(0, new Request.TransactionStart()) instanceof Reply.TransactionId,
                        "guest transaction " + (i + 1));
            }
            assertEquals(new Reply.Error("ENOSPC"), guestAgain.call(0, new Request.TransactionStart()));
            try (SutConnection writer = sut.openPrivileged()) {
                assertEquals(new Reply.Ok(), writer.call(0, write("/a", "y")));
                assertEquals(new Reply.Ok(), writer.call(0, write("/local/z", "y")));
            }
            // A request on each after the writes: an event they fired would have come before its reply.
            again.call(0, new Request.Read("/"));
            guestAgain.call(0, new Request.Read("/local"));
            List<WatchEvent> none = List.of();
            assertEquals(none, again.drainEvents(), "no dom0 watch of the last case fires");
            assertEquals(none, guestAgain.drainEvents(), "no guest watch of the last case fires");
            again.close();
            guestAgain.close();

            assertTrue(sut.reset(Set.of(1), Set.of()), "second reset");
            try (SutConnection dom0Again = sut.openCasePrivileged()) {
                assertEquals(fresh, firstAnswers(dom0Again),
                        "the first transaction id and the generation counts are a fresh server's");
            }
        }
    }

    /** QEMU's RM of "/" leaves a NULL root that a request on "/" dereferences; the reset still gives a fresh tree. */
    @Test
    void aServerWhoseRootACaseRemovedIsResetToAFreshTree() {
        try (QemuSut sut = QemuTargets.start()) {
            TreeImage fresh = TreeImage.read(sut.openInspector(), "/", TreeRestorer.MAX_NODES);
            SutConnection dom0 = sut.openCasePrivileged();
            assertEquals(new Reply.Ok(), dom0.call(0, write("/a", "x")));
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.Rm("/")));
            dom0.close();
            assertTrue(sut.reset(Set.of(), Set.of()), "reset");
            assertEquals(fresh, TreeImage.read(sut.openInspector(), "/", TreeRestorer.MAX_NODES));
            assertEquals(io.xscheck.sut.Health.alive(), sut.health(), "the server lives");
        }
    }

    @Test
    void aKilledGuestsDomainIsNotKeptAndComesBackOnANewConnection() {
        try (QemuSut sut = QemuTargets.start()) {
            SutConnection guest = sut.openCaseGuest(2);
            assertEquals(new Reply.Ok(), guest.call(0, new Request.Watch("/local", "g")));
            sut.killDomain(2);
            guest.close();
            assertTrue(sut.reset(Set.of(2), Set.of()), "reset");
            try (SutConnection again = sut.openCaseGuest(2)) {
                assertEquals(new Reply.Error("EACCES"), again.call(0, write("/local/x", "")), "speaks as dom2");
                assertEquals(List.of(), again.drainEvents());
            }
        }
    }
}
