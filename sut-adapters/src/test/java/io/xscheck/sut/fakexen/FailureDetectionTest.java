package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Frame;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Health;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.WireConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daemon that dies, is killed, or stops answering is reported as such, promptly, with its log;
 * and whatever happens, no process or directory of ours remains.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FailureDetectionTest {

    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void killNineMidRunIsReportedAsDeathOnEveryConnection(XenDaemon daemon) throws Exception {
        XenDaemonSut sut = open.add(Daemons.start(daemon));
        SutConnection dom0 = open.add(sut.openPrivileged());
        ConcurrentTrafficTest.makeHome(sut, dom0, 6);
        SutConnection guest = open.add(sut.openGuest(6));
        long pid = sut.pid();
        Path dir = sut.directory();

        // Keep requests in flight on both connections while the daemon is killed.
        CompletableFuture<SutException> socketSide = CompletableFuture.supplyAsync(() -> hammer(dom0, "/k"));
        CompletableFuture<SutException> ringSide = CompletableFuture.supplyAsync(() -> hammer(guest, "k"));
        Daemons.sleepMillis(100);
        long killedAt = System.nanoTime();
        sut.killDaemonHard();

        for (SutException e : List.of(socketSide.get(10, TimeUnit.SECONDS), ringSide.get(10, TimeUnit.SECONDS))) {
            assertEquals(SutException.Kind.DIED, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("signalled(9)"), e.getMessage());
        }
        long detectMillis = (System.nanoTime() - killedAt) / 1_000_000;
        assertTrue(detectMillis < 5000, "death noticed after " + detectMillis + " ms");
        assertEquals(new Health.Signalled(9), sut.health());
        SutException later = assertThrows(SutException.class, () -> dom0.call(0, new Request.Read("/")));
        assertEquals(SutException.Kind.DIED, later.kind());

        sut.close();
        assertTrue(ProcessHandle.of(pid).isEmpty(), "daemon process " + pid + " still exists");
        assertFalse(Files.exists(dir), dir + " still exists");
        System.out.printf("%s: kill -9 noticed on socket and ring within %d ms%n", daemon.targetName(), detectMillis);
    }

    /** Sends requests until one fails; returns that failure. */
    private static SutException hammer(SutConnection conn, String path) {
        for (int i = 0; ; i++) {
            try {
                Reply r = conn.call(0, write(path, Integer.toString(i)));
                assertEquals(new Reply.Ok(), r);
            } catch (SutException e) {
                return e;
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void aStoppedDaemonIsReportedHungWithinTheBound(XenDaemon daemon) throws Exception {
        Duration bound = Duration.ofMillis(500);
        XenDaemonSut sut = open.add(Daemons.start(daemon, SutOptions.defaults().withReplyTimeout(bound)));
        SutConnection dom0 = open.add(sut.openPrivileged());
        assertEquals(new Reply.Ok(), dom0.call(0, write("/a", "1")));
        ConcurrentTrafficTest.makeHome(sut, dom0, 12);
        SutConnection guest = open.add(sut.openGuest(12));
        signal("STOP", sut.pid());
        try {
            SutException onRing = assertThrows(SutException.class, () -> guest.call(0, new Request.Read("x")));
            assertEquals(SutException.Kind.HUNG, onRing.kind(), onRing.getMessage());
            long t0 = System.nanoTime();
            SutException e = assertThrows(SutException.class, () -> dom0.call(0, new Request.Read("/a")));
            long waited = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(SutException.Kind.HUNG, e.kind(), e.getMessage());
            assertTrue(waited < bound.toMillis() + 2000, "call took " + waited + " ms");
            assertEquals(new Health.Hung(bound), sut.health());
            CompletableFuture<Reply> pending = dom0.send(0, new Request.Read("/a"));
            assertThrows(Exception.class, () -> pending.get(bound.toMillis(), TimeUnit.MILLISECONDS));
        } finally {
            signal("CONT", sut.pid());
        }
        assertEquals(Health.alive(), sut.health());
    }

    @Test
    void aConnectionALiveDaemonDropsFailsAllItsRequestsPromptly() throws Exception {
        XenDaemonSut sut = open.add(Daemons.start(XenDaemon.CXENSTORED));
        SutConnection dom0 = open.add(sut.openPrivileged());
        // An announced payload over XENSTORE_PAYLOAD_MAX makes C xenstored drop the client; the
        // requests written behind it are pending when the socket closes.
        Frame oversized = new Frame(Op.READ.wire(), 0x7777, 0, Bytes.of(new byte[5000]));
        CompletableFuture<Frame> bad = ((WireConnection) dom0).client().sendRaw(oversized);
        long t0 = System.nanoTime();
        List<CompletableFuture<Reply>> sent = new java.util.ArrayList<>();
        for (int i = 0; i < 500; i++) {
            sent.add(dom0.send(0, new Request.Read("/")));
        }
        assertThrows(Exception.class, () -> bad.get(5, TimeUnit.SECONDS));
        for (CompletableFuture<Reply> f : sent) {
            Throwable t = assertThrows(ExecutionException.class, () -> f.get(5, TimeUnit.SECONDS)).getCause();
            SutException e = assertInstanceOf(SutException.class, t);
            assertEquals(SutException.Kind.PROTOCOL, e.kind(), e.getMessage()); // the daemon lives
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        // One death grace (250 ms) for the lost connection, not one per request.
        assertTrue(millis < 3000, "500 requests of a dropped connection took " + millis + " ms to fail");
        assertTrue(sut.health().isAlive());
        System.out.printf("cxenstored dropped a client: its 500 requests failed within %d ms%n", millis);
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void aDaemonThatCannotStartIsReportedWithItsOutput(XenDaemon daemon) {
        Daemons.requireInstalled(daemon);
        // --help makes both daemons print their usage and exit at once.
        SutOptions bad = SutOptions.defaults().withExtraArgs(List.of("--help"));
        SutException e = assertThrows(SutException.class, () -> XenDaemonSut.start(daemon, bad));
        assertEquals(SutException.Kind.DIED, e.kind(), e.getMessage());
        assertTrue(e.logTail().toLowerCase(java.util.Locale.ROOT).contains("usage"), e.logTail());
        assertTrue(e.getMessage().contains("exited("), e.getMessage());
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void closingLeavesNoProcessAndNoDirectory(XenDaemon daemon) throws Exception {
        XenDaemonSut sut = Daemons.start(daemon);
        long pid = sut.pid();
        Path dir = sut.directory();
        try (SutConnection dom0 = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), dom0.call(0, write("/x", "y")));
        }
        sut.close();
        sut.close(); // idempotent
        assertTrue(ProcessHandle.of(pid).isEmpty(), "daemon " + pid + " left behind");
        assertFalse(Files.exists(dir), dir + " left behind");
        assertTrue(ProcessHandle.current().descendants().noneMatch(p -> p.pid() == pid));
        assertFalse(sut.health().isAlive(), "stopped: " + sut.health());
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void aDaemonWhoseHarnessDiesExitsByItself(XenDaemon daemon) throws Exception {
        Daemons.requireInstalled(daemon);
        // A harness killed outright runs no cleanup. Here a shell plays the harness: it starts the
        // daemon under the shim, naming itself as FAKEXEN_PARENT_PID, and exits.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "xs-parentwatch-");
        long daemonPid = -1;
        try {
            Files.copy(getClass().getResourceAsStream(Shim.RESOURCE), dir.resolve(Shim.FILE_NAME));
            new FakeXenFiles(dir).prepareDom0();
            List<String> cmd = daemon.command(daemon.binary(), dir, List.of());
            String script = "FAKEXEN_PARENT_PID=$$ \"$@\" >" + dir.resolve("output.log") + " 2>&1 & echo $!; sleep 0.3";
            ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of("sh", "-c", script, "sh")));
            pb.command().addAll(cmd);
            pb.directory(dir.toFile());
            pb.environment().putAll(daemon.environment(dir));
            pb.environment().put("LD_PRELOAD", dir.resolve(Shim.FILE_NAME).toString());
            pb.environment().put("FAKEXEN_DIR", dir.toString());
            pb.environment().put("XENSTORED_PATH", dir.resolve("socket").toString());
            Process shell = pb.start();
            shell.getOutputStream().close();
            daemonPid = Long.parseLong(new String(shell.getInputStream().readAllBytes()).strip());
            assertTrue(shell.waitFor(5, TimeUnit.SECONDS));
            ProcessHandle orphan = ProcessHandle.of(daemonPid).orElse(null);
            if (orphan != null) {
                orphan.onExit().get(3, TimeUnit.SECONDS);
            }
            assertTrue(ProcessHandle.of(daemonPid).isEmpty() || !ProcessHandle.of(daemonPid).get().isAlive(),
                    "daemon " + daemonPid + " outlived its harness");
            assertTrue(Files.readString(dir.resolve("output.log")).contains("is gone; exiting"),
                    Files.readString(dir.resolve("output.log")));
        } finally {
            if (daemonPid > 0) {
                ProcessHandle.of(daemonPid).ifPresent(ProcessHandle::destroyForcibly); // only if the test failed
            }
            try (var files = Files.walk(dir)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void signal(String sig, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + sig, Long.toString(pid)).inheritIO().start();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue());
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
