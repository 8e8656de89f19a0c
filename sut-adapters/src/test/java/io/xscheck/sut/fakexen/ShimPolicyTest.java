package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.process.PrivateDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shim runs only with a private directory, and nothing it runs writes outside it. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShimPolicyTest {

    /** Where the daemons would write on a real Xen host. */
    private static final List<Path> HOST_PATHS = List.of(Path.of("/var/run/xenstored"), Path.of("/run/xenstored"),
            Path.of("/var/lib/xenstored"), Path.of("/var/log/xen"), Path.of("/run/xen"), Path.of("/var/run/xen"),
            // C xenstored 4.18+ creates /var/lib/xen/xenstore; a 4.20 daemon's own prefix is only ever read
            Path.of("/var/lib/xen"), Path.of("/usr/lib/xen-4.20"));

    private PrivateDir dir;
    private Path shim;

    @BeforeEach
    void installShim() {
        dir = PrivateDir.create(Path.of("/tmp"), "shim");
        shim = Shim.install(dir.path(), "test");
    }

    @AfterEach
    void deleteDir() {
        dir.close();
    }

    private record Run(int status, String output) {
    }

    private Run underShim(Map<String, String> env, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).directory(dir.path().toFile());
        pb.environment().remove("FAKEXEN_DIR");
        pb.environment().put("LD_PRELOAD", shim.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    @Test
    void refusesToRunWithoutAPrivateDirectory() throws Exception {
        Path open = Files.createTempDirectory(Path.of("/tmp"), "xs-open-");
        try {
            Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
            for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("FAKEXEN_DIR", "relative/dir"),
                    Map.of("FAKEXEN_DIR", "/nonexistent/xscheck"), Map.of("FAKEXEN_DIR", "/"),
                    Map.of("FAKEXEN_DIR", open.toString()))) {
                Run r = underShim(env, "/bin/true");
                assertEquals(78, r.status(), env + ": " + r.output());
                assertTrue(r.output().contains("refusing to run"), r.output());
            }
        } finally {
            Files.delete(open);
        }
    }

    /**
     * A daemon's own helper (oxenstored's live-update config check) runs with the shim inherited:
     * the harness is its grandparent, and that is accepted; one generation further is not.
     */
    @Test
    void theParentGuardAcceptsTheHarnessAsGrandparentOnly() throws Exception {
        Path child = dir.resolve("child.sh");
        Path grandchild = dir.resolve("grandchild.sh");
        Files.writeString(grandchild, "/bin/true\necho grandchild=$?\n");
        Files.writeString(child, "sh " + grandchild + "\n");
        Map<String, String> env = Map.of("FAKEXEN_DIR", dir.path().toString(),
                "FAKEXEN_PARENT_PID", Long.toString(ProcessHandle.current().pid()));
        // harness -> sh (child) -> sh (grandchild) -> /bin/true (great-grandchild)
        Run r = underShim(env, "sh", child.toString());
        assertTrue(r.output().contains("grandchild=78"), "a great-grandchild is refused: " + r.output());
        assertTrue(r.output().contains("neither this process's parent nor its grandparent"), r.output());
        assertEquals(0, r.status(), "the grandchild itself ran: " + r.output());
    }

    @Test
    void writesOutsideTheDirectoryAreRefusedAndRecorded() throws Exception {
        Path outside = Path.of("/tmp/xscheck-shim-outside-" + ProcessHandle.current().pid());
        Files.deleteIfExists(outside);
        Run r = underShim(Map.of("FAKEXEN_DIR", dir.path().toString()), "sh", "-c",
                "echo leak > " + outside + "; mkdir " + outside + ".d; echo inside > ok.txt");
        assertFalse(Files.exists(outside), "the shim let a write through: " + r.output());
        assertFalse(Files.exists(Path.of(outside + ".d")), "the shim let a mkdir through: " + r.output());
        assertEquals("inside\n", Files.readString(dir.resolve("ok.txt")), "writes inside are allowed");
        String denied = Files.readString(dir.resolve("denied.log"));
        assertTrue(denied.contains(outside.toString()), denied);
    }

    @Test
    void hostXenPathsAreMovedIntoTheDirectory() throws Exception {
        Run r = underShim(Map.of("FAKEXEN_DIR", dir.path().toString()), "sh", "-c",
                "echo log > /var/log/xen/x.log; cat /proc/xen/xsd_port; echo; wc -c < /proc/xen/xsd_kva; echo db > /var/run/xenstored/db");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("1\n"), "dom0's port comes from the private xsd_port: " + r.output());
        assertEquals("db\n", Files.readString(dir.resolve("db")));
        assertTrue(r.output().contains("4096"), "/proc/xen/xsd_kva is the private one-page ring-0: " + r.output());
        assertEquals(4096, Files.size(dir.resolve("ring-0")));
        assertFalse(Files.exists(dir.resolve("denied.log")), r.output());
        // /var/log/xen -> DIR/log, which does not exist here: the write fails rather than escapes.
        assertFalse(Files.exists(Path.of("/var/log/xen/x.log")));
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void aDaemonAtWorkWritesNothingOutsideItsDirectory(XenDaemon daemon) throws Exception {
        Map<Path, List<String>> before = snapshot();
        Path daemonDir;
        try (XenDaemonSut sut = Daemons.start(daemon); SutConnection dom0 = sut.openPrivileged()) {
            daemonDir = sut.directory();
            ConcurrentTrafficTest.makeHome(sut, dom0, 9);
            try (SutConnection guest = sut.openGuest(9)) {
                for (int i = 0; i < 200; i++) {
                    assertEquals(new Reply.Ok(), guest.call(0, write("n" + i, "v")));
                }
                assertEquals(new Reply.Ok(), dom0.call(0, new Request.Rm("/local/domain/9/n0")));
                // a live update: C's state dump, oxenstored's db and its -f config-check child
                assertTrue(io.xscheck.sut.RestartAnswer.wentAhead(sut.liveUpdate(dom0, false)), sut.logTail(20));
                assertEquals(new Reply.Ok(), guest.call(0, write("after-update", "v")));
            }
            sut.killDomain(9);
            if (daemon.kind() == DaemonKind.OXENSTORED) {
                // SIGUSR1 makes oxenstored dump its store to /var/run/xenstored/db.debug (C xenstored
                // has no handler and would die of it).
                Process p = new ProcessBuilder("kill", "-USR1", Long.toString(sut.pid())).start();
                assertTrue(p.waitFor(5, TimeUnit.SECONDS));
            }
            assertEquals(new Reply.Ok(), dom0.call(0, write("/after-usr1", "x")));
            assertFalse(Files.exists(daemonDir.resolve("denied.log")),
                    "the shim had to refuse writes: " + readIfExists(daemonDir.resolve("denied.log")));
            assertTrue(sut.health().isAlive(), sut.logTail(20));
        }
        assertEquals(before, snapshot(), "a host Xen path changed");
        assertFalse(Files.exists(daemonDir));
    }

    private static String readIfExists(Path p) throws IOException {
        return Files.exists(p) ? Files.readString(p) : "";
    }

    /** For each host path: absent, or its entries with their sizes and modification times. */
    private static Map<Path, List<String>> snapshot() throws IOException {
        Map<Path, List<String>> state = new TreeMap<>();
        for (Path p : HOST_PATHS) {
            List<String> entries = new ArrayList<>();
            if (Files.isDirectory(p)) {
                try (Stream<Path> s = Files.walk(p)) {
                    for (Path f : s.sorted().toList()) {
                        entries.add(f + " " + Files.size(f) + " " + Files.getLastModifiedTime(f));
                    }
                }
            } else {
                entries.add(Files.exists(p) ? "file" : "absent");
            }
            state.put(p, entries);
        }
        return state;
    }
}
