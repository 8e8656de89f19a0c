package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * How a live update of a daemon is driven over XS_CONTROL, as {@code xenstore-control live-update}
 * drives it: {@code live-update -f BINARY} names the new binary (the same one: a restart, not an
 * upgrade), then {@code live-update -s} starts it. The two daemons answer {@code -s} differently:
 * <ul>
 * <li>C xenstored holds the reply and the new process sends it ("OK") after exec, or it refuses
 * with a text at its deadline. {@code -t 0} makes that deadline now: without it an open
 * transaction would hold the request for the default 60 s (xenstored_control.c
 * lu_check_lu_allowed at RELEASE-4.17.7: the update goes ahead when there is no transaction, or
 * with {@code -F} once every transaction is as old as the timeout).</li>
 * <li>oxenstored answers "BUSY" while the update is pending and "OK" from the new process once it
 * ran, so {@code -s} is repeated until the answer changes; it stays BUSY while a transaction is
 * open or a domain has a target, even with {@code -F}. Then {@code -a} withdraws it, as
 * xenstore-control does, forced or not: a forced update left queued would run whenever the last
 * transaction ends, in the middle of later steps (seen: it rewrote /tool/xenstored there).
 * Withdrawn, it never runs and the daemon carries on (probe live-update-oxenstored.txt
 * "withdrawn forced update").</li>
 * </ul>
 */
final class LiveUpdate {
    /** A quiet update takes 3-10 ms; one still pending after this waits for a transaction. */
    private static final Duration PENDING_LIMIT = Duration.ofMillis(300);
    /**
     * The poll for an update the caller expects to be held back. oxenstored decides at the end of the main-loop
     * turn that queued it (xenstored.ml: should_run after main_loop), so an update it does not hold back has begun
     * before the second "-s" is read, and the new process answers that one "OK". What holds an update back (an
     * open transaction, a domain's target: Connection.prevents_live_update) only ends with a request of ours, and
     * none comes during the poll. A 15 s bench of oxenstored spent 11% of its time polling 300 ms for a BUSY that
     * the model had predicted.
     */
    private static final Duration HELD_BACK_LIMIT = Duration.ofMillis(20);
    private static final long POLL_MILLIS = 2;
    /** C's reply comes from the new process: exec, restore, then the answer. */
    private static final Duration EXEC_LIMIT = Duration.ofSeconds(5);
    private static final Bytes BUSY = Bytes.latin1("BUSY");

    private LiveUpdate() {
    }

    static Reply run(XenDaemon daemon, SutConnection via, boolean force) {
        return run(daemon, via, force, false);
    }

    /** {@link #run(XenDaemon, SutConnection, boolean)}; see {@link #HELD_BACK_LIMIT} for {@code heldBackExpected}. */
    static Reply run(XenDaemon daemon, SutConnection via, boolean force, boolean heldBackExpected) {
        Reply named = via.call(0, control("-f", daemon.binary().toString()));
        if (!io.xscheck.sut.RestartAnswer.wentAhead(named)) {
            return named;
        }
        return daemon == XenDaemon.CXENSTORED ? startC(via, force)
                : startOxenstored(via, force, heldBackExpected ? HELD_BACK_LIMIT : PENDING_LIMIT);
    }

    private static Reply startC(SutConnection via, boolean force) {
        List<String> args = new ArrayList<>(List.of("-s", "-t", "0"));
        if (force) {
            args.add("-F");
        }
        return via.call(0, control(args.toArray(String[]::new)), EXEC_LIMIT);
    }

    private static Reply startOxenstored(SutConnection via, boolean force, Duration pendingLimit) {
        Request start = force ? control("-s", "-F") : control("-s");
        long deadline = System.nanoTime() + pendingLimit.toNanos();
        Reply r = via.call(0, start);
        while (isBusy(r) && System.nanoTime() < deadline) {
            sleep();
            r = via.call(0, start);
        }
        if (isBusy(r)) {
            via.call(0, control("-a"));
        }
        return r;
    }

    private static Request.Control control(String... args) {
        List<String> all = new ArrayList<>();
        all.add("live-update");
        all.addAll(List.of(args));
        return new Request.Control(all);
    }

    private static boolean isBusy(Reply r) {
        return r instanceof Reply.Value v && v.value().equals(BUSY);
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
