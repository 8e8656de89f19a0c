package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xscheck.sut.fakexen.Daemons.value;
import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Requests per second on a socket and on a ring, one at a time and with 16 outstanding: READs
 * of a one-byte node, after a short warm-up. Printed, not asserted (speed depends on the
 * machine); every reply is still checked.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ThroughputTest {

    private static final long MEASURE_NANOS = TimeUnit.MILLISECONDS.toNanos(700);
    private static final long WARMUP_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void requestsPerSecond(XenDaemon daemon) {
        XenDaemonSut sut = open.add(Daemons.start(daemon));
        SutConnection dom0 = open.add(sut.openPrivileged());
        ConcurrentTrafficTest.makeHome(sut, dom0, 8);
        String node = "/local/domain/8/b";
        assertEquals(new Reply.Ok(), dom0.call(0, write(node, "x")));
        SutConnection guest = open.add(sut.openGuest(8));

        double socket1 = rate(dom0, node, 1);
        double socket16 = rate(dom0, node, 16);
        double ring1 = rate(guest, node, 1);
        double ring16 = rate(guest, node, 16);
        System.out.printf("%s requests/s (READ, ~0.7 s each): socket %.0f one at a time, %.0f with 16 outstanding "
                        + "(x%.1f); ring %.0f one at a time, %.0f with 16 outstanding (x%.1f); ring/socket x%.1f; "
                + "kicks written %d, coalesced %d, cut loose %d%n",
                daemon.targetName(), socket1, socket16, socket16 / socket1, ring1, ring16, ring16 / ring1,
                ring1 / socket1, sut.eventChannels().kicksWritten(), sut.eventChannels().kicksCoalesced(),
                sut.eventChannels().kicksCutLoose());
    }

    /** Keeps {@code depth} READs outstanding for a while; returns completed requests per second. */
    private static double rate(SutConnection conn, String node, int depth) {
        run(conn, node, depth, WARMUP_NANOS);
        long t0 = System.nanoTime();
        long done = run(conn, node, depth, MEASURE_NANOS);
        return done / ((System.nanoTime() - t0) / 1e9);
    }

    private static long run(SutConnection conn, String node, int depth, long nanos) {
        Request read = new Request.Read(node);
        Reply expected = value("x");
        ArrayDeque<CompletableFuture<Reply>> inFlight = new ArrayDeque<>();
        long deadline = System.nanoTime() + nanos;
        long done = 0;
        while (System.nanoTime() < deadline) {
            while (inFlight.size() < depth) {
                inFlight.add(conn.send(0, read));
            }
            assertEquals(expected, inFlight.poll().orTimeout(5, TimeUnit.SECONDS).join());
            done++;
        }
        while (!inFlight.isEmpty()) {
            assertEquals(expected, inFlight.poll().orTimeout(5, TimeUnit.SECONDS).join());
            done++;
        }
        return done;
    }
}
