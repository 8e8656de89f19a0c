package io.xscheck.sut.model;

import io.xscheck.model.Dialect;
import io.xscheck.protocol.Frame;

import java.io.IOException;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The reference model served as a xenstored: xs_wire on Unix sockets, any number of concurrent
 * connections, watch events delivered as they happen. Connections to the main socket are dom0
 * (privileged); each guest socket's connections speak as its domain, so permission checks and
 * quotas apply. Requests from all connections are model steps taken one at a time, in arrival order.
 *
 * <p>Real clients work against it: Debian's xenstore-utils and Xen's test-xenstore with
 * {@code XENSTORED_PATH} set to the socket.
 */
public final class ModelServer implements AutoCloseable {

    private final LiveModel live;
    private final List<Listener> listeners = new ArrayList<>();
    private final Map<String, ServedConnection> connections = new ConcurrentHashMap<>();
    private final PrintStream log;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);

    private record Listener(ServerSocketChannel channel, Path path, int domid, Thread acceptor) {
    }

    private ModelServer(Dialect dialect, PrintStream log) {
        this.live = new LiveModel(dialect);
        this.log = log;
    }

    /**
     * The CLI's {@code ./xscheck serve --dialect NAME --socket PATH [--guest DOMID:PATH]...}: serves
     * until the JVM is told to stop (Ctrl-C, SIGTERM), then removes its sockets.
     *
     * @return 0 after a clean stop (or for {@code --help}), 2 for bad arguments or sockets that
     *     cannot be made
     */
    public static int run(String[] args) {
        if (args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            System.out.println(ServeArgs.USAGE + "\n  dialects: " + String.join(", ", Dialect.names()));
            return 0;
        }
        ServeArgs parsed;
        Dialect dialect;
        try {
            parsed = ServeArgs.parse(Arrays.asList(args));
            dialect = Dialect.named(parsed.dialect());
        } catch (IllegalArgumentException e) {
            System.err.println("xscheck serve: " + e.getMessage() + " (dialects: "
                    + String.join(", ", Dialect.names()) + ")");
            System.err.println(ServeArgs.USAGE);
            return 2;
        }
        ModelServer server;
        try {
            server = start(dialect, parsed.socket(), parsed.guests(), System.err);
        } catch (IOException e) {
            System.err.println("xscheck serve: " + e.getMessage());
            return 2;
        }
        Thread hook = new Thread(server::close, "xscheck serve shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.println("xscheck serve: dialect " + dialect.name() + ", dom0 socket " + parsed.socket()
                + guestText(parsed.guests()) + "; Ctrl-C stops");
        System.out.flush();
        server.awaitClose();
        return 0;
    }

    private static String guestText(Map<Integer, Path> guests) {
        StringBuilder s = new StringBuilder();
        guests.forEach((domid, path) -> s.append(", guest ").append(domid).append(" socket ").append(path));
        return s.toString();
    }

    /**
     * Listens on {@code socket} (dom0) and each guest socket. A path that already exists is
     * refused rather than replaced.
     */
    public static ModelServer start(Dialect dialect, Path socket, Map<Integer, Path> guests, PrintStream log)
            throws IOException {
        ModelServer server = new ModelServer(dialect, log);
        Map<Path, Integer> all = new LinkedHashMap<>();
        all.put(socket, 0);
        guests.forEach((domid, path) -> all.put(path, domid));
        try {
            for (Map.Entry<Path, Integer> e : all.entrySet()) {
                server.listen(e.getKey(), e.getValue());
            }
        } catch (IOException e) {
            server.close();
            throw e;
        }
        // A toolstack creates and introduces a guest before it hands the guest its channel, so ACL
        // entries naming the guest are live from the start (C flags entries naming a domain the
        // hypervisor does not know yet: the model's C dialects do too).
        guests.keySet().forEach(server::introduce);
        for (Listener l : server.listeners) {
            l.acceptor().start();
        }
        return server;
    }

    private void listen(Path path, int domid) throws IOException {
        if (Files.exists(path)) {
            throw new IOException(path + " already exists; remove it if it is a stale socket");
        }
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw new IOException("cannot listen on " + path + ": " + e.getMessage(), e);
        }
        Thread acceptor = new Thread(() -> acceptLoop(channel, domid), "model-serve accept " + path);
        acceptor.setDaemon(true);
        listeners.add(new Listener(channel, path, domid, acceptor));
    }

    private void acceptLoop(ServerSocketChannel channel, int domid) {
        while (!closed.get()) {
            SocketChannel client;
            try {
                client = channel.accept();
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                log("accept failed: " + e.getMessage());
                return;
            }
            ServedConnection c;
            synchronized (live) {
                if (closed.get()) {
                    closeQuietly(client);
                    return;
                }
                c = new ServedConnection(this, client, live.connect(domid), domid);
                connections.put(c.name(), c);
            }
            c.start();
        }
    }

    private void introduce(int domid) {
        String dom0 = live.connect(0);
        live.step(dom0, 0, new io.xscheck.protocol.Request.Introduce(domid, 0, 1));
        live.disconnect(dom0);
    }

    LiveModel live() {
        return live;
    }

    /** Queues a watch event for the named connection, if it is still there. */
    void deliver(String conn, Frame event) {
        ServedConnection c = connections.get(conn);
        if (c != null) {
            c.queue(event);
        }
    }

    void disconnected(ServedConnection c) {
        synchronized (live) {
            connections.remove(c.name());
            live.disconnect(c.name());
        }
    }

    void log(String message) {
        log.println("xscheck serve: " + message);
    }

    /** Blocks until {@link #close()}. */
    public void awaitClose() {
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops listening, drops every connection and removes the sockets; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Listener l : listeners) {
            closeQuietly(l.channel());
            try {
                Files.deleteIfExists(l.path());
            } catch (IOException e) {
                log("cannot remove " + l.path() + ": " + e.getMessage());
            }
        }
        for (ServedConnection c : new ArrayList<>(connections.values())) {
            c.close();
        }
        stopped.countDown();
    }

    private static void closeQuietly(java.nio.channels.Channel c) {
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
