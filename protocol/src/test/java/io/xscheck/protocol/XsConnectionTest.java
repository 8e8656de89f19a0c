package io.xscheck.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.Pipe;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** XsConnection against a scripted peer on a real Unix socket in a private temp dir. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class XsConnectionTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    @Test
    void thousandPipelinedRequestsAreMatchedByReqIdWhenAnsweredOutOfOrder() throws Exception {
        int n = 1000;
        Set<Integer> reqIds = Collections.synchronizedSet(new HashSet<>());
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            List<Frame> requests = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                requests.add(peer.read());
            }
            Collections.shuffle(requests, new Random(42));
            for (Frame request : requests) {
                reqIds.add(request.reqId());
                Request.Read read = (Request.Read) RequestCodec.decode(request);
                peer.reply(request, new Reply.Value(Bytes.latin1(read.path() + "!")));
            }
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            long start = System.nanoTime();
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                replies.add(conn.send(0, new Request.Read("/k/" + i)));
            }
            CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            System.out.printf("pipelined %d requests, answered shuffled, in %.1f ms%n", n,
                    (System.nanoTime() - start) / 1e6);
            for (int i = 0; i < n; i++) {
                assertEquals(new Reply.Value(Bytes.latin1("/k/" + i + "!")), replies.get(i).get());
            }
            assertEquals(n, reqIds.size(), "req_ids must be distinct");
            assertEquals(0, conn.pendingCount());
        }
    }

    @Test
    void sendAllWritesTheRequestsInOrderWithDistinctReqIdsAndMatchesTheirReplies() throws Exception {
        List<Request> asks = List.of(new Request.Read("/a"), new Request.Read("/b"), new Request.Read("/c"),
                new Request.Read("/d"));
        List<Frame> seen = Collections.synchronizedList(new ArrayList<>());
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            for (int i = 0; i < asks.size(); i++) {
                seen.add(peer.read());
            }
            for (int i = seen.size() - 1; i >= 0; i--) {
                // Answered last first: each reply finds its request by req_id.
                Request.Read r = (Request.Read) RequestCodec.decode(seen.get(i));
                peer.reply(seen.get(i), new Reply.Value(Bytes.latin1(r.path() + "!")));
            }
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            List<CompletableFuture<Reply>> replies = conn.sendAll(asks);
            for (int i = 0; i < asks.size(); i++) {
                Request.Read ask = (Request.Read) asks.get(i);
                assertEquals(new Reply.Value(Bytes.latin1(ask.path() + "!")), replies.get(i).get(5, TimeUnit.SECONDS));
                assertEquals(asks.get(i), RequestCodec.decode(seen.get(i)), "request " + i + " in order");
            }
            assertEquals(asks.size(), seen.stream().map(Frame::reqId).distinct().count(), "req_ids must be distinct");
        }
    }

    @Test
    void anEventThatArrivesBeforeAReplyIsQueuedBeforeTheReplyCompletes() throws Exception {
        int rounds = 300;
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            for (int i = 0; i < rounds; i++) {
                Frame request = peer.read();
                Frame event = WatchEvents.encode(new WatchEvent("/w", "t" + i));
                Frame ok = ReplyCodec.encode(Op.WRITE, request.reqId(), 0, new Reply.Ok());
                if (i % 2 == 0) {
                    peer.write(event, ok); // one write: both frames usually arrive in one read
                } else {
                    peer.write(event);
                    peer.write(ok);
                }
            }
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            for (int i = 0; i < rounds; i++) {
                CompletableFuture<Reply> reply = conn.send(0, new Request.Write("/w", Bytes.latin1("v")));
                assertEquals(new Reply.Ok(), reply.get(5, TimeUnit.SECONDS));
                assertEquals(List.of(new WatchEvent("/w", "t" + i)), conn.drainEvents(), "round " + i);
            }
        }
    }

    @Test
    void pollEventWaitsForAnEventAndTimesOutWithoutOne() throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            go.await();
            peer.write(WatchEvents.encode(new WatchEvent("@introduceDomain", "x")));
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            long start = System.nanoTime();
            assertEquals(Optional.empty(), conn.pollEvent(Duration.ofMillis(150)));
            assertTrue(System.nanoTime() - start >= TimeUnit.MILLISECONDS.toNanos(140));
            go.countDown();
            assertEquals(Optional.of(new WatchEvent("@introduceDomain", "x")), conn.pollEvent(WAIT));
        }
    }

    @Test
    void peerCloseFailsEveryPendingAndLaterCallClearly() throws Exception {
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            Frame first = peer.read();
            peer.read();
            peer.read();
            peer.reply(first, new Reply.Ok());
            // the script ends here, which closes the socket with two requests unanswered
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            CompletableFuture<Reply> a = conn.send(0, new Request.Mkdir("/a"));
            CompletableFuture<Reply> b = conn.send(0, new Request.Mkdir("/b"));
            CompletableFuture<Reply> c = conn.send(0, new Request.Read("/c"));
            assertEquals(new Reply.Ok(), a.get(5, TimeUnit.SECONDS));
            for (CompletableFuture<Reply> pending : List.of(b, c)) {
                XsConnectionException e = failure(pending);
                assertEquals(XsConnectionException.Reason.PEER_CLOSED, e.reason());
                assertTrue(e.getMessage().contains("peer closed"), e.getMessage());
                assertTrue(e.getMessage().contains("2 request(s) were waiting"), e.getMessage());
                assertTrue(e.getMessage().contains("last req_id sent 3"), e.getMessage());
                assertTrue(e.getMessage().contains("last req_id answered 1"), e.getMessage());
            }
            assertFalse(conn.isOpen());
            XsConnectionException later = assertThrows(XsConnectionException.class,
                    () -> conn.call(0, new Request.Read("/d"), WAIT));
            assertEquals(XsConnectionException.Reason.PEER_CLOSED, later.reason());
            assertThrows(XsConnectionException.class, () -> conn.pollEvent(WAIT));
            server.awaitScript();
        }
    }

    @Test
    void anOversizedHeaderFromThePeerFailsEverythingAsGarbage() throws Exception {
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            peer.read();
            peer.read();
            peer.writeBytes(Hex.bytes("02000000 01000000 00000000 ffffffff"));
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            CompletableFuture<Reply> a = conn.send(0, new Request.Read("/a"));
            CompletableFuture<Reply> b = conn.send(0, new Request.Read("/b"));
            for (CompletableFuture<Reply> pending : List.of(a, b)) {
                XsConnectionException e = failure(pending);
                assertEquals(XsConnectionException.Reason.MALFORMED, e.reason());
                assertTrue(e.getMessage().contains("garbage") && e.getMessage().contains("XENSTORE_PAYLOAD_MAX"),
                        e.getMessage());
                assertInstanceOf(ProtocolException.class, e.getCause());
            }
            assertEquals(XsConnectionException.Reason.MALFORMED,
                    assertThrows(XsConnectionException.class, () -> conn.call(0, new Request.Read("/c"), WAIT)).reason());
        }
    }

    @Test
    void aReplyForNoRequestIsGarbage() throws Exception {
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            Frame request = peer.read();
            peer.write(ReplyCodec.encode(Op.READ, request.reqId() + 999, 0, new Reply.Value(Bytes.EMPTY)));
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            XsConnectionException e = failure(conn.send(0, new Request.Read("/a")));
            assertEquals(XsConnectionException.Reason.MALFORMED, e.reason());
            assertTrue(e.getMessage().contains("no request is waiting"), e.getMessage());
        }
    }

    @Test
    void aMalformedWatchEventIsGarbage() throws Exception {
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            peer.read();
            peer.write(Frame.of(Op.WATCH_EVENT, 0, 0, Payloads.strings("/only-a-path")));
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            XsConnectionException e = failure(conn.send(0, new Request.Read("/a")));
            assertEquals(XsConnectionException.Reason.MALFORMED, e.reason());
            assertTrue(e.getMessage().contains("watch event"), e.getMessage());
        }
    }

    @Test
    void aMalformedReplyFailsOnlyItsOwnCall() throws Exception {
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            Frame first = peer.read();
            Frame second = peer.read();
            peer.write(Frame.of(Op.WRITE, first.reqId(), 0, Bytes.latin1("ok")));
            peer.reply(second, new Reply.Error("ENOENT"));
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            CompletableFuture<Reply> a = conn.send(0, new Request.Write("/a", Bytes.latin1("1")));
            CompletableFuture<Reply> b = conn.send(0, new Request.Read("/b"));
            XsConnectionException e = failure(a);
            assertEquals(XsConnectionException.Reason.BAD_REPLY, e.reason());
            assertTrue(e.getMessage().contains("WRITE req_id 1"), e.getMessage());
            assertEquals(new Reply.Error("ENOENT"), b.get(5, TimeUnit.SECONDS));
            assertTrue(conn.isOpen());
        }
    }

    @Test
    void aTimedOutCallLeavesTheConnectionUsable() throws Exception {
        CountDownLatch late = new CountDownLatch(1);
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            Frame slow = peer.read();
            late.await();
            peer.reply(slow, new Reply.Value(Bytes.latin1("late")));
            Frame next = peer.read();
            peer.reply(next, new Reply.Value(Bytes.latin1("on time")));
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            long start = System.nanoTime();
            XsConnectionException e = assertThrows(XsConnectionException.class,
                    () -> conn.call(0, new Request.Read("/slow"), Duration.ofMillis(200)));
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertEquals(XsConnectionException.Reason.TIMEOUT, e.reason());
            assertTrue(e.getMessage().contains("READ req_id 1") && e.getMessage().contains("200 ms"), e.getMessage());
            assertTrue(millis >= 190 && millis < 3000, "timed out after " + millis + " ms");
            assertFalse(e.connectionLost());
            late.countDown();
            assertEquals(new Reply.Value(Bytes.latin1("on time")), conn.call(0, new Request.Read("/next"), WAIT));
            assertEquals(0, conn.pendingCount());
            assertTrue(conn.isOpen());
        }
    }

    @Test
    void sendRawSendsAnyFrameAndReturnsTheReplyFrame() throws Exception {
        CountDownLatch duplicateChecked = new CountDownLatch(1);
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            Frame unknown = peer.read();
            assertEquals(20, unknown.type());
            duplicateChecked.await(); // req_id 500 must still be pending while the test reuses it
            peer.write(Frame.of(Op.ERROR, unknown.reqId(), 0, Payloads.strings("ENOSYS")));
            // An oversized payload is sent as is; read it raw.
            byte[] header = peer.readRaw(FrameCodec.HEADER_SIZE);
            int len = FrameCodec.getU32(header, 12);
            peer.readRaw(len);
            peer.write(Frame.of(Op.ERROR, FrameCodec.getU32(header, 4), 0, Payloads.strings("E2BIG")));
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            CompletableFuture<Frame> reply = conn.sendRaw(new Frame(20, 500, 0, Payloads.strings("x")));
            assertThrows(IllegalStateException.class, () -> conn.sendRaw(new Frame(2, 500, 0, Bytes.EMPTY)));
            duplicateChecked.countDown();
            Frame frame = reply.get(5, TimeUnit.SECONDS);
            assertEquals(Op.ERROR.wire(), frame.type());
            assertEquals(500, frame.reqId());
            assertEquals(Payloads.strings("ENOSYS"), frame.payload());
            Frame big = new Frame(Op.WRITE.wire(), 501, 0, Bytes.of(new byte[5000]));
            assertEquals(Payloads.strings("E2BIG"), conn.sendRaw(big).get(5, TimeUnit.SECONDS).payload());
        }
    }

    @Test
    void closeIsIdempotentFailsPendingCallsAndEndsTheReaderThread() throws Exception {
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            peer.read();
            peer.read(); // until the client closes
        })) {
            XsConnection conn = XsConnection.openUnix(server.socket());
            String threadName = "xs-reader " + conn.label();
            assertTrue(readerAlive(threadName));
            CompletableFuture<Reply> pending = conn.send(0, new Request.Read("/never"));
            conn.close();
            conn.close();
            assertEquals(XsConnectionException.Reason.CLOSED, failure(pending).reason());
            assertFalse(readerAlive(threadName), "reader thread still running after close");
            assertEquals(List.of(), conn.drainEvents());
            assertEquals(XsConnectionException.Reason.CLOSED,
                    assertThrows(XsConnectionException.class, () -> conn.call(0, new Request.Read("/"), WAIT)).reason());
            server.awaitScript();
        }
    }

    @Test
    void openUnixNamesAMissingSocket() {
        Path missing = dir.resolve("nobody-here.sock");
        IOException e = assertThrows(IOException.class, () -> XsConnection.openUnix(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }

    @Test
    void worksOverAnyPairOfByteChannels() throws Exception {
        // The shape a shared-memory ring adapter has: separate read and write channels.
        Pipe toServer = Pipe.open();
        Pipe toClient = Pipe.open();
        Thread server = new Thread(() -> {
            FrameDecoder decoder = new FrameDecoder();
            ByteBuffer buf = ByteBuffer.allocate(4096);
            try {
                while (toServer.source().read(buf.clear()) >= 0) {
                    decoder.feed(buf.flip());
                    for (Frame f = decoder.poll(); f != null; f = decoder.poll()) {
                        Frame reply = ReplyCodec.encode(Op.fromWire(f.type()), f.reqId(), f.txId(),
                                new Reply.TransactionId(f.reqId() + 100L));
                        toClient.sink().write(ByteBuffer.wrap(FrameCodec.encode(reply)));
                    }
                }
            } catch (IOException | ProtocolException e) {
                // the client closed the pipes
            }
        }, "pipe test server");
        server.setDaemon(true);
        server.start();
        try (XsConnection conn = new XsConnection(toClient.source(), toServer.sink(), "pipes")) {
            assertEquals(new Reply.TransactionId(101), conn.call(0, new Request.TransactionStart(), WAIT));
            assertEquals(new Reply.TransactionId(102), conn.call(0, new Request.TransactionStart(), WAIT));
        }
        toClient.sink().close();
        toServer.source().close();
        server.join(5000);
        assertFalse(server.isAlive());
    }

    @Test
    void readersOnAPoolShareItsThreadsAndACloseStopsOnlyItsOwnReader() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "pool reader");
            t.setDaemon(true);
            return t;
        });
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            peer.reply(peer.read(), new Reply.Ok());
            peer.read();
        })) {
            XsConnection first = XsConnection.openUnix(server.socket(), pool);
            assertEquals(new Reply.Ok(), first.call(0, new Request.Mkdir("/a"), WAIT));
            assertTrue(readerAlive("xs-reader unix:" + server.socket()), "the pool's thread reads, named for it");
            first.close();
            assertFalse(readerAlive("xs-reader unix:" + server.socket()), "its name is given back with the thread");
        }
        // The one pool thread, back from the closed connection's reader (interrupted by that close), serves the next.
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            for (int i = 0; i < 3; i++) {
                peer.reply(peer.read(), new Reply.Ok());
            }
            peer.read();
        }); XsConnection second = XsConnection.openUnix(server.socket(), pool)) {
            for (int i = 0; i < 3; i++) {
                assertEquals(new Reply.Ok(), second.call(0, new Request.Mkdir("/b" + i), WAIT));
            }
            assertTrue(second.isOpen());
        } finally {
            pool.shutdown();
        }
    }

    private static XsConnectionException failure(CompletableFuture<?> future) throws Exception {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(5, TimeUnit.SECONDS));
        return assertInstanceOf(XsConnectionException.class, e.getCause());
    }

    private static boolean readerAlive(String name) {
        return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
    }

    @Test
    void rawBytesArriveAsTheyAreAndTheRepliesTheyProvokeAreDropped() throws Exception {
        byte[] twoReads = new byte[2 * 19];
        byte[] one = FrameCodec.encode(new Frame(Op.READ.wire(), 7000, 0, Bytes.latin1("/a\0")));
        System.arraycopy(one, 0, twoReads, 0, 19);
        System.arraycopy(FrameCodec.encode(new Frame(Op.READ.wire(), 7001, 0, Bytes.latin1("/b\0"))), 0, twoReads, 19, 19);
        AtomicReference<byte[]> received = new AtomicReference<>();
        try (UnixTestServer server = UnixTestServer.start(dir, peer -> {
            received.set(peer.readRaw(twoReads.length));
            // Answer both raw requests (nobody waits for them), then the typed one.
            peer.write(new Frame(Op.READ.wire(), 7000, 0, Bytes.latin1("x")),
                    new Frame(Op.READ.wire(), 7001, 0, Bytes.latin1("y")));
            Frame typed = peer.read();
            peer.reply(typed, new Reply.Value(Bytes.latin1("z")));
            peer.read();
        }); XsConnection conn = XsConnection.openUnix(server.socket())) {
            conn.writeBytes(twoReads);
            assertEquals(new Reply.Value(Bytes.latin1("z")), conn.call(0, new Request.Read("/c"), WAIT));
            assertArrayEquals(twoReads, received.get());
            assertEquals(2, conn.strayReplies());
            assertTrue(conn.isOpen());
        }
    }
}
