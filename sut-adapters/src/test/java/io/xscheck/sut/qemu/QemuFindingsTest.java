package io.xscheck.sut.qemu;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Frame;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsConnection;
import io.xscheck.sut.Health;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import io.xscheck.sut.WireConnection;
import io.xscheck.sut.model.SutChecks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where QEMU's xenstore differs from the daemons, and its defects, as the target shows them.
 * Each is a property of QEMU 10.0's xenstore_impl.c (or of its wire rules, which our front end
 * follows), not of the harness; the model's "qemu" dialect has to agree with these.
 */
class QemuFindingsTest {

    private QemuSut sut;

    @BeforeEach
    void start() {
        sut = QemuTargets.start();
    }

    @AfterEach
    void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    private static Request write(String path, String value) {
        return new Request.Write(path, Bytes.latin1(value));
    }

    @Test
    void rmOfTheRootKillsTheServerOnTheNextReadOfTheRootAndTheTargetSaysSo() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), c.call(0, write("/a", "1")));
            assertEquals(new Reply.Ok(), c.call(0, new Request.Rm("/")), "QEMU accepts RM / and leaves a NULL root");
            assertEquals(new Reply.Error("ENOENT"), c.call(0, new Request.Read("/a")), "a walk below the root stops");
            SutException e = assertThrows(SutException.class, () -> c.call(0, new Request.Read("/")));
            assertEquals(SutException.Kind.DIED, e.kind(), e.getMessage());
        }
        assertEquals(new Health.Signalled(11), sut.health(), "SIGSEGV on the NULL root");
        assertTrue(sut.logTail(5).contains("qemu-xs-server: ready"), sut.logTail(5));
    }

    @Test
    void unwatchCanOnlyRemoveTheFirstWatchSetOnAPath() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), c.call(0, new Request.Watch("/w", "first")));
            assertEquals(new Reply.Ok(), c.call(0, new Request.Watch("/w", "second")));
            // xs_impl_unwatch tests `opaque != w->cb_opaque` for every watch after the first.
            assertEquals(new Reply.Error("ENOENT"), c.call(0, new Request.Unwatch("/w", "second")));
            assertEquals(new Reply.Ok(), c.call(0, new Request.Unwatch("/w", "first")));
            // Now "second" heads the list and can go.
            assertEquals(new Reply.Ok(), c.call(0, new Request.Unwatch("/w", "second")));
        }
    }

    @Test
    void aTransactionStillSeesNodesItDeleted() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), c.call(0, write("/q/r/s", "v")));
            int tx = (int) ((Reply.TransactionId) c.call(0, new Request.TransactionStart())).id();
            assertEquals(new Reply.Ok(), c.call(tx, new Request.Rm("/q/r")));
            assertEquals(new Reply.Value(Bytes.EMPTY), c.call(tx, new Request.Read("/q/r")),
                    "a deleted node reads as empty inside its transaction");
            assertEquals(new Reply.Ok(), c.call(tx, new Request.TransactionEnd(true)));
            assertEquals(new Reply.Error("ENOENT"), c.call(0, new Request.Read("/q/r")), "gone after commit");
        }
    }

    @Test
    void rmOfAMissingNodeIsEnoentAndSpecialWatchesAreInvalid() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), c.call(0, write("/p", "")));
            assertEquals(new Reply.Error("ENOENT"), c.call(0, new Request.Rm("/p/missing")));
            assertEquals(new Reply.Error("EINVAL"), c.call(0, new Request.Watch("@releaseDomain", "t")));
            assertEquals(new Reply.Error("ENOSYS"), c.call(0, new Request.GetDomainPath(1)));
        }
    }

    @Test
    void anyCommitInBetweenMakesATransactionFailWithEagain() {
        try (SutConnection c = sut.openPrivileged()) {
            int tx = (int) ((Reply.TransactionId) c.call(0, new Request.TransactionStart())).id();
            assertEquals(new Reply.Value(Bytes.EMPTY), c.call(tx, new Request.Read("/")));
            assertEquals(new Reply.Ok(), c.call(0, write("/unrelated", "x")));
            assertEquals(new Reply.Error("EAGAIN"), c.call(tx, new Request.TransactionEnd(true)));
        }
    }

    @Test
    void evenAnEmptyCommitMakesAnOlderTransactionFail() {
        try (SutConnection a = sut.openPrivileged(); SutConnection g = sut.openGuest(1)) {
            int t1 = (int) ((Reply.TransactionId) g.call(0, new Request.TransactionStart())).id();
            int t2 = (int) ((Reply.TransactionId) a.call(0, new Request.TransactionStart())).id();
            // transaction_commit makes the committed tree the new base (root_tx), changed or not.
            assertEquals(new Reply.Ok(), g.call(t1, new Request.TransactionEnd(true)));
            assertEquals(new Reply.Error("EAGAIN"), a.call(t2, new Request.TransactionEnd(true)));
        }
    }

    @Test
    void unwatchOfAnotherConnectionsLaterWatchOnTheSamePathIsEnoent() {
        try (SutConnection g = sut.openGuest(1); SutConnection b = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), g.call(0, new Request.Watch("/", "t0")));
            assertEquals(new Reply.Ok(), b.call(0, new Request.Watch("/", "t3")));
            // b's watch is not the head of the list for "/" (g's is), so the inverted test misses it.
            assertEquals(new Reply.Error("ENOENT"), b.call(0, new Request.Unwatch("/", "t3")));
        }
    }

    @Test
    void guestsAreLimitedWhereDom0IsNot() {
        try (SutConnection dom0 = sut.openPrivileged(); SutConnection guest = sut.openGuest(5)) {
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.Mkdir("/local/domain/5")));
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.SetPerms("/local/domain/5",
                    List.of(Perm.none(5)))));
            String big = "x".repeat(2049);
            assertEquals(new Reply.Error("E2BIG"), guest.call(0, write("data", big)), "relative path, 2048 max");
            assertEquals(new Reply.Ok(), guest.call(0, write("data", "x".repeat(2048))));
            assertEquals(new Reply.Value(Bytes.latin1("x".repeat(2048))),
                    dom0.call(0, new Request.Read("/local/domain/5/data")));
            assertEquals(new Reply.Ok(), dom0.call(0, write("/dom0big", big)));
            assertEquals(new Reply.Error("EACCES"), guest.call(0, new Request.Introduce(6, 1, 1)));
        }
    }

    @Test
    void guestConnectionsOfOneDomainShareWatchesForReset() {
        try (SutConnection a = sut.openGuest(7); SutConnection b = sut.openGuest(7);
             SutConnection dom0 = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), a.call(0, new Request.Watch("/x", "a")));
            // QEMU sends a request's events after its reply: wait for the first firing.
            assertEquals(List.of(new WatchEvent("/x", "a")), SutChecks.awaitEvents(a, 1));
            assertEquals(new Reply.Ok(), b.call(0, new Request.ResetWatches()));
            assertEquals(new Reply.Ok(), dom0.call(0, write("/x", "1")));
            assertEquals(new Reply.Error("EACCES"), a.call(0, new Request.Read("/x"))); // barrier; /x is n0
            assertEquals(List.of(), a.drainEvents(), "b's RESET_WATCHES removed a's watch: same domid");
        }
    }

    @Test
    void aWatchOnTheRootFiresOnlyWhenSet() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), c.call(0, new Request.Watch("/", "root")));
            assertEquals(List.of(new WatchEvent("/", "root")), SutChecks.awaitEvents(c, 1));
            assertEquals(new Reply.Ok(), c.call(0, new Request.Watch("/y", "y")));
            assertEquals(List.of(new WatchEvent("/y", "y")), SutChecks.awaitEvents(c, 1));
            assertEquals(new Reply.Ok(), c.call(0, write("/", "v")));
            assertEquals(new Reply.Ok(), c.call(0, write("/y/z", "v")));
            // Only /y's watch fires: the walk names the root "" when it collects parent watches.
            assertEquals(List.of(new WatchEvent("/y/z", "y")), SutChecks.awaitEvents(c, 1));
            SutChecks.sleepMillis(50);
            assertEquals(List.of(), c.drainEvents(), "no event for the watch on /");
        }
    }

    @Test
    void killDomainClosesTheGuestsConnectionsAndKeepsItsNodes() {
        try (SutConnection dom0 = sut.openPrivileged()) {
            SutConnection guest = sut.openGuest(4);
            SutConnection other = sut.openGuest(6);
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.Mkdir("/local/domain/4")));
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.SetPerms("/local/domain/4",
                    List.of(Perm.none(4)))));
            assertEquals(new Reply.Ok(), guest.call(0, write("data", "x")));
            sut.killDomain(4);
            assertThrows(SutException.class, () -> guest.call(0, new Request.Read("data")));
            assertEquals(new Reply.Value(Bytes.latin1("x")), dom0.call(0, new Request.Read("/local/domain/4/data")));
            assertEquals(new Reply.Error("EACCES"), other.call(0, new Request.Read("/local/domain/4/data")),
                    "another guest's connection is untouched");
            other.close();
        }
    }

    @Test
    void anOversizedRequestEndsOnlyThatConnection() throws Exception {
        try (SutConnection bad = sut.openPrivileged(); SutConnection good = sut.openPrivileged()) {
            // QEMU treats a header length over 4096 as a fatal ring error; the front end drops the client.
            XsConnection raw = ((WireConnection) bad).client();
            CompletableFuture<Frame> reply = raw.sendRaw(new Frame(2, 9, 0, Bytes.of(new byte[4097])));
            assertThrows(ExecutionException.class, () -> reply.get(5, TimeUnit.SECONDS));
            assertEquals(new Reply.Ok(), good.call(0, write("/alive", "yes")));
            assertTrue(sut.health().isAlive());
            assertTrue(sut.logTail(5).contains("exceeds 4096"), sut.logTail(5));
        }
    }

    @Test
    void directoryPartIsTheByteOffsetIntoTheNulSeparatedList() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), c.call(0, write("/dp/alpha", "")));
            assertEquals(new Reply.Ok(), c.call(0, write("/dp/beta", "")));
            Reply whole = c.call(0, new Request.DirectoryPart("/dp", 0));
            assertTrue(whole instanceof Reply.DirectoryChunk, whole.toString());
            assertEquals(Bytes.latin1("alpha\0beta\0\0"), ((Reply.DirectoryChunk) whole).chunk());
            // Offset 3 starts inside "alpha"; a trailing extra NUL marks the end.
            assertEquals(Bytes.latin1("ha\0beta\0\0"), ((Reply.DirectoryChunk) c.call(0,
                    new Request.DirectoryPart("/dp", 3))).chunk());
            assertEquals(Bytes.latin1("\0"), ((Reply.DirectoryChunk) c.call(0,
                    new Request.DirectoryPart("/dp", 100))).chunk());
        }
    }

    @Test
    void closeStopsTheServerAndDeletesItsDirectory() {
        Path dir = sut.directory();
        assertTrue(Files.isDirectory(dir));
        assertTrue(sut.health().isAlive());
        assertTrue(sut.version().startsWith("QEMU "), sut.version());
        sut.close();
        sut.close();
        assertFalse(Files.exists(dir), "temp dir deleted");
        assertFalse(sut.health().isAlive());
        assertThrows(SutException.class, sut::openPrivileged);
    }
}
