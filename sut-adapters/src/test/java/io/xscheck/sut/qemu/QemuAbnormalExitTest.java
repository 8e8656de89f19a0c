package io.xscheck.sut.qemu;

import io.xscheck.sut.process.PrivateDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A harness JVM that ends abnormally leaves no QEMU server behind: SIGTERM runs the shutdown hook
 * (server stopped, directory deleted); after SIGKILL the server sees its stdin pipe close and exits,
 * and the next start sweeps the directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QemuAbnormalExitTest {

    private record Harness(Process jvm, long serverPid, Path dir) {
    }

    private static Harness startHarness(Path tempParent) throws Exception {
        QemuTargets.start().close(); // skips, or fails under CI, when the target is not built
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                QemuHarnessProcess.class.getName(), tempParent.toString()).redirectErrorStream(true).start();
        jvm.getOutputStream().close();
        String line = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
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
        assertTrue(ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true), "server " + pid + " left behind");
    }

    @Test
    void terminatedHarnessStopsTheServerAndDeletesItsDirectory(@TempDir Path parent) throws Exception {
        Harness h = startHarness(parent);
        assertTrue(Files.isDirectory(h.dir()));
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(h.jvm().pid())).start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS));
        assertTrue(h.jvm().waitFor(20, TimeUnit.SECONDS), "harness JVM did not exit on SIGTERM");
        assertGone(h.serverPid());
        assertFalse(Files.exists(h.dir()), h.dir() + " left behind");
    }

    @Test
    void killedHarnessLeavesNoServerAndItsDirectoryIsSwept(@TempDir Path parent) throws Exception {
        Harness h = startHarness(parent);
        h.jvm().destroyForcibly();
        assertTrue(h.jvm().waitFor(10, TimeUnit.SECONDS));
        assertGone(h.serverPid());
        assertTrue(Files.exists(h.dir()), "no hook can run on SIGKILL; the directory waits for a sweep");
        assertTrue(PrivateDir.sweepStale(parent) >= 1);
        assertFalse(Files.exists(h.dir()), h.dir() + " not swept");
    }
}
