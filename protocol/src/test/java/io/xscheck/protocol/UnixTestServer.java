package io.xscheck.protocol;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A one-connection xs_wire peer on a Unix socket in a test's temp dir, driven by a script: it
 * reads request frames and writes whatever the test wants, garbage included.
 */
final class UnixTestServer implements AutoCloseable {

    interface Script {
        void run(Peer peer) throws Exception;
    }

    /** The server's end of the accepted connection. */
    static final class Peer {
        private final SocketChannel channel;
        private final FrameDecoder decoder = new FrameDecoder();
        private final ByteBuffer buf = ByteBuffer.allocate(8192);

        Peer(SocketChannel channel) {
            this.channel = channel;
        }

        /** The next request frame, or null at end of stream. */
        Frame read() throws IOException, ProtocolException {
            while (true) {
                Frame frame = decoder.poll();
                if (frame != null) {
                    return frame;
                }
                buf.clear();
                if (channel.read(buf) < 0) {
                    return null;
                }
                buf.flip();
                decoder.feed(buf);
            }
        }

        /** Reads exactly {@code n} raw bytes, bypassing the frame decoder. */
        byte[] readRaw(int n) throws IOException {
            ByteBuffer raw = ByteBuffer.allocate(n);
            while (raw.hasRemaining()) {
                if (channel.read(raw) < 0) {
                    throw new IOException("end of stream after " + raw.position() + " of " + n + " bytes");
                }
            }
            return raw.array();
        }

        void write(Frame... frames) throws IOException {
            int size = 0;
            for (Frame f : frames) {
                size += FrameCodec.HEADER_SIZE + f.payload().length();
            }
            ByteBuffer out = ByteBuffer.allocate(size);
            for (Frame f : frames) {
                out.put(FrameCodec.encodeAnyLength(f));
            }
            writeBytes(out.array());
        }

        void writeBytes(byte[] bytes) throws IOException {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }

        void reply(Frame request, Reply reply) throws IOException, ProtocolException {
            write(ReplyCodec.encode(Op.fromWire(request.type()), request.reqId(), request.txId(), reply));
        }

        void close() throws IOException {
            channel.close();
        }
    }

    private final ServerSocketChannel server;
    private final Path socket;
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicReference<SocketChannel> accepted = new AtomicReference<>();

    private UnixTestServer(Path dir, Script script) throws IOException {
        socket = dir.resolve("xs.sock");
        Files.deleteIfExists(socket);
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        thread = new Thread(() -> {
            try (SocketChannel channel = server.accept()) {
                accepted.set(channel);
                script.run(new Peer(channel));
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "unix test server");
        thread.setDaemon(true);
        thread.start();
    }

    static UnixTestServer start(Path dir, Script script) throws IOException {
        return new UnixTestServer(dir, script);
    }

    Path socket() {
        return socket;
    }

    /** Waits for the script to end and rethrows what it threw. */
    void awaitScript() throws Exception {
        thread.join(10_000);
        if (thread.isAlive()) {
            throw new AssertionError("server script still running after 10 s");
        }
        Throwable t = failure.get();
        if (t instanceof Exception e) {
            throw e;
        }
        if (t != null) {
            throw new AssertionError("server script failed", t);
        }
    }

    @Override
    public void close() throws Exception {
        SocketChannel channel = accepted.get();
        if (channel != null) {
            channel.close();
        }
        server.close();
        thread.join(5_000);
        Files.deleteIfExists(socket);
    }
}
