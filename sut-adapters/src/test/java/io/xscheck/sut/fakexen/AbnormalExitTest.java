package io.xscheck.sut.fakexen;

import io.xscheck.sut.HarnessJvm;
import io.xscheck.sut.process.PrivateDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A harness JVM that ends abnormally leaves nothing behind: on SIGTERM/SIGINT (Ctrl-C) its
 * shutdown hook stops the daemon and deletes the directory; on SIGKILL the daemon notices its
 * harness is gone and exits, and the next harness sweeps the stale directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbnormalExitTest {

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void terminatedHarnessStopsItsDaemonAndDeletesItsDirectory(XenDaemon daemon, @TempDir Path parent) throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Daemons.requireInstalled(daemon);
            HarnessJvm h = HarnessJvm.start(HarnessProcess.class, daemon.targetName(), parent.toString());
            assertTrue(Files.isDirectory(h.dir()));
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(h.jvm().pid())).start();
            assertTrue(kill.waitFor(5, TimeUnit.SECONDS));
            assertTrue(h.jvm().waitFor(20, TimeUnit.SECONDS), "harness JVM did not exit on SIG" + signal);
            h.assertTargetGone();
            assertFalse(Files.exists(h.dir()), h.dir() + " left behind after SIG" + signal);
        }
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void killedHarnessLeavesNoDaemonAndItsDirectoryIsSwept(XenDaemon daemon, @TempDir Path parent) throws Exception {
        Daemons.requireInstalled(daemon);
        HarnessJvm h = HarnessJvm.start(HarnessProcess.class, daemon.targetName(), parent.toString());
        h.jvm().destroyForcibly();
        assertTrue(h.jvm().waitFor(10, TimeUnit.SECONDS));
        h.assertTargetGone();
        assertTrue(Files.exists(h.dir()), "no hook can run on SIGKILL; the directory waits for a sweep");
        assertTrue(PrivateDir.sweepStale(parent) >= 1);
        assertFalse(Files.exists(h.dir()), h.dir() + " not swept");
    }
}
