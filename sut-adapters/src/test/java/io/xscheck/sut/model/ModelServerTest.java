package io.xscheck.sut.model;

import io.xscheck.model.Dialect;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Frame;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsConnection;
import io.xscheck.protocol.XsConnectionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model server's own behaviour: concurrency, asynchronous events, bad clients, sockets, CLI. */
class ModelServerTest {

    private static final Duration T = Duration.ofSeconds(5);
    private ServedModelSut served;

    @BeforeEach
    void start() {
        served = new ServedModelSut("cxenstored-4.17");
    }

    @AfterEach
    void stop() {
        served.close();
    }

    private XsConnection dom0() throws IOException {
        return XsConnection.openUnix(served.dom0Socket());
    }

    @Test
    void manyClientsAtOnceEachSeeTheirOwnWrites() throws Exception {
        int clients = 8;
        int writes = 150;
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                int id = c;
                done.add(pool.submit(() -> {
                    try (XsConnection xs = dom0()) {
                        for (int i = 0; i < writes; i++) {
                            String path = "/many/c" + id + "/n" + (i % 7);
                            assertEquals(new Reply.Ok(), xs.call(0, new Request.Write(path, Bytes.latin1("v" + i)), T));
                            assertEquals(new Reply.Value(Bytes.latin1("v" + i)), xs.call(0, new Request.Read(path), T));
                        }
                        return writes;
                    }
                }));
            }
            for (Future<Integer> f : done) {
                assertEquals(writes, f.get(60, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        try (XsConnection xs = dom0()) {
            Reply names = xs.call(0, new Request.Directory("/many"), T);
            assertEquals(clients, ((Reply.Names) names).names().size());
        }
    }

    @Test
    void eventsArriveWhileTheWatcherIsIdleAndStopWhenItCloses() throws Exception {
        try (XsConnection watcher = dom0(); XsConnection writer = dom0()) {
            assertEquals(new Reply.Ok(), watcher.call(0, new Request.Watch("/ev", "t"), T));
            assertEquals(Optional.of(new WatchEvent("/ev", "t")), watcher.pollEvent(T));
            assertEquals(new Reply.Ok(), writer.call(0, new Request.Write("/ev/a", Bytes.latin1("1")), T));
            assertEquals(Optional.of(new WatchEvent("/ev/a", "t")), watcher.pollEvent(T));
            watcher.close();
            // The closed watcher's watch is gone from the model: writing again must not fail.
            assertEquals(new Reply.Ok(), writer.call(0, new Request.Write("/ev/b", Bytes.latin1("2")), T));
        }
    }

    @Test
    void anOversizedFrameDropsOnlyThatClient() throws Exception {
        try (XsConnection bad = dom0(); XsConnection good = dom0()) {
            CompletableFuture<Frame> reply = bad.sendRaw(new Frame(2, 77, 0, Bytes.of(new byte[5000])));
            ExecutionException e = assertThrows(ExecutionException.class, () -> reply.get(5, TimeUnit.SECONDS));
            assertTrue(e.getCause() instanceof XsConnectionException, e.toString());
            assertEquals(new Reply.Ok(), good.call(0, new Request.Write("/still", Bytes.latin1("here")), T));
        }
        assertTrue(served.logTail(10).contains("not xs_wire"), served.logTail(10));
    }

    @Test
    void unknownRequestTypesGetAnErrorNotADisconnect() throws Exception {
        try (XsConnection xs = dom0()) {
            Frame reply = xs.sendRaw(new Frame(99, 5, 0, Bytes.latin1("x\0"))).get(5, TimeUnit.SECONDS);
            assertEquals(16, reply.type(), "ERROR reply: " + reply);
            assertEquals(new Reply.Ok(), xs.call(0, new Request.Write("/after", Bytes.EMPTY), T));
        }
    }

    @Test
    void theGuestSocketSpeaksAsItsDomain() throws Exception {
        try (XsConnection dom0 = dom0(); XsConnection guest = XsConnection.openUnix(served.guestSocket())) {
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.Write("/g", Bytes.latin1("x")), T));
            assertEquals(new Reply.Error("EACCES"), guest.call(0, new Request.Write("/g", Bytes.latin1("y")), T));
            assertEquals(new Reply.Error("EACCES"), guest.call(0, new Request.Introduce(9, 1, 1), T));
        }
    }

    @Test
    void anExistingPathIsRefusedAndCloseRemovesTheSockets() throws Exception {
        Path taken = served.directory().resolve("taken");
        Files.writeString(taken, "not a socket");
        try {
            IOException e = assertThrows(IOException.class, () -> ModelServer.start(Dialect.named("spec"), taken,
                    Map.of(), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)));
            assertTrue(e.getMessage().contains("already exists"), e.getMessage());
            assertEquals("not a socket", Files.readString(taken));
        } finally {
            Files.delete(taken);
        }
        served.close();
        assertFalse(Files.exists(served.dom0Socket()));
        assertFalse(Files.exists(served.guestSocket()));
    }

    @Test
    void theCommandLineRejectsBadArgumentsWithExitCode2() {
        assertEquals(2, ModelServer.run(new String[] {}));
        assertEquals(2, ModelServer.run(new String[] {"--dialect", "nonesuch", "--socket", "/tmp/x"}));
        assertEquals(2, ModelServer.run(new String[] {"--dialect", "spec", "--socket"}));
        assertEquals(2, ModelServer.run(new String[] {"--dialect", "spec", "--socket", "/tmp/x", "--guest", "0:/tmp/y"}));
        assertEquals(2, ModelServer.run(new String[] {"--dialect", "spec", "--socket", "/tmp/x", "--guest", "1"}));
        assertEquals(2, ModelServer.run(new String[] {"--socket", "/tmp/x", "--bogus"}));
        assertEquals(2, ModelServer.run(new String[] {"--dialect", "spec",
                "--socket", served.directory().toString()}), "existing path");
    }

    @Test
    void helpIsNotAnError() {
        assertEquals(0, ModelServer.run(new String[] {"--help"}));
    }

    @Test
    void argumentsParse() {
        ServeArgs a = ServeArgs.parse(List.of("--socket", "/s", "--guest", "5:/g5", "--dialect", "qemu", "--guest", "6:/g6"));
        assertEquals("qemu", a.dialect());
        assertEquals(Path.of("/s"), a.socket());
        assertEquals(Map.of(5, Path.of("/g5"), 6, Path.of("/g6")), a.guests());
        assertThrows(IllegalArgumentException.class, () -> ServeArgs.parse(List.of("--dialect", "a", "--dialect", "b", "--socket", "/s")));
        assertThrows(IllegalArgumentException.class, () -> ServeArgs.parse(List.of("--dialect", "a", "--socket", "/s", "--guest", "5:/s")));
        assertThrows(IllegalArgumentException.class, () -> ServeArgs.parse(List.of("--dialect", "a", "--socket", "/s", "--guest", "x:/g")));
    }
}
