package io.xscheck.sut.model;

import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.protocol.XsConnection;
import io.xscheck.protocol.XsConnectionException;
import io.xscheck.sut.Health;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Test harness: a {@link ModelServer} in a private temp dir, reached through its sockets like any
 * daemon, so the shared checks exercise the wire path (framing, async events, guest sockets).
 * Guests: only {@link SutChecks#GUEST}, which has its own socket.
 */
final class ServedModelSut implements Sut {

    private final Path dir;
    private final Path dom0;
    private final Path guest;
    private final ModelServer server;
    private final ByteArrayOutputStream log = new ByteArrayOutputStream();
    private final String dialect;

    ServedModelSut(String dialect) {
        this.dialect = dialect;
        try {
            dir = Files.createTempDirectory(Path.of("/tmp"), "xscheck-serve-");
            dom0 = dir.resolve("dom0.sock");
            guest = dir.resolve("guest.sock");
            server = ModelServer.start(Dialect.named(dialect), dom0, Map.of(SutChecks.GUEST, guest),
                    new PrintStream(log, true, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Path dom0Socket() {
        return dom0;
    }

    Path guestSocket() {
        return guest;
    }

    Path directory() {
        return dir;
    }

    @Override public String name() { return "served-model"; }
    @Override public String version() { return "model server"; }
    @Override public String dialect() { return dialect; }
    @Override public boolean supportsGuests() { return true; }
    @Override public String sandboxRoot() { return "/"; }

    @Override
    public SutConnection openPrivileged() {
        return connect(dom0, 0);
    }

    @Override
    public SutConnection openGuest(int domid) {
        if (domid != SutChecks.GUEST) {
            throw new UnsupportedOperationException("only guest " + SutChecks.GUEST + " has a socket");
        }
        return connect(guest, domid);
    }

    private SutConnection connect(Path socket, int domid) {
        try {
            XsConnection xs = XsConnection.openUnix(socket);
            return new SutConnection() {
                @Override public int domid() { return domid; }
                @Override public CompletableFuture<Reply> send(int txId, Request request) { return xs.send(txId, request); }
                @Override public Reply call(int txId, Request request, Duration timeout) {
                    try {
                        return xs.call(txId, request, timeout);
                    } catch (XsConnectionException e) {
                        throw new SutException(SutException.Kind.PROTOCOL, name(), e.getMessage(), log.toString(), e);
                    }
                }
                @Override public List<WatchEvent> drainEvents() { return xs.drainEvents(); }
                @Override public void close() { xs.close(); }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void killDomain(int domid) {
        throw new UnsupportedOperationException("not over the wire");
    }

    @Override
    public Health health() {
        return Files.exists(dom0) ? Health.alive() : new Health.Exited(0);
    }

    @Override
    public String logTail(int lines) {
        return log.toString();
    }

    @Override
    public void close() {
        server.close();
        try {
            Files.deleteIfExists(dom0);
            Files.deleteIfExists(guest);
            Files.deleteIfExists(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
