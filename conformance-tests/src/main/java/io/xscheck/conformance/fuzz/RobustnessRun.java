package io.xscheck.conformance.fuzz;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.GuestRingAccess;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a trace on one target for robustness: each step goes to the target only (no model predicts
 * a lying header or a scribbled ring index), and after each the {@link RobustnessCheck} runs. An
 * attacker's request that gets no reply, or a connection of its that breaks, is noted, not a
 * violation: the attacker may lose its own connection. Every step is bounded in time: one the
 * daemon does not take (it stopped reading the attacker's socket) closes that connection after
 * {@link #STEP_BOUND_MILLIS}.
 */
public final class RobustnessRun implements AutoCloseable {

    /** How long an attacker's request may wait for its reply before the run moves on. */
    static final long ATTACKER_REPLY_MILLIS = 300;
    /**
     * The wait once one of the connection's requests went unanswered: the daemon is likely still
     * reading an earlier frame's payload, so later replies will not come either (and waiting the
     * full time for each would spend a fuzz run's budget on waiting).
     */
    static final long DESYNCED_REPLY_MILLIS = 10;
    /** The most one step may take (a write the daemon does not read; a kill). */
    static final long STEP_BOUND_MILLIS = 3000;
    /** After the last step: time for the daemon to act on bytes it has not read yet. */
    static final long SETTLE_MILLIS = 100;
    /** Outside every transaction a trace names but never started: the daemon must refuse it. */
    private static final int UNBOUND_TX = 0x7fff_fff0;

    /** What happened at one step, for {@code replay}'s listing. */
    public interface Listener {
        void step(int number, TraceLine.Step step, String outcome, Optional<Violation> violation);
    }

    /**
     * @param violation the first violation, if any
     * @param atStep the number (1-based) of the step after which it was seen; 0 before any step,
     *     steps + 1 at the final check
     * @param steps the steps run
     */
    public record Outcome(Optional<Violation> violation, int atStep, int steps) {
    }

    private final Sut sut;
    private final Trace trace;
    private final Map<String, SutConnection> conns = new LinkedHashMap<>();
    private final Map<String, TraceLine.Conn> declared = new HashMap<>();
    private final Map<String, Integer> txs = new HashMap<>();
    /** Attacker connections that broke: later steps on them are skipped (they could not be sent). */
    private final java.util.Set<String> lost = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Connections one of whose requests went unanswered. */
    private final java.util.Set<String> desynced = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final List<RobustnessCheck.Bystander> bystanders = new ArrayList<>();
    private final ExecutorService stepper;

    private RobustnessRun(Sut sut, Trace trace) {
        this.sut = sut;
        this.trace = trace;
        this.stepper = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "xscheck-fuzz-step " + sut.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code trace} on {@code sut} (fresh, the caller's to close) and stops at the first violation. */
    public static Outcome run(Sut sut, Trace trace, Listener listener) {
        try (RobustnessRun r = new RobustnessRun(sut, trace)) {
            return r.run(listener);
        }
    }

    private Outcome run(Listener listener) {
        java.util.Set<String> quiet = Roles.bystanders(trace);
        int n = 0;
        for (TraceLine line : trace.lines()) {
            if (line instanceof TraceLine.Conn c) {
                SutConnection conn = c.guest() ? sut.openGuest(c.domid()) : sut.openPrivileged();
                conns.put(c.name(), conn);
                declared.put(c.name(), c);
                if (quiet.contains(c.name())) {
                    bystanders.add(new RobustnessCheck.Bystander(c.name(), c.guest(), conn));
                }
                continue;
            }
            if (!(line instanceof TraceLine.Step step)) {
                continue; // a root line: robustness traces work on targets the harness owns
            }
            n++;
            String outcome = execute(step);
            Optional<Violation> v = RobustnessCheck.check(sut, bystanders);
            listener.step(n, step, outcome, v);
            if (v.isPresent()) {
                return new Outcome(v, n, n);
            }
        }
        sleep(SETTLE_MILLIS);
        Optional<Violation> last = RobustnessCheck.check(sut, bystanders);
        if (last.isEmpty()) {
            last = RobustnessCheck.died(sut);
        }
        return new Outcome(last, n + 1, n);
    }

    /** Runs one step within {@link #STEP_BOUND_MILLIS}; says what the attacker saw. */
    private String execute(TraceLine.Step step) {
        if (lost.contains(step.conn()) && !(step.command() instanceof Command.RingWrite)) {
            // Each failed request would also cost the target's wait for a death that is not coming.
            return "skipped: " + step.conn() + "'s connection is gone";
        }
        Future<String> f = stepper.submit(() -> act(step));
        try {
            return f.get(STEP_BOUND_MILLIS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            SutConnection c = conns.get(step.conn());
            if (c != null) {
                c.close(); // unblocks a write the daemon does not take
            }
            try {
                f.get(STEP_BOUND_MILLIS, TimeUnit.MILLISECONDS);
            } catch (Exception ignored) {
                // the step failed after its connection was closed; that is what we report
            }
            lost.add(step.conn());
            return "the step did not finish within " + STEP_BOUND_MILLIS + " ms (the daemon does not take what "
                    + step.conn() + " sends); " + step.conn() + " closed";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SutException(SutException.Kind.ENVIRONMENT, sut.name(), "interrupted", "", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof SutException se && se.kind() == SutException.Kind.ENVIRONMENT
                    && !(cause.getCause() instanceof java.io.IOException)) {
                throw se;
            }
            lost.add(step.conn());
            return step.conn() + "'s connection: " + firstLine(cause);
        }
    }

    private String act(TraceLine.Step step) {
        SutConnection conn = conns.get(step.conn());
        if (conn == null) {
            throw new SutException(SutException.Kind.ENVIRONMENT, sut.name(), "connection " + step.conn()
                    + " was not declared", "");
        }
        int tx = step.tx().map(t -> txs.getOrDefault(t, UNBOUND_TX)).orElse(0);
        Command c = step.command();
        if (c instanceof Command.WireBytes b) {
            byte[] bytes = b.wire();
            conn.writeBytes(bytes);
            return "wrote " + bytes.length + " bytes";
        }
        if (c instanceof Command.RingWrite r) {
            TraceLine.Conn decl = declared.get(step.conn());
            if (!decl.guest() || !(sut instanceof GuestRingAccess rings)) {
                throw new SutException(SutException.Kind.ENVIRONMENT, sut.name(), step.conn()
                        + " is not a guest connection over a ring page on this target", "");
            }
            long before = rings.ringIndex(decl.domid(), r.index());
            long after = r.valueAfter(before);
            rings.writeRingIndex(decl.domid(), r.index(), after);
            return r.index().traceName() + " " + before + " -> " + after + ", kicked";
        }
        if (c instanceof Command.Events) {
            return conn.drainEvents().size() + " event(s)";
        }
        if (c instanceof Command.Kill k) {
            sut.killDomain(k.domid());
            return "dom" + k.domid() + " released";
        }
        Request request;
        if (c instanceof Command.Send s) {
            request = s.request();
        } else if (c instanceof Command.StartTx) {
            request = new Request.TransactionStart();
        } else if (c instanceof Command.EndTx e) {
            request = new Request.TransactionEnd(e.commit());
            tx = txs.getOrDefault(e.name(), UNBOUND_TX);
        } else {
            throw new SutException(SutException.Kind.ENVIRONMENT, sut.name(), "a robustness run does not take '"
                    + io.xscheck.conformance.trace.TraceWriter.command(c) + "'", "");
        }
        CompletableFuture<Reply> reply = conn.send(tx, request);
        long wait = desynced.contains(step.conn()) ? DESYNCED_REPLY_MILLIS : ATTACKER_REPLY_MILLIS;
        try {
            Reply r = reply.get(wait, TimeUnit.MILLISECONDS);
            if (c instanceof Command.StartTx t && r instanceof Reply.TransactionId id) {
                txs.put(t.name(), (int) id.id());
            }
            return String.valueOf(r);
        } catch (TimeoutException e) {
            desynced.add(step.conn());
            return "no reply within " + wait + " ms";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            lost.add(step.conn());
            return step.conn() + "'s connection: " + firstLine(e.getCause());
        }
    }

    private static String firstLine(Throwable t) {
        String m = t == null ? "failed" : String.valueOf(t.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stepper.shutdownNow();
        conns.values().forEach(SutConnection::close);
        try {
            stepper.awaitTermination(STEP_BOUND_MILLIS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
