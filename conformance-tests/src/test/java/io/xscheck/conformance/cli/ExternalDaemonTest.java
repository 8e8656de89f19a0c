package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.Campaign;
import io.xscheck.conformance.engine.DialectDetector;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.engine.TargetReport;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Op;
import io.xscheck.sut.SocketSut;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import io.xscheck.sut.TreeImage;
import io.xscheck.sut.fakexen.XenDaemonSut;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A daemon the harness did not start, reached only by its socket, as on a live host: the daemons
 * here are started the way a user of a test host would start them (one daemon, outside the
 * engine's pool), and the engine must find nothing wrong with an unmodified one, write nothing
 * outside its sandbox, and still catch a real fault put between it and the daemon.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ExternalDaemonTest {
    private static final int CASES = 500;

    @TempDir
    Path dir;

    private static XenDaemonSut startByHand(String target) {
        return (XenDaemonSut) io.xscheck.conformance.InstalledTargets.open(target);
    }

    private static Path socketOf(XenDaemonSut daemon) {
        return daemon.directory().resolve("socket");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"cxenstored, cxenstored-4.17", "oxenstored, oxenstored-4.17"})
    void anUnmodifiedDaemonBySocketShowsNoDivergenceAndKeepsItsTree(String target, String dialect) {
        try (XenDaemonSut daemon = startByHand(target); SutConnection owner = daemon.openPrivileged()) {
            TreeImage before = TreeImage.read(owner, "/", 5000);
            String spec = Suts.SOCKET_PREFIX + socketOf(daemon);
            TargetFactory factory = () -> Suts.open(spec, SutOptions.defaults());
            DialectDetector.Choice choice = DialectDetector.detect(factory, dialect, "test");
            assertEquals(dialect, choice.dialect(), choice.why());
            assertFalse(choice.why().contains(dialect + "=differs"), choice.why());

            Campaign.Config config = new Campaign.Config(20261201L, Duration.ofMinutes(3), CASES, 2, Weights.defaults(),
                    40, 10, Duration.ofSeconds(5), 50);
            TargetReport r = new Campaign(spec, factory, Dialect.named(dialect), config, n -> { }).run();
            System.out.printf("%s by socket: %d cases, %d commands, %.0f cmd/s, op mix %s%n", target, r.sequences(),
                    r.commands(), r.rate(), r.opMix());
            assertEquals("", r.error());
            assertEquals(CASES, r.sequences());
            assertTrue(r.findings().isEmpty(), () -> r.findings().stream()
                    .map(f -> "[" + f.divergence().signature() + "]\n" + f.reproducer()).collect(Collectors.joining("\n")));
            for (String never : List.of("raw", "introduce", "release", "settarget", "resume", "control", "kill")) {
                assertFalse(r.opMix().containsKey(never), never + " was sent to an external daemon: " + r.opMix());
            }
            assertTrue(r.opMix().getOrDefault("write", 0L) > CASES, "too little traffic: " + r.opMix());
            assertTrue(r.opMix().getOrDefault("commit", 0L) > 0 && r.opMix().getOrDefault("watch", 0L) > 0,
                    r.opMix().toString());
            assertEquals(before, TreeImage.read(owner, "/", 5000),
                    "the tree outside the sandbox changed, or the sandbox was left behind");
            assertTrue(daemon.health().isAlive());
        }
    }

    @Test
    void unsafeRequestsFindCsKnownCrashAndExitOneWithAReproducer() throws Exception {
        try (XenDaemonSut daemon = startByHand("cxenstored")) {
            Path reports = dir.resolve("reports");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Main.run(new ArrayList<>(List.of("run", "--sut", Suts.SOCKET_PREFIX + socketOf(daemon),
                    "--unsafe-requests", "--weights", "bad_request=30,watch=20", "--time", "60s", "--seed", "5",
                    "--shrink-time", "5s", "--no-raw", "--report-dir", reports.toString())),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, text);
            assertTrue(text.matches("(?s).*\\n  crash:[^\\n]*DIED.*"), text);
            assertFalse(daemon.health().isAlive(), "the daemon was expected dead: " + text);
            List<Path> traces = reproducers(reports);
            assertFalse(traces.isEmpty(), text);
            Trace t = TraceParser.parse(traces.get(0));
            assertTrue(t.root().isPresent(), "a reproducer from a socket target names its case root");
            assertTrue(t.steps().stream().anyMatch(s -> s.command() instanceof io.xscheck.conformance.trace.Command.Send send
                    && send.request().op() == Op.READ && send.request() instanceof io.xscheck.protocol.Request.Raw),
                    Files.readString(traces.get(0)));
        }
    }

    @Test
    void withoutUnsafeRequestsNoMalformedFrameIsGenerated() throws Exception {
        try (XenDaemonSut daemon = startByHand("cxenstored")) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int code = Main.run(new ArrayList<>(List.of("run", "--sut", Suts.SOCKET_PREFIX + socketOf(daemon),
                    "--weights", "bad_request=30,watch=20", "--sequences", "150", "--seed", "5", "--raw-time", "300ms",
                    "--report-dir", dir.resolve("r").toString())),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(0, code, text);
            assertTrue(text.contains("no domain, control or malformed requests"), text);
            assertTrue(text.contains("dialect cxenstored-4.17"), text);
            assertFalse(text.contains("raw-rate measurement"), "the raw ceiling is measured in a case root too: " + text);
            assertTrue(daemon.health().isAlive());
        }
    }

    @Test
    void aFaultBetweenEngineAndDaemonIsFoundAndShrunk() throws Exception {
        try (XenDaemonSut daemon = startByHand("oxenstored");
             FaultProxy proxy = new FaultProxy(dir.resolve("proxy.sock"), socketOf(daemon), Op.DIRECTORY.wire(),
                     FaultProxy::dropLastName)) {
            Path reports = dir.resolve("reports");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            long start = System.nanoTime();
            int code = Main.run(new ArrayList<>(List.of("run", "--sut", Suts.SOCKET_PREFIX + dir.resolve("proxy.sock"),
                    "--dialect", Dialect.OXENSTORED, "--time", "20s", "--seed", "3", "--shrink-time", "10s",
                    "--no-raw", "--report-dir", reports.toString())),
                    new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
            double seconds = (System.nanoTime() - start) / 1e9;
            String text = out.toString(StandardCharsets.UTF_8);
            assertEquals(1, code, text);
            assertTrue(seconds < 60, "took " + seconds + " s");
            List<Path> traces = reproducers(reports);
            assertFalse(traces.isEmpty(), text);
            int smallest = Integer.MAX_VALUE;
            for (Path p : traces) {
                smallest = Math.min(smallest, TraceParser.parse(p).steps().size());
            }
            assertTrue(smallest <= 8, "smallest reproducer has " + smallest + " steps:\n" + text);
            assertTrue(text.contains("reply:directory"), text);
        }
    }

    private static List<Path> reproducers(Path reports) throws Exception {
        Path d = reports.resolve("reproducers");
        if (!Files.isDirectory(d)) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(d)) {
            return s.sorted().toList();
        }
    }

    @Test
    void aTraceForTheWholeTreeIsNotReplayedOnASocketTarget() throws Exception {
        try (XenDaemonSut daemon = startByHand("cxenstored")) {
            Path trace = dir.resolve("whole.trace");
            Files.writeString(trace, "conn A dom0\nA write /x 1\n");
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new ArrayList<>(List.of("replay", trace.toString(), "--sut",
                    Suts.SOCKET_PREFIX + socketOf(daemon))), new PrintStream(out, true, StandardCharsets.UTF_8),
                    new PrintStream(err, true, StandardCharsets.UTF_8));
            assertEquals(2, code);
            assertTrue(err.toString(StandardCharsets.UTF_8).contains("WHOLE_TREE"), err.toString(StandardCharsets.UTF_8));
        }
    }
}
