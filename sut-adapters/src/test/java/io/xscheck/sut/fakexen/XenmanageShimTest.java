package io.xscheck.sut.fakexen;

import io.xscheck.sut.process.PrivateDir;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The shim's libxenmanage answers (C xenstored 4.21+ learns domain changes from them), driven by a
 * small C program as the harness drives domains: created, dying, gone, created again (a new
 * incarnation), and the reintroduction case of the research note (killed, introduced again,
 * killed again: each death reported). No 4.21 daemon is needed; CI has gcc wherever it has the shim.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class XenmanageShimTest {

    @Test
    void domainChangesAreReportedWithIncarnations() throws Exception {
        Daemons.requireInstalled(XenDaemon.CXENSTORED); // the shim and gcc come with the daemons in CI
        try (PrivateDir dir = PrivateDir.create(Path.of("/tmp"), "xm")) {
            Path shim = Shim.install(dir.path(), "xenmanage");
            Path source = dir.resolve("xenmanage-probe.c");
            try (InputStream in = getClass().getResourceAsStream("/fakexen/xenmanage-probe.c")) {
                Files.copy(in, source);
            }
            Path probe = dir.resolve("probe");
            Process gcc = new ProcessBuilder("gcc", "-o", probe.toString(), source.toString(), shim.toString(),
                    "-Wl,-rpath," + dir.path()).redirectErrorStream(true).start();
            String gccOut = new String(gcc.getInputStream().readAllBytes());
            assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, gccOut);
            Path state = Files.createDirectory(dir.resolve("state"),
                    java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                            java.nio.file.attribute.PosixFilePermissions.fromString("rwx------")));
            ProcessBuilder pb = new ProcessBuilder(probe.toString()).redirectErrorStream(true);
            pb.environment().remove("LD_PRELOAD");
            pb.environment().put("FAKEXEN_DIR", state.toString());
            Process p = pb.start();
            List<String> out = new String(p.getInputStream().readAllBytes()).lines().toList();
            assertTrue(p.waitFor(20, TimeUnit.SECONDS), out.toString());
            assertEquals(0, p.exitValue(), out.toString());
            // EXIST 1, SHUTDOWN 2, DYING 4, DEAD 8; dom0 has CONTROL|HARDWARE|XENSTORE (7).
            assertEquals(List.of(
                    "start: dom0 state=1 caps=7 uid=1",
                    "start: dom5 state=1 caps=0 uid=2",
                    "start: end errno=ENOENT",
                    "dying: dom5 state=13 caps=0 uid=2",
                    "dying: end errno=ENOENT",
                    "gone: dom5 state=8 caps=0 uid=2",
                    "gone: end errno=ENOENT",
                    "again: dom5 state=1 caps=0 uid=3",
                    "again: end errno=ENOENT",
                    "kill1: dom5 state=13 caps=0 uid=3",
                    "kill1: end errno=ENOENT",
                    "introduce dom5: rc=0 state=1 uid=4",
                    "kill2: dom5 state=13 caps=0 uid=4",
                    "kill2: end errno=ENOENT",
                    "info dom7: rc=-1 errno=ENOENT"), out);
        }
    }
}
