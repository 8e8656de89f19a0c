package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.TreeImage;
import io.xscheck.sut.TreeRestorer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.xscheck.sut.fakexen.Daemons.awaitEvents;
import static io.xscheck.sut.fakexen.Daemons.value;
import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Live update of both daemons under the shim: the same process goes on serving every connection,
 * its tree, its watches, and its guests' event channels (the port table survives exec).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveUpdateTest {
    private static final Duration EVENTS = Duration.ofSeconds(2);

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void aQuietUpdateKeepsTheProcessConnectionsTreeWatchesAndDomains(XenDaemon daemon) throws InterruptedException {
        try (XenDaemonSut sut = Daemons.start(daemon); SutConnection a = sut.openPrivileged();
             SutConnection b = sut.openPrivileged()) {
            assertTrue(sut.capabilities().contains(io.xscheck.sut.Capability.LIVE_UPDATE));
            assertTrue(!io.xscheck.sut.Capability.all().contains(io.xscheck.sut.Capability.LIVE_UPDATE),
                    "a restart is never a default capability (socket: and model targets lack it)");
            ConcurrentTrafficTest.makeHome(sut, a, 5);
            SutConnection g = sut.openGuest(5);
            assertEquals(new Reply.Ok(), a.call(0, write("/t/secret", "s")));
            assertEquals(new Reply.Ok(), a.call(0, new Request.SetPerms("/t/secret", List.of(Perm.none(0)))));
            assertEquals(new Reply.Ok(), a.call(0, new Request.Watch("/t", "tA")));
            assertEquals(new Reply.Ok(), b.call(0, new Request.Watch("@releaseDomain", "rel")));
            assertEquals(new Reply.Ok(), g.call(0, new Request.Watch("data", "tG")));
            awaitEvents(a, 1, EVENTS);
            awaitEvents(b, 1, EVENTS);
            awaitEvents(g, 1, EVENTS);
            TreeImage before = tree(sut);
            long pid = sut.pid();

            for (int round = 0; round < 2; round++) {
                Reply r = sut.liveUpdate(a, false);
                assertTrue(io.xscheck.sut.RestartAnswer.wentAhead(r), "live update answered " + r + "\n" + sut.logTail(20));
                assertEquals(pid, sut.pid());
                assertTrue(sut.health().isAlive(), sut.logTail(20));
                assertEquals(before, tree(sut), "the tree (values and ACLs) after update " + (round + 1));
            }

            assertEquals(value("s"), a.call(0, new Request.Read("/t/secret")));
            assertEquals(new Reply.Error("EACCES"), g.call(0, new Request.Read("/t/secret")),
                    "permissions as before");
            // C serves a ring without notifications too (the harness polls), so count them: each reply
            // must come with one, through the port the daemon kept across exec
            Doorbell bell = sut.eventChannels().doorbell(5);
            long rung = bell.count();
            assertEquals(new Reply.Ok(), g.call(0, write("data/x", "1")));
            // the notification comes apart from the reply, which the harness may have read from the ring first (a
            // fresh-clone CI run saw the count unchanged just after the reply): waited for, up to 2 s
            bell.awaitChange(rung, 2000);
            assertTrue(bell.count() > rung, "no event-channel notification for dom5's reply");
            assertEquals(List.of(new WatchEvent("data/x", "tG")), awaitEvents(g, 1, EVENTS),
                    "the guest's relative watch fires once, through its restored event channel");
            assertEquals(new Reply.Ok(), b.call(0, write("/t/new", "n")));
            assertEquals(List.of(new WatchEvent("/t/new", "tA")), awaitEvents(a, 1, EVENTS));

            sut.killDomain(5); // returns only once the daemon released it: the VIRQ is still bound
            assertTrue(awaitEvents(b, 1, EVENTS).contains(new WatchEvent("@releaseDomain", "rel")));
            assertTrue(Files.exists(sut.directory().resolve("evtchn.ports")), "the port table is kept in the directory");
        }
    }

    /** C refuses at once (-t 0) with its text; oxenstored stays BUSY. Either way the transaction lives on. */
    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void anOpenTransactionHoldsAnUnforcedUpdateBack(XenDaemon daemon) {
        try (XenDaemonSut sut = Daemons.start(daemon); SutConnection a = sut.openPrivileged()) {
            Reply id = a.call(0, new Request.TransactionStart());
            int tx = (int) ((Reply.TransactionId) id).id();
            assertEquals(new Reply.Ok(), a.call(tx, write("/in-tx", "v")));
            Reply r = sut.liveUpdate(a, false);
            if (daemon.equals(XenDaemon.CXENSTORED)) {
                assertTrue(r instanceof Reply.Text t && t.text().startsWith("Domains with long running transactions:"),
                        "C answered " + r);
            } else {
                assertEquals(value("BUSY"), r);
            }
            assertEquals(value("v"), a.call(tx, new Request.Read("/in-tx")));
            assertEquals(new Reply.Ok(), a.call(tx, new Request.TransactionEnd(true)));
            assertEquals(value("v"), a.call(0, new Request.Read("/in-tx")));
            assertTrue(io.xscheck.sut.RestartAnswer.wentAhead(sut.liveUpdate(a, false)), "an update after the commit goes ahead");
        }
    }

    /**
     * Told that the update will be held back, the adapter polls briefly, and still sees an update that is not:
     * oxenstored starts it in the turn that queued it, so the next "-s" is answered "OK" by the new process.
     */
    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void anExpectedHoldBackIsPolledBrieflyAndAnUpdateThatGoesAheadIsStillSeen(XenDaemon daemon) {
        try (XenDaemonSut sut = Daemons.start(daemon); SutConnection a = sut.openPrivileged()) {
            long pid = sut.pid();
            assertTrue(io.xscheck.sut.RestartAnswer.wentAhead(sut.liveUpdate(a, false, true)), "with nothing to hold it back, it goes ahead");
            assertEquals(pid, sut.pid());
            Reply id = a.call(0, new Request.TransactionStart());
            int tx = (int) ((Reply.TransactionId) id).id();
            Reply r = sut.liveUpdate(a, false, true);
            if (daemon.equals(XenDaemon.CXENSTORED)) {
                assertTrue(r instanceof Reply.Text t && t.text().startsWith("Domains with long running transactions:"),
                        "C answered " + r);
            } else {
                assertEquals(value("BUSY"), r);
            }
            assertEquals(new Reply.Ok(), a.call(tx, new Request.TransactionEnd(true)));
            assertTrue(io.xscheck.sut.RestartAnswer.wentAhead(sut.liveUpdate(a, false)), "the held-back update was withdrawn, a new one runs");
        }
    }

    /**
     * A bench, not a timed test: twenty updates in a row with a guest and a watch, each must go
     * through on the same process; the median and worst wall time are printed (issue 11 asks for
     * under 100 ms per restart).
     */
    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void restartCost(XenDaemon daemon) {
        try (XenDaemonSut sut = Daemons.start(daemon); SutConnection a = sut.openPrivileged()) {
            ConcurrentTrafficTest.makeHome(sut, a, 3);
            SutConnection g = sut.openGuest(3);
            assertEquals(new Reply.Ok(), g.call(0, new Request.Watch("w", "t")));
            long pid = sut.pid();
            long[] nanos = new long[20];
            for (int i = 0; i < nanos.length; i++) {
                long t0 = System.nanoTime();
                Reply r = sut.liveUpdate(a, false);
                nanos[i] = System.nanoTime() - t0;
                assertTrue(io.xscheck.sut.RestartAnswer.wentAhead(r), "update " + i + " answered " + r);
                assertEquals(pid, sut.pid());
                assertEquals(new Reply.Ok(), g.call(0, write("w/x", Integer.toString(i))));
            }
            java.util.Arrays.sort(nanos);
            System.out.printf("%s live update: median %.1f ms, worst %.1f ms over %d%n", daemon.targetName(),
                    nanos[nanos.length / 2] / 1e6, nanos[nanos.length - 1] / 1e6, nanos.length);
        }
    }

    private static TreeImage tree(XenDaemonSut sut) {
        try (SutConnection c = sut.openPrivileged()) {
            return TreeImage.read(c, "/", TreeRestorer.MAX_NODES);
        }
    }
}
