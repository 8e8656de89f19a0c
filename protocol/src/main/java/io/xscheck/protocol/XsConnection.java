package io.xscheck.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An xs_wire client over a pair of byte channels: a Unix socket ({@link #openUnix(Path)}) or a
 * shared-memory ring adapted to channels. Requests are written on the caller's thread and may be
 * pipelined; one named daemon reader thread matches replies to requests by req_id and puts watch
 * events on their own queue. Frames are handled strictly in arrival order, so an event that
 * arrives before a reply is queued before that reply's future completes.
 *
 * <p>When the peer closes, sends bytes that are not xs_wire, or the channel fails, every pending
 * and later call fails with an {@link XsConnectionException} saying what happened; nothing waits
 * forever. Futures complete on the reader thread: dependent actions must not block on this
 * connection (use the {@code *Async} variants for that).
 *
 * <p>Writes block the caller while the channel does; a peer that stops reading is unblocked by
 * {@link #close()} from another thread.
 */
public final class XsConnection implements AutoCloseable {
    private static final long POLL_SLICE_MILLIS = 50;
    private static final long CLOSE_JOIN_MILLIS = 2000;

    private final String label;
    private final ReadableByteChannel in;
    private final WritableByteChannel out;
    private final Object writeLock = new Object();
    private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<WatchEvent> events = new LinkedBlockingQueue<>();
    private final AtomicReference<XsConnectionException> failure = new AtomicReference<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** The thread running {@link #readLoop} while it runs (null before and after); guarded by itself as a lock. */
    private final Object readerLock = new Object();
    private Thread reader;
    private final java.util.concurrent.CountDownLatch readerDone = new java.util.concurrent.CountDownLatch(1);
    /** The reader's own thread, or null when it runs on a pool's. */
    private final Thread ownReader;
    /** Guarded by writeLock. */
    private int nextReqId = 1;
    private volatile long lastSentReqId = -1;
    private volatile long lastReplyReqId = -1;
    /** Set by {@link #writeBytes}: replies no request waits for are then expected and dropped. */
    private volatile boolean strayRepliesExpected;
    private final java.util.concurrent.atomic.AtomicLong strayReplies = new java.util.concurrent.atomic.AtomicLong();

    /** What a pending request waits for: a typed reply, or the raw reply frame. */
    private record Pending(int reqId, Op op, int type, CompletableFuture<Reply> reply, CompletableFuture<Frame> frame) {
    }

    /**
     * Starts a connection over {@code in} and {@code out}, which may be the same channel. Both are
     * closed by {@link #close()} or when the connection fails. {@code label} names it in thread names
     * and messages.
     */
    public XsConnection(ReadableByteChannel in, WritableByteChannel out, String label) {
        this(in, out, label, null);
    }

    /**
     * {@link #XsConnection(ReadableByteChannel, WritableByteChannel, String)}, whose reader runs on a thread of
     * {@code readers} (named for this connection while it runs) rather than on a thread of its own: starting a
     * thread took about a millisecond on two loaded cores, once per guest connection of every test case. The
     * executor must run each task on a thread of its own at once (a cached pool of daemon threads does).
     *
     * @param readers null: a new daemon thread
     */
    public XsConnection(ReadableByteChannel in, WritableByteChannel out, String label,
                        java.util.concurrent.Executor readers) {
        this.in = in;
        this.out = out;
        this.label = label;
        if (readers == null) {
            ownReader = new Thread(this::runReader, "xs-reader " + label);
            ownReader.setDaemon(true);
            ownReader.start();
        } else {
            ownReader = null;
            readers.execute(this::runReader);
        }
    }

    /**
     * Runs {@link #readLoop} on the current thread, which may be a pool's: an interrupt {@link #close} aims at
     * this connection's reader is cleared before the thread goes on to other work.
     */
    private void runReader() {
        Thread self = Thread.currentThread();
        String name = self.getName();
        synchronized (readerLock) {
            reader = self;
        }
        self.setName("xs-reader " + label);
        try {
            readLoop();
        } finally {
            synchronized (readerLock) {
                reader = null;
                Thread.interrupted();
            }
            self.setName(name);
            readerDone.countDown();
        }
    }

    public XsConnection(ReadableByteChannel in, WritableByteChannel out) {
        this(in, out, "channel");
    }

    /** Connects to a daemon's Unix socket. */
    public static XsConnection openUnix(Path socket) throws IOException {
        return openUnix(socket, null);
    }

    /** {@link #openUnix(Path)}, whose reader runs on a thread of {@code readers} (null: a thread of its own). */
    public static XsConnection openUnix(Path socket, java.util.concurrent.Executor readers) throws IOException {
        SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot connect to xenstore socket " + socket + ": " + e.getMessage(), e);
        }
        return new XsConnection(channel, channel, "unix:" + socket, readers);
    }

    public String label() {
        return label;
    }

    /**
     * Sends {@code request} in transaction {@code txId} (0 for none) and returns its reply, decoded
     * for the request's op. An ERROR reply completes normally as {@link Reply.Error}. The future
     * fails with {@link XsConnectionException}: BAD_REPLY when only this reply was malformed, or
     * the reason the connection died.
     */
    public CompletableFuture<Reply> send(int txId, Request request) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        submit(null, txId, request.type(), request.payload(), request.op(), reply, null);
        return reply;
    }

    /**
     * {@link #send} for every request of {@code requests}, in order, all in transaction 0 and
     * written at once: one write for the lot, so that a daemon reads them in one go rather than
     * waking once per request. The replies come as {@link #send} gives them.
     */
    public List<CompletableFuture<Reply>> sendAll(List<Request> requests) {
        List<CompletableFuture<Reply>> replies = new java.util.ArrayList<>(requests.size());
        synchronized (writeLock) {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            int last = 0;
            for (Request request : requests) {
                CompletableFuture<Reply> reply = new CompletableFuture<>();
                replies.add(reply);
                XsConnectionException dead = failure.get();
                if (dead != null) {
                    failOne(reply, null, dead);
                    continue;
                }
                int reqId = allocateReqId();
                pending.put(reqId, new Pending(reqId, request.op(), request.type(), reply, null));
                // A failure that raced with the registration may have swept the map already.
                dead = failure.get();
                if (dead != null) {
                    pending.remove(reqId);
                    failOne(reply, null, dead);
                    continue;
                }
                bytes.writeBytes(FrameCodec.encode(new Frame(request.type(), reqId, 0, request.payload())));
                last = reqId;
            }
            if (bytes.size() > 0) {
                lastSentReqId = Integer.toUnsignedLong(last);
                try {
                    writeFully(bytes.toByteArray());
                } catch (IOException e) {
                    fail(XsConnectionException.Reason.IO_ERROR, "writing " + requests.size() + " requests up to req_id "
                            + Integer.toUnsignedString(last) + " to " + label + " failed: " + e, e);
                }
            }
        }
        return replies;
    }

    /**
     * Sends {@code request} and waits at most {@code timeout} for its reply.
     *
     * @throws XsConnectionException on timeout (the connection stays usable; a late reply is
     *     discarded), on a malformed reply, or when the connection is lost
     */
    public Reply call(int txId, Request request, Duration timeout) {
        CompletableFuture<Reply> reply = new CompletableFuture<>();
        int reqId = submit(null, txId, request.type(), request.payload(), request.op(), reply, null);
        return await(reply, timeout, request.op() + " req_id " + Integer.toUnsignedString(reqId));
    }

    /**
     * Test escape hatch: sends {@code frame} exactly as given (its own req_id, any type, any
     * payload, even one longer than XENSTORE_PAYLOAD_MAX) and returns the undecoded reply frame
     * with that req_id.
     *
     * @throws IllegalStateException when a request with the same req_id is still waiting
     */
    public CompletableFuture<Frame> sendRaw(Frame frame) {
        CompletableFuture<Frame> reply = new CompletableFuture<>();
        Op op = new Request.Raw(frame.type(), frame.payload()).op();
        submit(frame, frame.txId(), frame.type(), frame.payload(), op, null, reply);
        return reply;
    }

    /**
     * Robustness escape hatch: writes {@code bytes} as they are (any number of frames or parts of
     * frames, lengths that lie included), registering no request. From then on a reply that no
     * request waits for is counted and dropped instead of failing the connection, since those
     * bytes may hold requests the daemon answers. Blocks while the channel does, like a request.
     *
     * @throws XsConnectionException when the connection is already dead or the write fails
     */
    public void writeBytes(byte[] bytes) {
        strayRepliesExpected = true;
        synchronized (writeLock) {
            XsConnectionException dead = failure.get();
            if (dead != null) {
                throw new XsConnectionException(dead.reason(), dead.getMessage(), dead);
            }
            try {
                writeFully(bytes);
            } catch (IOException e) {
                fail(XsConnectionException.Reason.IO_ERROR, "writing " + bytes.length + " raw bytes to " + label
                        + " failed: " + e, e);
                XsConnectionException now = failure.get();
                throw new XsConnectionException(now.reason(), now.getMessage(), now);
            }
        }
    }

    /** Replies dropped because no request waited for them (only after {@link #writeBytes}). */
    public long strayReplies() {
        return strayReplies.get();
    }

    /**
     * The next watch event, waiting at most {@code timeout}; empty when none came in time.
     *
     * @throws XsConnectionException when no event is queued and the connection is lost
     */
    public Optional<WatchEvent> pollEvent(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            WatchEvent event = events.poll();
            if (event != null) {
                return Optional.of(event);
            }
            XsConnectionException dead = failure.get();
            if (dead != null) {
                throw new XsConnectionException(dead.reason(), dead.getMessage(), dead);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Optional.empty();
            }
            try {
                event = events.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(POLL_SLICE_MILLIS)),
                        TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new XsConnectionException(XsConnectionException.Reason.INTERRUPTED,
                        "interrupted while waiting for a watch event on " + label, e);
            }
            if (event != null) {
                return Optional.of(event);
            }
        }
    }

    /** Every watch event queued so far, oldest first; never blocks, works after a failure too. */
    public List<WatchEvent> drainEvents() {
        List<WatchEvent> out = new ArrayList<>();
        events.drainTo(out);
        return out;
    }

    /** Requests sent and not yet answered (timed-out ones included until their reply arrives). */
    public int pendingCount() {
        return pending.size();
    }

    /** Why the connection is dead, or empty while it is alive. */
    public Optional<XsConnectionException> failure() {
        return Optional.ofNullable(failure.get());
    }

    public boolean isOpen() {
        return failure.get() == null;
    }

    /** Fails what is pending, closes both channels and ends the reader thread. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        fail(XsConnectionException.Reason.CLOSED, "connection " + label + " was closed by the client", null);
        closeChannels();
        boolean onReader;
        synchronized (readerLock) {
            onReader = Thread.currentThread() == reader;
            if (!onReader && reader != null) {
                reader.interrupt();
            }
        }
        if (!onReader) {
            try {
                readerDone.await(CLOSE_JOIN_MILLIS, TimeUnit.MILLISECONDS);
                if (ownReader != null) {
                    // the latch falls in the reader's last lines: its thread may still be alive for a moment after
                    ownReader.join(CLOSE_JOIN_MILLIS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return "XsConnection[" + label + (isOpen() ? "" : ", dead: " + failure.get().getMessage()) + "]";
    }

    /** Registers the request, then writes it; returns the req_id used. */
    private int submit(Frame fixed, int txId, int type, Bytes payload, Op op,
                       CompletableFuture<Reply> reply, CompletableFuture<Frame> frame) {
        int reqId;
        synchronized (writeLock) {
            XsConnectionException dead = failure.get();
            if (dead != null) {
                failOne(reply, frame, dead);
                return fixed == null ? 0 : fixed.reqId();
            }
            reqId = fixed == null ? allocateReqId() : fixed.reqId();
            Pending p = new Pending(reqId, op, type, reply, frame);
            if (pending.putIfAbsent(reqId, p) != null) {
                throw new IllegalStateException("req_id " + Integer.toUnsignedString(reqId)
                        + " is still waiting for its reply on " + label);
            }
            // A failure that raced with the registration may have swept the map already.
            dead = failure.get();
            if (dead != null) {
                pending.remove(reqId);
                failOne(reply, frame, dead);
                return reqId;
            }
            byte[] bytes = fixed == null
                    ? FrameCodec.encode(new Frame(type, reqId, txId, payload))
                    : FrameCodec.encodeAnyLength(fixed);
            lastSentReqId = Integer.toUnsignedLong(reqId);
            try {
                writeFully(bytes);
            } catch (IOException e) {
                fail(XsConnectionException.Reason.IO_ERROR, "writing " + Op.nameOf(type) + " req_id "
                        + Integer.toUnsignedString(reqId) + " to " + label + " failed: " + e, e);
            }
        }
        return reqId;
    }

    private int allocateReqId() {
        int id = nextReqId;
        while (id == 0 || pending.containsKey(id)) {
            id++;
        }
        nextReqId = id + 1;
        return id;
    }

    private void writeFully(byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            if (out.write(buf) == 0) {
                if (failure.get() != null) {
                    throw new IOException("connection failed while writing");
                }
                // A non-blocking channel (a full ring) makes no progress; back off briefly.
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while writing", e);
                }
            }
        }
    }

    private Reply await(CompletableFuture<Reply> reply, Duration timeout, String what) {
        try {
            return reply.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new XsConnectionException(XsConnectionException.Reason.TIMEOUT,
                    "no reply to " + what + " within " + timeout.toMillis() + " ms on " + label, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof XsConnectionException x) {
                throw new XsConnectionException(x.reason(), x.getMessage(), x);
            }
            throw new IllegalStateException("unexpected failure of " + what, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new XsConnectionException(XsConnectionException.Reason.INTERRUPTED,
                    "interrupted while waiting for the reply to " + what + " on " + label, e);
        }
    }

    private void readLoop() {
        FrameDecoder decoder = new FrameDecoder();
        ByteBuffer buf = ByteBuffer.allocate(FrameCodec.HEADER_SIZE + FrameCodec.PAYLOAD_MAX);
        try {
            while (failure.get() == null) {
                buf.clear();
                int n = in.read(buf);
                if (n < 0) {
                    String where = decoder.atFrameBoundary() ? ""
                            : " in the middle of a frame (" + decoder.bufferedBytes() + " bytes of it received)";
                    fail(XsConnectionException.Reason.PEER_CLOSED, "peer closed " + label + where
                            + " after " + decoder.streamOffset() + " bytes; " + state(), null);
                    return;
                }
                if (n == 0) {
                    Thread.sleep(1);
                    continue;
                }
                buf.flip();
                try {
                    decoder.feed(buf);
                } catch (ProtocolException e) {
                    dispatchReady(decoder);
                    fail(XsConnectionException.Reason.MALFORMED, "peer sent garbage on " + label + ": "
                            + e.getMessage() + "; " + state(), e);
                    return;
                }
                dispatchReady(decoder);
            }
        } catch (IOException e) {
            fail(XsConnectionException.Reason.IO_ERROR, "reading from " + label + " failed: " + e + "; " + state(), e);
        } catch (InterruptedException e) {
            fail(XsConnectionException.Reason.CLOSED, "reader of " + label + " was interrupted", e);
        } catch (RuntimeException | Error e) {
            fail(XsConnectionException.Reason.IO_ERROR, "reader of " + label + " crashed: " + e + "; " + state(), e);
            throw e;
        }
    }

    private void dispatchReady(FrameDecoder decoder) {
        for (Frame frame = decoder.poll(); frame != null && failure.get() == null; frame = decoder.poll()) {
            dispatch(frame);
        }
    }

    private void dispatch(Frame frame) {
        if (frame.is(Op.WATCH_EVENT)) {
            try {
                events.add(WatchEvents.decode(frame));
            } catch (ProtocolException e) {
                fail(XsConnectionException.Reason.MALFORMED, "peer sent a malformed watch event on " + label
                        + ": " + e.getMessage() + "; " + state(), e);
            }
            return;
        }
        Pending p = pending.remove(frame.reqId());
        if (p == null && strayRepliesExpected) {
            strayReplies.incrementAndGet();
            return;
        }
        if (p == null) {
            fail(XsConnectionException.Reason.MALFORMED, "peer sent a reply no request is waiting for on "
                    + label + ": " + frame + "; " + state(), null);
            return;
        }
        lastReplyReqId = Integer.toUnsignedLong(frame.reqId());
        if (p.frame() != null) {
            p.frame().complete(frame);
            return;
        }
        try {
            p.reply().complete(ReplyCodec.decode(p.op(), p.type(), frame));
        } catch (ProtocolException e) {
            p.reply().completeExceptionally(new XsConnectionException(XsConnectionException.Reason.BAD_REPLY,
                    "malformed reply to " + p.op() + " req_id " + Integer.toUnsignedString(p.reqId()) + " on "
                            + label + ": " + e.getMessage(), e));
        }
    }

    /** Records the first failure, fails every pending request with it and closes the channels. */
    private void fail(XsConnectionException.Reason reason, String message, Throwable cause) {
        XsConnectionException e = new XsConnectionException(reason, message, cause);
        if (!failure.compareAndSet(null, e)) {
            return;
        }
        for (Integer id : List.copyOf(pending.keySet())) {
            Pending p = pending.remove(id);
            if (p != null) {
                failOne(p.reply(), p.frame(), e);
            }
        }
        if (reason != XsConnectionException.Reason.CLOSED) {
            closeChannels();
        }
    }

    private static void failOne(CompletableFuture<Reply> reply, CompletableFuture<Frame> frame,
                                XsConnectionException e) {
        if (reply != null) {
            reply.completeExceptionally(e);
        }
        if (frame != null) {
            frame.completeExceptionally(e);
        }
    }

    private String state() {
        return pending.size() + " request(s) were waiting; last req_id sent "
                + (lastSentReqId < 0 ? "none" : Long.toString(lastSentReqId))
                + ", last req_id answered " + (lastReplyReqId < 0 ? "none" : Long.toString(lastReplyReqId));
    }

    /**
     * A socket is shut down before it is closed: a close only drops this process's reference to
     * it, and while any other copy of the descriptor lives (a child process being spawned holds
     * copies of all of them until it closes them) the peer does not see it. Seen on QEMU's front
     * end: a killed guest's connection closed after the PING that follows the kill and after the
     * next guest's request, so that guest was refused a transaction the dead one still held. A
     * shutdown reaches the peer at once.
     */
    private void closeChannels() {
        if (out instanceof SocketChannel socket) {
            try {
                socket.shutdownOutput();
            } catch (IOException | RuntimeException ignored) {
                // not connected or already closed: nothing to tell the peer
            }
        }
        closeQuietly(in);
        if (out != in) {
            closeQuietly(out);
        }
    }

    private static void closeQuietly(Channel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // Closing is best effort; the connection is already marked dead.
        }
    }
}
