package io.xscheck.sut.fakexen;

import io.xscheck.sut.process.PrivateDir;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A harness JVM that ends abnormally leaves nothing behind: on SIGTERM/SIGINT (Ctrl-C) its
 * shutdown hook stops the daemon and deletes the directory; on SIGKILL the daemon notices its
 * harness is gone and exits, and the next harness sweeps the stale directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AbnormalExitTest {

    private record Harness(Process jvm, long daemonPid, Path dir) {
    }

    private static Harness startHarness(XenDaemon daemon, Path tempParent) throws Exception {
        Daemons.requireInstalled(daemon);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                HarnessProcess.class.getName(), daemon.name(), tempParent.toString())
                .redirectErrorStream(true).start();
        jvm.getOutputStream().close();
        BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
        String line = out.readLine();
        assertNotNull(line, "the harness JVM printed nothing");
        String[] parts = line.split(" ");
        assertTrue(parts.length == 2 && parts[0].matches("\\d+"), "harness said: " + line);
        return new Harness(jvm, Long.parseLong(parts[0]), Path.of(parts[1]));
    }

    private static void assertGone(long pid) throws Exception {
        ProcessHandle h = ProcessHandle.of(pid).orElse(null);
        if (h != null) {
            h.onExit().get(5, TimeUnit.SECONDS);
        }
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "daemon " + pid + " left behind");
    }

    @ParameterizedTest
    @EnumSource(XenDaemon.class)
    void terminatedHarnessStopsItsDaemonAndDeletesItsDirectory(XenDaemon daemon, @TempDir Path parent) throws Exception {
        for (String signal : List.of("TERM", "INT")) {
            Harness h = startHarness(daemon, parent);
            assertTrue(Files.isDirectory(h.dir()));
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(h.jvm().pid())).start();
            assertTrue(kill.waitFor(5, TimeUnit.SECONDS));
            assertTrue(h.jvm().waitFor(20, TimeUnit.SECONDS), "harness JVM did not exit on SIG" + signal);
            assertGone(h.daemonPid());
            assertFalse(Files.exists(h.dir()), h.dir() + " left behind after SIG" + signal);
        }
    }

    @ParameterizedTest
    @EnumSource(XenDaemon.class)
    void killedHarnessLeavesNoDaemonAndItsDirectoryIsSwept(XenDaemon daemon, @TempDir Path parent) throws Exception {
        Harness h = startHarness(daemon, parent);
        h.jvm().destroyForcibly();
        assertTrue(h.jvm().waitFor(10, TimeUnit.SECONDS));
        assertGone(h.daemonPid());
        assertTrue(Files.exists(h.dir()), "no hook can run on SIGKILL; the directory waits for a sweep");
        assertTrue(PrivateDir.sweepStale(parent) >= 1);
        assertFalse(Files.exists(h.dir()), h.dir() + " not swept");
    }
}
