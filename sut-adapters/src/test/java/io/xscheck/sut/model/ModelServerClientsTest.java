package io.xscheck.sut.model;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsConnection;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * Real xenstore clients against the served model: Debian's xenstore-utils and Xen's own
 * test-xenstore, pointed at its socket with {@code XENSTORED_PATH}. Missing clients skip the
 * tests locally and fail them when CI is set.
 */
class ModelServerClientsTest {

    private static final Path TEST_XENSTORE = Path.of("/usr/lib/xen-4.17/bin/test-xenstore");
    private static final Path UTILS = Path.of("/usr/bin");

    private record Run(int exit, String out) {
    }

    @BeforeAll
    static void requireClients() {
        List<Path> needed = new ArrayList<>(List.of(TEST_XENSTORE));
        for (String tool : List.of("write", "read", "ls", "chmod", "rm", "watch")) {
            needed.add(UTILS.resolve("xenstore-" + tool));
        }
        List<Path> missing = needed.stream().filter(p -> !Files.isExecutable(p)).toList();
        if (missing.isEmpty()) {
            return;
        }
        String why = "missing clients " + missing + " (packages xenstore-utils, xen-utils-4.17)";
        String ci = System.getenv("CI");
        if (ci != null && !ci.isEmpty() && !ci.equals("false")) {
            fail("CI is set: " + why);
        }
        abort(why);
    }

    private static Run run(Path socket, String... command) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().put("XENSTORED_PATH", socket.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            fail(String.join(" ", command) + " did not finish in 30 s");
        }
        return new Run(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    private static String utility(String name) {
        return UTILS.resolve("xenstore-" + name).toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cxenstored-4.17", "oxenstored-4.17", "qemu", "spec"})
    void upstreamTestXenstorePasses(String dialect) throws Exception {
        try (ServedModelSut served = new ServedModelSut(dialect)) {
            Run r = run(served.dom0Socket(), TEST_XENSTORE.toString());
            assertEquals(0, r.exit(), "test-xenstore against the " + dialect + " model:\n" + r.out());
            for (String test : List.of("read 1", "write 2000", "rm dir", "ta rmw", "ta err")) {
                assertTrue(r.out().contains(test), test + " ran:\n" + r.out());
            }
        }
    }

    @Test
    void xenstoreUtilsWriteReadListChmodRm() throws Exception {
        try (ServedModelSut served = new ServedModelSut("cxenstored-4.17");
             XsConnection check = XsConnection.openUnix(served.dom0Socket())) {
            Path s = served.dom0Socket();
            assertEquals(0, run(s, utility("write"), "/u/a", "hello", "/u/b", "world").exit());
            assertEquals(new Run(0, "hello\n"), run(s, utility("read"), "/u/a"));
            assertEquals(new Run(0, "a = \"hello\"\nb = \"world\"\n"), run(s, utility("ls"), "/u"));
            assertEquals(0, run(s, utility("chmod"), "/u/a", "n0", "r" + SutChecks.GUEST).exit());
            assertEquals(new Reply.Perms(List.of(Perm.none(0), Perm.read(SutChecks.GUEST))),
                    check.call(0, new Request.GetPerms("/u/a"), Duration.ofSeconds(5)));
            assertEquals(new Run(0, "hello\n"), run(served.guestSocket(), utility("read"), "/u/a"), "guest may read");
            Run denied = run(served.guestSocket(), utility("write"), "/u/a", "mine");
            assertEquals(1, denied.exit(), denied.out());
            assertEquals(0, run(s, utility("rm"), "/u/a").exit());
            Run gone = run(s, utility("read"), "/u/a");
            assertEquals(1, gone.exit(), gone.out());
            assertEquals(new Reply.Value(Bytes.latin1("world")),
                    check.call(0, new Request.Read("/u/b"), Duration.ofSeconds(5)));
        }
    }

    @Test
    void xenstoreWatchSeesTheFirstFiringAndLaterChanges() throws Exception {
        try (ServedModelSut served = new ServedModelSut("cxenstored-4.17");
             XsConnection writer = XsConnection.openUnix(served.dom0Socket())) {
            assertEquals(new Reply.Ok(), writer.call(0, new Request.Write("/w", Bytes.EMPTY), Duration.ofSeconds(5)));
            ProcessBuilder pb = new ProcessBuilder(utility("watch"), "-n", "3", "/w").redirectErrorStream(true);
            pb.environment().put("XENSTORED_PATH", served.dom0Socket().toString());
            Process watch = pb.start();
            try {
                // Keep changing /w's subtree until the watcher has seen three events and exits.
                for (int i = 0; i < 100 && watch.isAlive(); i++) {
                    writer.call(0, new Request.Write("/w/x" + i, Bytes.latin1("1")), Duration.ofSeconds(5));
                    watch.waitFor(50, TimeUnit.MILLISECONDS);
                }
                assertTrue(watch.waitFor(5, TimeUnit.SECONDS), "xenstore-watch -n 3 did not finish");
                List<String> lines = new String(watch.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                        .lines().toList();
                assertEquals(0, watch.exitValue(), String.join("\n", lines));
                assertEquals(3, lines.size(), String.join("\n", lines));
                assertEquals("/w", lines.get(0), "the watch fires once when set");
                assertTrue(lines.get(1).startsWith("/w/x") && lines.get(2).startsWith("/w/x"), lines.toString());
            } finally {
                watch.destroyForcibly();
                watch.waitFor();
            }
        }
    }
}
