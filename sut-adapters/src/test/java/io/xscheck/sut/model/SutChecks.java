package io.xscheck.sut.model;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Target-level checks every target must pass: the behaviour all xenstore implementations share
 * (xenstore.txt's core), seen through the {@link Sut} interface. A target's test class extends
 * this and overrides {@link #open()}; behaviour where implementations legitimately differ is not
 * checked here but in the target's own tests. Paths live under the target's sandbox root.
 */
public abstract class SutChecks {

    /** Guest domid used by the permission checks. */
    protected static final int GUEST = 3;

    protected Sut sut;
    protected String base;

    /** A fresh target for one check. */
    protected abstract Sut open();

    @BeforeEach
    void start() {
        sut = open();
        String root = sut.sandboxRoot();
        base = (root.endsWith("/") ? root : root + "/") + "checks";
    }

    @AfterEach
    void stop() {
        if (sut != null) {
            sut.close();
        }
    }

    protected static Reply ok() {
        return new Reply.Ok();
    }

    protected static Reply value(String text) {
        return new Reply.Value(Bytes.latin1(text));
    }

    protected static Reply error(String name) {
        return new Reply.Error(name);
    }

    protected static Request write(String path, String value) {
        return new Request.Write(path, Bytes.latin1(value));
    }

    /** Collects events until {@code expected} many arrived or 2 s passed. */
    public static List<WatchEvent> awaitEvents(SutConnection c, int expected) {
        List<WatchEvent> got = new ArrayList<>(c.drainEvents());
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (got.size() < expected && System.nanoTime() < deadline) {
            sleepMillis(5);
            got.addAll(c.drainEvents());
        }
        return got;
    }

    public static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Test
    void writeThenReadReturnsTheValueAndMissingNodesAreEnoent() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(ok(), c.call(0, write(base + "/a/b", "hello")));
            assertEquals(value("hello"), c.call(0, new Request.Read(base + "/a/b")));
            assertEquals(value(""), c.call(0, new Request.Read(base + "/a")), "implicit parent is empty");
            assertEquals(error("ENOENT"), c.call(0, new Request.Read(base + "/nope")));
            assertEquals(ok(), c.call(0, write(base + "/a/b", "")));
            assertEquals(value(""), c.call(0, new Request.Read(base + "/a/b")));
        }
    }

    @Test
    void mkdirCreatesAnEmptyNodeAndKeepsAnExistingValue() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(ok(), c.call(0, new Request.Mkdir(base + "/m/n")));
            assertEquals(value(""), c.call(0, new Request.Read(base + "/m/n")));
            assertEquals(ok(), c.call(0, write(base + "/m/n", "kept")));
            assertEquals(ok(), c.call(0, new Request.Mkdir(base + "/m/n")));
            assertEquals(value("kept"), c.call(0, new Request.Read(base + "/m/n")));
        }
    }

    @Test
    void directoryListsChildrenAndRmRemovesTheWholeSubtree() {
        try (SutConnection c = sut.openPrivileged()) {
            for (String child : List.of("x", "y", "z")) {
                assertEquals(ok(), c.call(0, write(base + "/d/" + child + "/leaf", child)));
            }
            Reply listed = c.call(0, new Request.Directory(base + "/d"));
            assertTrue(listed instanceof Reply.Names, "DIRECTORY answered " + listed);
            assertEquals(Set.of("x", "y", "z"), new HashSet<>(((Reply.Names) listed).names()));
            assertEquals(ok(), c.call(0, new Request.Rm(base + "/d/y")));
            assertEquals(error("ENOENT"), c.call(0, new Request.Read(base + "/d/y/leaf")));
            assertEquals(Set.of("x", "z"),
                    new HashSet<>(((Reply.Names) c.call(0, new Request.Directory(base + "/d"))).names()));
        }
    }

    @Test
    void permissionsRoundTripAndBindAGuest() {
        try (SutConnection dom0 = sut.openPrivileged()) {
            assertEquals(ok(), dom0.call(0, write(base + "/secret", "s")));
            assertEquals(ok(), dom0.call(0, new Request.SetPerms(base + "/secret", List.of(Perm.none(0)))));
            assertEquals(new Reply.Perms(List.of(Perm.none(0))), dom0.call(0, new Request.GetPerms(base + "/secret")));
            if (!sut.supportsGuests()) {
                return;
            }
            try (SutConnection guest = sut.openGuest(GUEST)) {
                assertEquals(GUEST, guest.domid());
                assertEquals(error("EACCES"), guest.call(0, new Request.Read(base + "/secret")));
                assertEquals(error("EACCES"), guest.call(0, write(base + "/secret", "mine")));
                assertEquals(ok(), dom0.call(0,
                        new Request.SetPerms(base + "/secret", List.of(Perm.none(0), Perm.read(GUEST)))));
                assertEquals(value("s"), guest.call(0, new Request.Read(base + "/secret")));
                assertEquals(error("EACCES"), guest.call(0, write(base + "/secret", "mine")));
                assertEquals(ok(), dom0.call(0,
                        new Request.SetPerms(base + "/secret", List.of(Perm.none(GUEST)))));
                assertEquals(ok(), guest.call(0, write(base + "/secret", "mine")));
                assertEquals(value("mine"), dom0.call(0, new Request.Read(base + "/secret")));
            }
        }
    }

    @Test
    void aWatchFiresOnceWhenSetAndAgainForChangesBelowItOnAnotherConnection() {
        try (SutConnection watcher = sut.openPrivileged(); SutConnection writer = sut.openPrivileged()) {
            assertEquals(ok(), writer.call(0, write(base + "/w", "")));
            assertEquals(ok(), watcher.call(0, new Request.Watch(base + "/w", "tok")));
            assertEquals(List.of(new WatchEvent(base + "/w", "tok")), awaitEvents(watcher, 1));
            assertEquals(ok(), writer.call(0, write(base + "/w/child", "1")));
            assertEquals(ok(), writer.call(0, write(base + "/w2", "sibling with a common prefix")));
            // Delivered without the watcher asking: arrives while it sends nothing.
            assertEquals(List.of(new WatchEvent(base + "/w/child", "tok")), awaitEvents(watcher, 1));
            assertEquals(ok(), watcher.call(0, new Request.Unwatch(base + "/w", "tok")));
            assertEquals(ok(), writer.call(0, write(base + "/w/child", "2")));
            assertEquals(value(""), watcher.call(0, new Request.Read(base + "/w"))); // barrier
            assertEquals(List.of(), watcher.drainEvents());
        }
    }

    @Test
    void aTransactionIsInvisibleUntilCommitAndAnAbortDiscards() {
        try (SutConnection c = sut.openPrivileged(); SutConnection other = sut.openPrivileged()) {
            assertEquals(ok(), c.call(0, write(base + "/t", "before")));
            Reply started = c.call(0, new Request.TransactionStart());
            assertTrue(started instanceof Reply.TransactionId, "TRANSACTION_START answered " + started);
            int tx = (int) ((Reply.TransactionId) started).id();
            assertEquals(ok(), c.call(tx, write(base + "/t", "inside")));
            assertEquals(value("inside"), c.call(tx, new Request.Read(base + "/t")));
            assertEquals(value("before"), other.call(0, new Request.Read(base + "/t")));
            assertEquals(ok(), c.call(tx, new Request.TransactionEnd(true)));
            assertEquals(value("inside"), other.call(0, new Request.Read(base + "/t")));

            int tx2 = (int) ((Reply.TransactionId) c.call(0, new Request.TransactionStart())).id();
            assertEquals(ok(), c.call(tx2, write(base + "/t", "discarded")));
            assertEquals(ok(), c.call(tx2, new Request.TransactionEnd(false)));
            assertEquals(value("inside"), other.call(0, new Request.Read(base + "/t")));
            // Refused, with an error that differs: ENOENT from C and QEMU, EIO from oxenstored (per the model).
            Reply afterEnd = c.call(tx2, new Request.Read(base + "/t"));
            assertTrue(afterEnd instanceof Reply.Error, "an ended transaction id was answered " + afterEnd);
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInOrder() throws Exception {
        try (SutConnection c = sut.openPrivileged()) {
            List<CompletableFuture<Reply>> replies = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                replies.add(c.send(0, write(base + "/p/" + (i % 10), Integer.toString(i))));
                replies.add(c.send(0, new Request.Read(base + "/p/" + (i % 10))));
            }
            for (int i = 0; i < 200; i++) {
                assertEquals(ok(), replies.get(2 * i).get());
                assertEquals(value(Integer.toString(i)), replies.get(2 * i + 1).get());
            }
        }
    }

    @Test
    void theTargetIsHealthyAfterWork() {
        try (SutConnection c = sut.openPrivileged()) {
            assertEquals(ok(), c.call(0, write(base + "/h", "x")));
        }
        assertTrue(sut.health().isAlive(), () -> "health " + sut.health() + "\n" + sut.logTail(20));
    }
}
