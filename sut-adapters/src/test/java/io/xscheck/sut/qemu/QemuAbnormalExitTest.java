package io.xscheck.sut.qemu;

import io.xscheck.sut.HarnessJvm;
import io.xscheck.sut.process.PrivateDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A harness JVM that ends abnormally leaves no QEMU server behind: SIGTERM runs the shutdown hook
 * (server stopped, directory deleted); after SIGKILL the server sees its stdin pipe close and exits,
 * and the next start sweeps the directory.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QemuAbnormalExitTest {

    @Test
    void terminatedHarnessStopsTheServerAndDeletesItsDirectory(@TempDir Path parent) throws Exception {
        QemuTargets.start().close(); // skips, or fails under CI, when the target is not built
        HarnessJvm h = HarnessJvm.start(QemuHarnessProcess.class, parent.toString());
        assertTrue(Files.isDirectory(h.dir()));
        Process kill = new ProcessBuilder("kill", "-TERM", Long.toString(h.jvm().pid())).start();
        assertTrue(kill.waitFor(5, TimeUnit.SECONDS));
        assertTrue(h.jvm().waitFor(20, TimeUnit.SECONDS), "harness JVM did not exit on SIGTERM");
        h.assertTargetGone();
        assertFalse(Files.exists(h.dir()), h.dir() + " left behind");
    }

    @Test
    void killedHarnessLeavesNoServerAndItsDirectoryIsSwept(@TempDir Path parent) throws Exception {
        QemuTargets.start().close(); // skips, or fails under CI, when the target is not built
        HarnessJvm h = HarnessJvm.start(QemuHarnessProcess.class, parent.toString());
        h.jvm().destroyForcibly();
        assertTrue(h.jvm().waitFor(10, TimeUnit.SECONDS));
        h.assertTargetGone();
        assertTrue(Files.exists(h.dir()), "no hook can run on SIGKILL; the directory waits for a sweep");
        assertTrue(PrivateDir.sweepStale(parent) >= 1);
        assertFalse(Files.exists(h.dir()), h.dir() + " not swept");
    }
}
