package io.xscheck.sut.model;

import io.xscheck.model.Delivery;
import io.xscheck.protocol.Frame;
import io.xscheck.protocol.FrameCodec;
import io.xscheck.protocol.FrameDecoder;
import io.xscheck.protocol.ProtocolException;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.ReplyCodec;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.RequestCodec;
import io.xscheck.protocol.WatchEvents;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One client of the {@link ModelServer}: a reader thread turns frames into model steps, a writer
 * thread sends replies and watch events in the order the steps queued them. Events reach a client
 * whether or not it is sending anything (asynchronous delivery, as from a daemon).
 */
final class ServedConnection {

    /** A client that lets this many frames pile up unread is dropped rather than fill the heap. */
    private static final int MAX_QUEUED_FRAMES = 16_384;
    private static final byte[] STOP = new byte[0];

    private final ModelServer server;
    private final SocketChannel channel;
    private final String name;
    private final int domid;
    private final LinkedBlockingQueue<byte[]> outgoing = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread reader;
    private final Thread writer;

    ServedConnection(ModelServer server, SocketChannel channel, String name, int domid) {
        this.server = server;
        this.channel = channel;
        this.name = name;
        this.domid = domid;
        this.reader = new Thread(this::readLoop, "model-serve " + name + " reader");
        this.writer = new Thread(this::writeLoop, "model-serve " + name + " writer");
        reader.setDaemon(true);
        writer.setDaemon(true);
    }

    String name() {
        return name;
    }

    void start() {
        writer.start();
        reader.start();
    }

    /** Queues a frame; called with the model's lock held, so queues follow step order. */
    void queue(Frame frame) {
        if (closed.get()) {
            return;
        }
        if (outgoing.size() >= MAX_QUEUED_FRAMES) {
            server.log(name + " (domid " + domid + ") does not read its replies; dropping it");
            close();
            return;
        }
        outgoing.add(FrameCodec.encode(frame));
    }

    private void readLoop() {
        FrameDecoder decoder = new FrameDecoder();
        ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        try {
            while (!closed.get()) {
                buf.clear();
                if (channel.read(buf) < 0) {
                    break;
                }
                buf.flip();
                decoder.feed(buf);
                for (Frame f = decoder.poll(); f != null; f = decoder.poll()) {
                    handle(f);
                }
            }
        } catch (ProtocolException e) {
            server.log(name + " sent something that is not xs_wire (" + e.getMessage() + "); closing it");
        } catch (IOException e) {
            if (!closed.get()) {
                server.log(name + ": " + e.getMessage());
            }
        } finally {
            close();
        }
    }

    private void handle(Frame frame) {
        Request request = RequestCodec.decode(frame);
        synchronized (server.live()) {
            LiveModel.Step step = server.live().step(name, Integer.toUnsignedLong(frame.txId()), request);
            queue(encode(request, frame, step.reply()));
            for (Delivery d : step.events()) {
                server.deliver(d.conn(), WatchEvents.encode(d.event()));
            }
        }
    }

    private Frame encode(Request request, Frame frame, Reply reply) {
        try {
            return ReplyCodec.encode(request.op(), frame.reqId(), frame.txId(), reply);
        } catch (IllegalArgumentException e) {
            // A model reply of the wrong kind for the op is a model bug: say so, answer EIO.
            server.log("model bug: " + e.getMessage());
            return ReplyCodec.encode(request.op(), frame.reqId(), frame.txId(), new Reply.Error("EIO"));
        }
    }

    private void writeLoop() {
        try {
            while (true) {
                byte[] bytes = outgoing.take();
                if (bytes == STOP) {
                    return;
                }
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) {
                    channel.write(buf);
                }
            }
        } catch (IOException e) {
            close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Disconnects from the model (its watches and transactions go), stops both threads. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        server.disconnected(this);
        outgoing.clear();
        outgoing.add(STOP);
        try {
            channel.close();
        } catch (IOException e) {
            // already broken; nothing more to release
        }
    }
}
