package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static io.xscheck.sut.fakexen.Daemons.awaitEvents;
import static io.xscheck.sut.fakexen.Daemons.value;
import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** Several guests at once, and long pipelines on a socket and on a ring. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConcurrentTrafficTest {

    private static final int PIPELINED = 1000;
    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void threeGuestsAtOnce(XenDaemon daemon) throws Exception {
        XenDaemonSut sut = open.add(Daemons.start(daemon));
        SutConnection dom0 = open.add(sut.openPrivileged());
        int[] domids = {3, 4, 5};
        for (int d : domids) {
            makeHome(sut, dom0, d);
        }
        ExecutorService pool = Executors.newFixedThreadPool(domids.length);
        try {
            List<Future<?>> runs = new ArrayList<>();
            for (int d : domids) {
                SutConnection guest = open.add(sut.openGuest(d));
                runs.add(pool.submit(() -> guestWorkload(guest, d, dom0)));
            }
            for (Future<?> f : runs) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        for (int d : domids) {
            assertEquals(value("done-" + d), dom0.call(0, new Request.Read("/local/domain/" + d + "/status")));
        }
    }

    /** Each guest writes and reads its own nodes, is denied its neighbours', and gets its events. */
    private static Void guestWorkload(SutConnection guest, int domid, SutConnection dom0) {
        assertEquals(new Reply.Ok(), guest.call(0, new Request.Watch("status", "t" + domid)));
        assertEquals(List.of(new WatchEvent("status", "t" + domid)), awaitEvents(guest, 1, Duration.ofSeconds(3)));
        for (int i = 0; i < 100; i++) {
            assertEquals(new Reply.Ok(), guest.call(0, write("n" + i, domid + ":" + i)));
            assertEquals(value(domid + ":" + i), guest.call(0, new Request.Read("n" + i)));
        }
        int neighbour = domid == 5 ? 3 : domid + 1;
        assertEquals(new Reply.Error("EACCES"), guest.call(0, write("/local/domain/" + neighbour + "/intrusion", "x")));
        assertEquals(new Reply.Ok(), guest.call(0, write("status", "done-" + domid)));
        assertEquals(List.of(new WatchEvent("status", "t" + domid)), awaitEvents(guest, 1, Duration.ofSeconds(3)));
        return null;
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void thousandPipelinedRequestsOnTheSocket(XenDaemon daemon) {
        XenDaemonSut sut = open.add(Daemons.start(daemon));
        pipeline(open.add(sut.openPrivileged()), "/pipe");
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void thousandPipelinedRequestsOnARing(XenDaemon daemon) {
        XenDaemonSut sut = open.add(Daemons.start(daemon));
        SutConnection dom0 = open.add(sut.openPrivileged());
        makeHome(sut, dom0, 7);
        pipeline(open.add(sut.openGuest(7)), "/local/domain/7/pipe");
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#debian417")
    void framesLargerThanTheRingCrossItInPieces(XenDaemon daemon) {
        XenDaemonSut sut = open.add(Daemons.start(daemon));
        SutConnection dom0 = open.add(sut.openPrivileged());
        makeHome(sut, dom0, 11);
        SutConnection guest = open.add(sut.openGuest(11));
        StringBuilder big = new StringBuilder();
        for (int i = 0; big.length() < 2000; i++) {
            big.append(i).append(',');
        }
        for (int round = 0; round < 20; round++) {
            // Sizes that leave the indexes at ever different offsets, so copies wrap everywhere.
            String v = big.substring(0, 1000 + round * 47);
            assertEquals(new Reply.Ok(), guest.call(0, write("big" + round, v)));
            assertEquals(value(v), guest.call(0, new Request.Read("big" + round)));
            assertEquals(value(v), dom0.call(0, new Request.Read("/local/domain/11/big" + round)));
        }
    }

    /**
     * /local/domain/N owned by N, as a toolstack makes it. The domain must exist first: C xenstored
     * answers ENOENT to SET_PERMS naming an unknown domain as owner.
     */
    static void makeHome(XenDaemonSut sut, SutConnection dom0, int domid) {
        sut.prepareDomain(domid);
        for (String p : List.of("/local", "/local/domain", "/local/domain/" + domid)) {
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.Mkdir(p)), "mkdir " + p);
        }
        assertEquals(new Reply.Ok(), dom0.call(0, new Request.SetPerms("/local/domain/" + domid,
                List.of(Perm.none(domid)))));
    }

    /**
     * Sends 100 writes and 900 reads without waiting, then checks every reply belongs to its
     * request. Far more than C xenstored's 20 outstanding guest requests, so replies must be read
     * while requests are still being written. (100 nodes: a guest's node quota is 1000 entries.)
     */
    private static void pipeline(SutConnection conn, String base) {
        int keys = 100;
        List<CompletableFuture<Reply>> replies = new ArrayList<>();
        for (int i = 0; i < PIPELINED; i++) {
            int k = i % keys;
            replies.add(conn.send(0, i < keys ? write(base + "/k" + k, "v" + k) : new Request.Read(base + "/k" + k)));
        }
        for (int i = 0; i < PIPELINED; i++) {
            Reply expected = i < keys ? new Reply.Ok() : value("v" + (i % keys));
            assertEquals(expected, replies.get(i).orTimeout(10, TimeUnit.SECONDS).join(), "request " + i);
        }
    }
}
