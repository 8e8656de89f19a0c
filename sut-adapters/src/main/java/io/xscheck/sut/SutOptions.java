package io.xscheck.sut;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How to start or reach a target.
 *
 * @param replyTimeout how long a target may take to answer before it counts as hung
 * @param startTimeout how long a started daemon may take before it answers its first request
 * @param stopTimeout how long a daemon has after SIGTERM before it gets SIGKILL
 * @param releaseTimeout how long a daemon may take to release a domain marked dying (it takes
 *     milliseconds; the known case that never ends, C's self-targeted domain, costs this much)
 * @param extraArgs extra command-line arguments for a started daemon (e.g. quota options)
 * @param tempParent where private temp directories are made; keep it short (socket paths are
 *     limited to 107 bytes)
 * @param unsafeRequests a daemon we did not start may also be sent malformed frames (which can
 *     crash it: C xenstored 4.17's consider_message abort); off unless the user asks
 */
public record SutOptions(
        Duration replyTimeout,
        Duration startTimeout,
        Duration stopTimeout,
        Duration releaseTimeout,
        List<String> extraArgs,
        Path tempParent,
        boolean unsafeRequests) {

    public SutOptions {
        requirePositive(replyTimeout, "replyTimeout");
        requirePositive(startTimeout, "startTimeout");
        requirePositive(stopTimeout, "stopTimeout");
        requirePositive(releaseTimeout, "releaseTimeout");
        extraArgs = List.copyOf(extraArgs);
        if (tempParent == null) {
            throw new IllegalArgumentException("tempParent is required");
        }
    }

    public static SutOptions defaults() {
        return new SutOptions(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(2),
                Duration.ofSeconds(1), List.of(), TempParent.preferred(), false);
    }

    public SutOptions withReplyTimeout(Duration d) {
        return new SutOptions(d, startTimeout, stopTimeout, releaseTimeout, extraArgs, tempParent, unsafeRequests);
    }

    public SutOptions withStartTimeout(Duration d) {
        return new SutOptions(replyTimeout, d, stopTimeout, releaseTimeout, extraArgs, tempParent, unsafeRequests);
    }

    public SutOptions withExtraArgs(List<String> args) {
        return new SutOptions(replyTimeout, startTimeout, stopTimeout, releaseTimeout, args, tempParent, unsafeRequests);
    }

    public SutOptions withTempParent(Path dir) {
        return new SutOptions(replyTimeout, startTimeout, stopTimeout, releaseTimeout, extraArgs, dir, unsafeRequests);
    }

    public SutOptions withUnsafeRequests(boolean unsafe) {
        return new SutOptions(replyTimeout, startTimeout, stopTimeout, releaseTimeout, extraArgs, tempParent, unsafe);
    }

    private static void requirePositive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(what + " must be positive, got " + d);
        }
    }
}
