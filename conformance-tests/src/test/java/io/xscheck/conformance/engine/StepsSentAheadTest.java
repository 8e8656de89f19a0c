package io.xscheck.conformance.engine;

import io.xscheck.conformance.gen.CommandTemplate;
import io.xscheck.conformance.gen.Kind;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A campaign's cases on a reused target send the steps whose answer the model determines without
 * waiting (see {@link Lockstep#sendsAhead}); what it reports is still what one step at a time sees. A fault a
 * target shows only while requests of a connection are in flight together is seen among those
 * steps, run again one step at a time, and not reported; a fault a target shows either way is
 * reported as the one-step-at-a-time engine reports it, at the same step.
 */
class StepsSentAheadTest {

    /** Written, then read twice on one connection: the reads go ahead with the write. */
    private static final List<CommandTemplate> WRITE_THEN_READS = List.of(
            new CommandTemplate(Kind.WRITE, 0, 1, 5, 0), new CommandTemplate(Kind.READ, 0, 1, 0, 0),
            new CommandTemplate(Kind.READ, 0, 1, 0, 0), new CommandTemplate(Kind.GET_PERMS, 0, 1, 0, 0));

    /** A writes a node, then B and A read it: B's read may answer otherwise if the daemon took it first. */
    private static final List<CommandTemplate> WRITE_THEN_OTHERS_READ = List.of(
            new CommandTemplate(Kind.WRITE, 0, 1, 5, 0), new CommandTemplate(Kind.READ, 1, 1, 0, 0),
            new CommandTemplate(Kind.READ, 0, 1, 0, 0), new CommandTemplate(Kind.GET_PERMS, 1, 1, 0, 0));

    /**
     * A request on one connection that may answer differently in the daemon's other order with a step ahead on
     * another connection still goes ahead, but only once that step's reply came: a target that answers such a
     * request wrongly while the other connection's step is not yet waited for (as a daemon that took them in the
     * other order would) agrees with the model.
     */
    @Test
    void aRelatedRequestOnAnotherConnectionGoesAheadOnlyOnceTheStepAheadWasAnswered() {
        SequenceRunner runner = runner(() -> new Faulty(ModelSut.start(Dialect.SPEC), true, true, READ_FAILS));
        SequenceOutcome o = runner.runReusing(WRITE_THEN_OTHERS_READ);
        assertTrue(o.batched(), o::reproducer);
        assertTrue(o.reproducer().contains("A write /") && o.reproducer().contains("B read /"), o::reproducer);
        assertTrue(o.divergence().isEmpty(), o::reproducer);
        assertEquals(4, o.commands());
    }

    /** A watches, then B writes and reads another node: the write and the read go ahead, the write's barrier is left out. */
    private static final List<CommandTemplate> WATCH_THEN_WRITE_AND_READ = List.of(
            new CommandTemplate(Kind.WATCH, 0, 1, 0, 0), new CommandTemplate(Kind.WRITE, 1, 2, 5, 0),
            new CommandTemplate(Kind.READ, 1, 2, 0, 0));

    /**
     * An event a target sends where the model expects none, for a step sent ahead, is not seen where one step at a
     * time sees it (its barrier was left out): the case's divergence found later, a reply's, is marked as perhaps not
     * the first (so that a repeat of its signature is replayed all the same), and is not marked so when no event
     * was left out.
     */
    @Test
    void aDivergenceAfterABarrierLeftOutIsMarkedWhenAWatcherHoldsAnEvent() {
        SequenceRunner stray = runner(() -> new Faulty(ModelSut.start(Dialect.SPEC), false, READ_LOSES_LAST_BYTE)
                .withStrayEvents());
        SequenceOutcome ahead = stray.runReusing(WATCH_THEN_WRITE_AND_READ);
        SequenceOutcome strict = stray.run(WATCH_THEN_WRITE_AND_READ);
        assertTrue(ahead.batched() && ahead.diverged() && strict.diverged(), ahead.reproducer() + strict.reproducer());
        assertTrue(strict.divergence().get().stepIndex() < ahead.divergence().get().stepIndex(),
                "one step at a time the stray event comes first: " + strict.reproducer() + ahead.reproducer());
        assertTrue(ahead.eventsLeftOut(), ahead::reproducer);

        SequenceRunner clean = runner(() -> new Faulty(ModelSut.start(Dialect.SPEC), false, READ_LOSES_LAST_BYTE));
        SequenceOutcome exact = clean.runReusing(WATCH_THEN_WRITE_AND_READ);
        assertTrue(exact.batched() && exact.diverged(), exact::reproducer);
        assertFalse(exact.eventsLeftOut(), "no watcher holds an event: the reply's divergence is the first");
    }

    @Test
    void aCorrectTargetPassesWithStepsSentAhead() {
        SequenceRunner runner = runner(() -> new Faulty(ModelSut.start(Dialect.SPEC), true, r -> r));
        SequenceOutcome o = runner.runReusing(WRITE_THEN_READS);
        assertTrue(o.batched(), "the reads went ahead");
        assertTrue(o.divergence().isEmpty(), o::reproducer);
        assertEquals(4, o.commands());
    }

    @Test
    void aFaultOnlyInFlightRequestsShowIsSeenAheadButNotReported() {
        SequenceRunner runner = runner(() -> new Faulty(ModelSut.start(Dialect.SPEC), true, READ_FAILS));
        SequenceOutcome ahead = runner.runReusing(WRITE_THEN_READS);
        assertTrue(ahead.batched() && ahead.diverged(), "the read answered while the write was in flight fails: "
                + ahead.reproducer());
        assertFalse(runner.run(WRITE_THEN_READS).diverged(), "one step at a time the target agrees");

        TargetReport r = campaign(() -> new Faulty(ModelSut.start(Dialect.SPEC), true, READ_FAILS), 7, 30);
        assertEquals("", r.error());
        assertEquals(0, r.divergences(), "nothing a step-by-step run does not see is reported: " + r.findings());
        assertTrue(r.reuse().unconfirmed() > 0, "the faults among steps sent ahead were seen and set aside");
        assertTrue(r.reuse().unconfirmedExample().contains("with steps sent ahead"), r.reuse().unconfirmedExample());
    }

    @Test
    void aFaultSeenAheadIsReportedAsOneStepAtATimeSeesIt() throws Exception {
        SequenceRunner runner = runner(() -> new Faulty(ModelSut.start(Dialect.SPEC), false, READ_LOSES_LAST_BYTE));
        SequenceOutcome ahead = runner.runReusing(WRITE_THEN_READS);
        SequenceOutcome strict = runner.run(WRITE_THEN_READS);
        assertTrue(ahead.batched() && ahead.diverged(), ahead.reproducer());
        assertTrue(strict.diverged(), strict.reproducer());
        assertEquals(strict.divergence().get().stepIndex(), ahead.divergence().get().stepIndex(), "the same step");
        assertEquals(strict.divergence().get().category(), ahead.divergence().get().category());
        assertEquals(strict.signature(), ahead.signature(), "judged as one step at a time judges it: a repeat of a"
                + " signature a fresh target showed is known for one without a replay");

        // a seed whose cases diverge again on a reset target after a fresh one confirmed the signature (of seeds 7 to
        // 11 at 80 cases, all but 7 do; which cases diverge where depends on the whole default mix)
        TargetReport r = campaign(() -> new Faulty(ModelSut.start(Dialect.SPEC), false, READ_LOSES_LAST_BYTE), 9, 80);
        assertEquals("", r.error());
        assertFalse(r.findings().isEmpty(), "the fault is reported");
        assertEquals(0, r.reuse().unconfirmed(), "a step-by-step run repeats every one");
        assertTrue(r.reuse().repeatsNotReplayed() > 0, () -> "once a fresh target showed the signature, its repeats on a"
                + " reset target count without a replay: " + r.findings().stream().map(f -> f.divergence().signature()
                + " x" + f.occurrences()).toList());
        assertEquals(r.divergences(), r.findings().stream().mapToLong(Finding::occurrences).sum(),
                "each diverging case is counted as a case of its finding");
        for (Finding f : r.findings()) {
            SequenceOutcome again = runner.replay(TraceParser.parse(f.trace()));
            assertEquals(f.divergence().signature(), again.signature(), "the report is what one step at a time sees");
        }
    }

    private static final UnaryOperator<Reply> READ_FAILS = r -> new Reply.Error("EIO");
    private static final UnaryOperator<Reply> READ_LOSES_LAST_BYTE = r -> r instanceof Reply.Value v
            && v.value().length() > 1 ? new Reply.Value(Bytes.of(v.value().toArray(), 0,
            v.value().length() - 1)) : r;

    /**
     * A runner whose cases reuse their target, which is where steps go ahead (a divergence there is
     * replayed on a fresh target anyway); one clean case has run, so the next one gets a reset target.
     */
    private static SequenceRunner runner(TargetFactory factory) {
        SequenceRunner runner = new SequenceRunner(new TargetPool(factory, null, true), Dialect.named(Dialect.SPEC), 0,
                "model");
        SequenceOutcome warmUp = runner.runReusing(List.of(new CommandTemplate(Kind.GET_PERMS, 0, 1, 0, 0)));
        assertFalse(warmUp.diverged() || warmUp.batched(), warmUp::reproducer);
        return runner;
    }

    private static TargetReport campaign(TargetFactory factory, long seed, int sequences) {
        Campaign.Config config = new Campaign.Config(seed, Duration.ofMinutes(2), sequences, 1, Weights.defaults(), 40, 5,
                Duration.ofSeconds(5), 20);
        return new Campaign("model", factory, Dialect.named(Dialect.SPEC), config, n -> { }).run();
    }

    /**
     * The model as a target, except that a READ's reply is changed: always, or only when it was sent
     * while an earlier request of its connection was not yet waited for, or (across connections) while
     * another connection's WRITE was not. The inspector is left alone.
     */
    private static final class Faulty extends io.xscheck.conformance.ConnectionWrappingSut {
        /** Every connection's WRITEs, so that a READ knows whether another connection's is still in flight. */
        private final List<Sent> unawaitedWrites = new java.util.concurrent.CopyOnWriteArrayList<>();
        private final boolean onlyInFlight;
        private final boolean acrossConnections;
        private final UnaryOperator<Reply> fault;
        /** Every WRITE also fires an event nobody watches for, on each connection that set a watch. */
        private boolean strayEvents;
        private final List<Conn> watching = new java.util.concurrent.CopyOnWriteArrayList<>();

        Faulty withStrayEvents() {
            strayEvents = true;
            return this;
        }

        Faulty(ModelSut inner, boolean onlyInFlight, UnaryOperator<Reply> fault) {
            this(inner, onlyInFlight, false, fault);
        }

        Faulty(ModelSut inner, boolean onlyInFlight, boolean acrossConnections, UnaryOperator<Reply> fault) {
            super(inner);
            this.onlyInFlight = onlyInFlight;
            this.acrossConnections = acrossConnections;
            this.fault = fault;
        }

        @Override
        protected SutConnection wrap(SutConnection conn) {
            return new Conn(conn);
        }

        private final class Conn extends io.xscheck.conformance.DelegatingConnection {
            private Watched last;

            private final List<io.xscheck.protocol.WatchEvent> stray = new java.util.concurrent.CopyOnWriteArrayList<>();
            private volatile String token;

            Conn(SutConnection conn) {
                super(conn);
            }

            @Override
            public List<io.xscheck.protocol.WatchEvent> drainEvents() {
                List<io.xscheck.protocol.WatchEvent> out = new java.util.ArrayList<>(super.drainEvents());
                out.addAll(stray);
                stray.clear();
                return out;
            }

            @Override
            public synchronized CompletableFuture<Reply> send(int txId, Request request) {
                boolean inFlight = acrossConnections ? request instanceof Request.Read
                        && unawaitedWrites.stream().anyMatch(w -> w.conn() != this && !w.future().waitedFor)
                        : last != null && !last.waitedFor;
                Watched out = new Watched();
                if (request instanceof Request.Write) {
                    unawaitedWrites.add(new Sent(this, out));
                }
                if (request instanceof Request.Watch w) {
                    token = w.token();
                    watching.add(this);
                }
                if (strayEvents && request instanceof Request.Write) {
                    watching.forEach(c -> c.stray.add(new io.xscheck.protocol.WatchEvent("/stray", c.token)));
                }
                inner.send(txId, request).whenComplete((reply, failure) -> {
                    if (failure != null) {
                        out.completeExceptionally(failure);
                    } else {
                        out.complete(request instanceof Request.Read && (inFlight || !onlyInFlight) ? fault.apply(reply)
                                : reply);
                    }
                });
                last = out;
                return out;
            }
        }
    }

    /** A request a connection sent, and its reply. */
    private record Sent(Object conn, Watched future) {
    }

    /** A reply future that knows whether the engine waited for it. */
    private static final class Watched extends CompletableFuture<Reply> {
        private volatile boolean waitedFor;

        @Override
        public Reply get() throws InterruptedException, ExecutionException {
            waitedFor = true;
            return super.get();
        }

        @Override
        public Reply get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
            waitedFor = true;
            return super.get(timeout, unit);
        }
    }
}
