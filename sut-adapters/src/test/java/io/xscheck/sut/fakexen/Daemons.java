package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutOptions;
import org.junit.jupiter.api.Assumptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.fail;

/** Starting daemons in tests, and small helpers shared by the daemon tests. */
final class Daemons {

    private Daemons() {
    }

    /**
     * Starts the daemon. When it is not installed the test is skipped on a developer machine
     * and fails in CI (env CI set), where the daemons must be present.
     */
    static XenDaemonSut start(XenDaemon daemon) {
        return start(daemon, SutOptions.defaults());
    }

    static XenDaemonSut start(XenDaemon daemon, SutOptions options) {
        requireInstalled(daemon);
        return XenDaemonSut.start(daemon, options);
    }

    /** The host's daemons of Debian's xen-utils-4.17, for parameterized tests. */
    static List<XenDaemon> debian417() {
        return XenDaemon.values();
    }

    /**
     * The host's daemons and those of every newer release the build fetched (Debian trixie's 4.20),
     * for the tests that must hold on every version. A release that is missing is still listed: its
     * tests are skipped on a developer machine and fail in CI.
     */
    static List<XenDaemon> everyVersion() {
        List<XenDaemon> all = new ArrayList<>(debian417());
        for (DaemonKind k : DaemonKind.values()) {
            all.add(XenRelease.XEN_4_20.daemon(k));
        }
        return all;
    }

    /** A daemon these tests know by its target name (for a harness run in another JVM). */
    static XenDaemon named(String targetName) {
        return everyVersion().stream().filter(d -> d.targetName().equals(targetName)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no daemon named " + targetName));
    }

    static void requireInstalled(XenDaemon daemon) {
        if (daemon.isInstalled()) {
            return;
        }
        String why = daemon.targetName() + ": " + daemon.binary() + " is not installed"
                + (daemon.knownVersion().isPresent() ? " (" + XenRelease.XEN_4_20.describe() + ")" : "");
        if (System.getenv("CI") != null) {
            fail(why + "; CI must run the real daemons");
        }
        Assumptions.abort(why);
    }

    static Reply.Value value(String s) {
        return new Reply.Value(io.xscheck.protocol.Bytes.latin1(s));
    }

    static Request.Write write(String path, String value) {
        return new Request.Write(path, io.xscheck.protocol.Bytes.latin1(value));
    }

    /** Waits until {@code conn} has received at least {@code n} events; returns all it received. */
    static List<WatchEvent> awaitEvents(SutConnection conn, int n, Duration timeout) {
        List<WatchEvent> got = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (got.size() < n && System.nanoTime() < deadline) {
            got.addAll(conn.drainEvents());
            if (got.size() < n) {
                sleepMillis(5);
            }
        }
        got.addAll(conn.drainEvents());
        return got;
    }

    static void sleepMillis(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
