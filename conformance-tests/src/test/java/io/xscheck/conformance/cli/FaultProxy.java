package io.xscheck.conformance.cli;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * A Unix-socket proxy between the engine and a daemon that passes requests through untouched and
 * lets a fault rewrite replies of one message type: a stand-in for a daemon with a semantic bug
 * the engine must catch. Frames are the xs_wire header (type, req_id, tx_id, len; little-endian)
 * and payload; the proxy fixes {@code len} after the fault.
 */
final class FaultProxy implements AutoCloseable {
    private static final int HEADER = 16;

    private final ServerSocketChannel server;
    private final Path upstream;
    private final int type;
    private final UnaryOperator<byte[]> fault;
    private final List<SocketChannel> open = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    /** @param fault rewrites the payload of every reply of wire type {@code type} */
    FaultProxy(Path listen, Path upstream, int type, UnaryOperator<byte[]> fault) throws IOException {
        Files.deleteIfExists(listen);
        this.server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(listen));
        this.upstream = upstream;
        this.type = type;
        this.fault = fault;
        this.acceptor = new Thread(this::accept, "fault-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** DIRECTORY replies lose their last name (the payload is names, each NUL-terminated). */
    static byte[] dropLastName(byte[] payload) {
        int names = 0;
        for (byte b : payload) {
            names += b == 0 ? 1 : 0;
        }
        if (names < 2) {
            return payload;
        }
        int end = payload.length - 1;
        while (end > 0 && payload[end - 1] != 0) {
            end--;
        }
        return java.util.Arrays.copyOf(payload, end);
    }

    private void accept() {
        try {
            while (true) {
                SocketChannel client = server.accept();
                SocketChannel daemon = SocketChannel.open(UnixDomainSocketAddress.of(upstream));
                open.add(client);
                open.add(daemon);
                start(() -> copy(client, daemon));
                start(() -> rewrite(daemon, client));
            }
        } catch (IOException e) {
            // closed
        }
    }

    private static void start(Runnable r) {
        Thread t = new Thread(r, "fault-proxy-pump");
        t.setDaemon(true);
        t.start();
    }

    private static void copy(SocketChannel from, SocketChannel to) {
        ByteBuffer buf = ByteBuffer.allocate(8192);
        try {
            while (from.read(buf) >= 0) {
                buf.flip();
                while (buf.hasRemaining()) {
                    to.write(buf);
                }
                buf.clear();
            }
        } catch (IOException e) {
            // one side went away
        }
        closeQuietly(to);
    }

    private void rewrite(SocketChannel from, SocketChannel to) {
        try {
            while (true) {
                ByteBuffer header = readFully(from, HEADER);
                if (header == null) {
                    break;
                }
                int t = header.getInt(0);
                int len = header.getInt(12);
                ByteBuffer body = readFully(from, len);
                if (body == null) {
                    break;
                }
                byte[] payload = body.array();
                if (t == type) {
                    payload = fault.apply(payload);
                    header.putInt(12, payload.length);
                }
                header.position(0);
                writeFully(to, header);
                writeFully(to, ByteBuffer.wrap(payload));
            }
        } catch (IOException e) {
            // one side went away
        }
        closeQuietly(to);
    }

    private static ByteBuffer readFully(SocketChannel c, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(n).order(ByteOrder.LITTLE_ENDIAN);
        while (b.hasRemaining()) {
            if (c.read(b) < 0) {
                return null;
            }
        }
        return b;
    }

    private static void writeFully(SocketChannel c, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            c.write(b);
        }
    }

    private static void closeQuietly(SocketChannel c) {
        try {
            c.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        open.forEach(FaultProxy::closeQuietly);
    }
}
