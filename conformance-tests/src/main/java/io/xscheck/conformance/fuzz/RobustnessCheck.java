package io.xscheck.conformance.fuzz;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Health;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The robustness property, checked now: every bystander answers a harmless request within the
 * hang bound, and the daemon is alive. One request per bystander, all sent before any is awaited,
 * so a check costs one round trip, or the bound once when the daemon stopped.
 */
public final class RobustnessCheck {

    /** A local daemon answers in microseconds; TargetSession uses the same second for a hang. */
    public static final Duration HANG_BOUND = Duration.ofMillis(1000);
    private static final Pattern ASSERTION = Pattern.compile("(\\w+): Assertion [`'\"](.+?)[`'\"] failed");
    private static final Pattern OCAML = Pattern.compile("Fatal error: exception (\\S+)");

    /** A bystander: its connection and how to name it in a report. */
    public record Bystander(String name, boolean guest, SutConnection conn) {
        String role() {
            return (guest ? "guest" : "dom0") + " bystander " + name;
        }
    }

    private RobustnessCheck() {
    }

    public static Optional<Violation> check(Sut sut, Iterable<Bystander> bystanders) {
        Map<Bystander, CompletableFuture<Reply>> pings = new LinkedHashMap<>();
        for (Bystander b : bystanders) {
            pings.put(b, b.conn().send(0, new Request.IsDomainIntroduced(0)));
        }
        long deadline = System.nanoTime() + HANG_BOUND.toNanos();
        Violation first = null;
        for (Map.Entry<Bystander, CompletableFuture<Reply>> e : pings.entrySet()) {
            Optional<Violation> v = await(sut, e.getKey(), e.getValue(), deadline);
            if (v.isPresent() && first == null) {
                first = v.get();
            }
        }
        if (first == null && pings.isEmpty()) {
            return died(sut);
        }
        if (first == null) {
            return Optional.empty();
        }
        // A bystander failed: a dead daemon is the better explanation, when it is one.
        return Optional.of(died(sut).orElse(first));
    }

    private static Optional<Violation> await(Sut sut, Bystander b, CompletableFuture<Reply> ping, long deadline) {
        try {
            ping.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of(new Violation(Violation.Kind.BYSTANDER_HUNG, b.role(), "no answer within "
                    + HANG_BOUND.toMillis() + " ms", "", sut.logTail(20)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SutException(SutException.Kind.ENVIRONMENT, sut.name(), "interrupted", "", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SutException se && se.kind() == SutException.Kind.HUNG) {
                return Optional.of(new Violation(Violation.Kind.BYSTANDER_HUNG, b.role(), firstLine(se), "",
                        se.logTail()));
            }
            return Optional.of(new Violation(Violation.Kind.BYSTANDER_DROPPED, b.role(),
                    cause == null ? "failed" : firstLine(cause), "", sut.logTail(20)));
        }
    }

    /** A violation when the daemon's process is gone (never for a live or merely slow one). */
    static Optional<Violation> died(Sut sut) {
        Health h = sut.health();
        if (h.isAlive() || h instanceof Health.Hung) {
            return Optional.empty();
        }
        String tail = sut.logTail(20);
        return Optional.of(new Violation(Violation.Kind.DIED, h.toString(), "the daemon " + h, diagnosis(tail), tail));
    }

    /** The daemon's own last words: a C assertion, an OCaml uncaught exception, or empty. */
    static String diagnosis(String logTail) {
        Matcher a = ASSERTION.matcher(logTail);
        if (a.find()) {
            return "abort " + a.group(1) + " '" + a.group(2) + "'";
        }
        Matcher o = OCAML.matcher(logTail);
        return o.find() ? "exception " + o.group(1) : "";
    }

    private static String firstLine(Throwable t) {
        String m = String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
