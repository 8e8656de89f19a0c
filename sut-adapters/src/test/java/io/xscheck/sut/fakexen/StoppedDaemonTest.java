package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Health;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.xscheck.sut.fakexen.Daemons.value;
import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A SIGSTOPped daemon reads neither its rings nor kick.fifo. Whatever the harness then sends, it
 * must not block: a guest's requests fail as HUNG within the bound, kicks beyond what the 64 KiB
 * kick pipe holds return at once, the daemon works again after SIGCONT, and a stopped daemon
 * behind a full kick pipe can still be closed.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StoppedDaemonTest {

    private static final Duration BOUND = Duration.ofMillis(500);
    /** Kick records a default pipe holds (64 KiB of 4-byte records), with room to spare. */
    private static final int MORE_THAN_A_PIPE = 40_000;
    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void manyGuestRequestsToAStoppedDaemonFailAsHungWithinTheBound(XenDaemon daemon) throws Exception {
        XenDaemonSut sut = open.add(Daemons.start(daemon, SutOptions.defaults().withReplyTimeout(BOUND)));
        SutConnection dom0 = open.add(sut.openPrivileged());
        ConcurrentTrafficTest.makeHome(sut, dom0, 14);
        ConcurrentTrafficTest.makeHome(sut, dom0, 15);
        SutConnection guest = open.add(sut.openGuest(14));
        assertEquals(new Reply.Ok(), guest.call(0, write("x", "1")));

        signal("STOP", sut.pid());
        List<CompletableFuture<Reply>> sent = new ArrayList<>();
        long t0 = System.nanoTime();
        long sentMillis;
        try {
            // Far more than the 1 KiB request ring holds: the ring stalls, then the connection is dead.
            for (int i = 0; i < 2000; i++) {
                sent.add(guest.send(0, write("x", Integer.toString(i))));
            }
            sentMillis = (System.nanoTime() - t0) / 1_000_000;
            for (CompletableFuture<Reply> f : sent) {
                ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS));
                SutException s = assertInstanceOf(SutException.class, e.getCause());
                assertEquals(SutException.Kind.HUNG, s.kind(), s.getMessage());
            }
            SutException call = assertThrows(SutException.class, () -> guest.call(0, new Request.Read("x")));
            assertEquals(SutException.Kind.HUNG, call.kind(), call.getMessage());
            // The harness's own kicks, far beyond what kick.fifo holds, return at once too.
            EventChannels events = sut.eventChannels();
            for (int i = 0; i < MORE_THAN_A_PIPE; i++) {
                events.kick(0x7000 + (i & 0xFFF)); // never-introduced domids: ignored once read
                events.kick(14);
                sut.fireDomainException();
            }
        } finally {
            signal("CONT", sut.pid());
        }
        long allMillis = (System.nanoTime() - t0) / 1_000_000;
        assertTrue(allMillis < BOUND.toMillis() + 4000, "a stopped daemon held the harness for " + allMillis + " ms");

        // Running again, it catches up on the backlog and serves new guests (whose kicks must arrive).
        assertEquals(Health.alive(), sut.health());
        SutConnection other = open.add(sut.openGuest(15));
        // the backlog first: at a load of 8-12 oxenstored took longer than the 500 ms bound to reach the new guest
        assertEquals(new Reply.Ok(), other.call(0, write("y", "2"), java.time.Duration.ofSeconds(10)));
        assertEquals(value("2"), dom0.call(0, new Request.Read("/local/domain/15/y")));
        System.out.printf("%s stopped: 2000 guest requests sent in %d ms, all HUNG; %d more kicks; everything "
                        + "returned within %d ms; kicks written %d, coalesced %d, cut loose %d%n", daemon.targetName(),
                sentMillis, 3 * MORE_THAN_A_PIPE, allMillis, sut.eventChannels().kicksWritten(),
                sut.eventChannels().kicksCoalesced(), sut.eventChannels().kicksCutLoose());
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void aStoppedDaemonBehindAFullKickPipeCanBeClosed(XenDaemon daemon) throws Exception {
        XenDaemonSut sut = Daemons.start(daemon, SutOptions.defaults().withReplyTimeout(BOUND));
        long pid = sut.pid();
        Path dir = sut.directory();
        EventChannels events = sut.eventChannels();
        signal("STOP", pid);
        try {
            for (int i = 0; i < MORE_THAN_A_PIPE; i++) {
                events.kick(0x1000 + i); // distinct, so each is written until the pipe is full
            }
            long last = -1;
            while (events.kicksWritten() != last) {
                last = events.kicksWritten();
                Daemons.sleepMillis(100);
            }
            assertTrue(last < MORE_THAN_A_PIPE, "a stopped daemon took " + last + " kicks?");
        } finally {
            // Closing a stopped daemon is the case under test, so no SIGCONT before it; close()
            // ends with SIGKILL, which a stopped process obeys.
            long t0 = System.nanoTime();
            sut.close();
            long closeMillis = (System.nanoTime() - t0) / 1_000_000;
            ProcessHandle.of(pid).ifPresent(p -> signalQuietly("CONT", pid));
            assertTrue(closeMillis < 10_000, "close took " + closeMillis + " ms");
        }
        assertFalse(events.threadsAlive(), "event-channel threads outlived close()");
        assertTrue(ProcessHandle.of(pid).isEmpty(), "daemon " + pid + " left behind");
        assertFalse(Files.exists(dir), dir + " left behind");
    }

    static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    private static void signalQuietly(String sig, long pid) {
        try {
            signal(sig, pid);
        } catch (Exception | AssertionError ignored) {
            // it may have exited in between
        }
    }
}
