package io.xscheck.conformance.engine;

import io.xscheck.conformance.DelegatingConnection;
import io.xscheck.conformance.DelegatingSut;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A WATCH whose only due barrier is on its own connection sends that barrier's request right behind it: one round
 * trip, not two. The initial event is still compared at the WATCH: a target that leaves it out, or sends two, is
 * caught there.
 */
class WatchBarrierBehindTest {
    private static final String WATCH = """
            conn A dom0
            A write /a x
            A watch /a t
            A write /a y
            """;

    @Test
    void theBarrierGoesOutBeforeTheWatchIsAnswered() throws Exception {
        // This target answers a WATCH only once the next request arrives on its connection: with the barrier's
        // request sent behind the WATCH, nothing waits for that reply (this is also what the engine no longer sees).
        SequenceOutcome o = runner(Fault.ANSWER_ON_NEXT_REQUEST).replay(TraceParser.parse(WATCH));
        assertTrue(o.divergence().isEmpty(), () -> o.reproducer());
    }

    @Test
    void aMissingInitialEventIsCaughtAtTheWatch() throws Exception {
        SequenceOutcome o = runner(Fault.NO_INITIAL_EVENT).replay(TraceParser.parse(WATCH));
        assertEquals("events", o.divergence().map(Divergence::category).orElse("none"), o.reproducer());
        assertEquals("A watch /a t", o.divergence().get().step());
    }

    @Test
    void aSecondInitialEventIsCaughtAtTheWatch() throws Exception {
        SequenceOutcome o = runner(Fault.TWO_INITIAL_EVENTS).replay(TraceParser.parse(WATCH));
        assertEquals("events", o.divergence().map(Divergence::category).orElse("none"), o.reproducer());
        assertEquals("A watch /a t", o.divergence().get().step());
    }

    @Test
    void aCorrectTargetPasses() throws Exception {
        SequenceOutcome o = runner(Fault.NONE).replay(TraceParser.parse(WATCH + "conn B dom0\nB watch /a u\nA rm /a\n"));
        assertTrue(o.divergence().isEmpty(), () -> o.reproducer());
    }

    private enum Fault { NONE, ANSWER_ON_NEXT_REQUEST, NO_INITIAL_EVENT, TWO_INITIAL_EVENTS }

    private static SequenceRunner runner(Fault fault) {
        return new SequenceRunner(() -> new Faulty(ModelSut.start(Dialect.SPEC), fault), Dialect.named(Dialect.SPEC), 0,
                "model");
    }

    private static final class Faulty extends DelegatingSut {
        private final Fault fault;

        Faulty(ModelSut inner, Fault fault) {
            super(inner);
            this.fault = fault;
        }

        @Override
        public SutConnection openPrivileged() {
            return new Watching(inner.openPrivileged(), fault);
        }
    }

    /** The model's connection, with the fault applied to WATCH requests and their initial events. */
    private static final class Watching extends DelegatingConnection {
        private final Fault fault;
        private CompletableFuture<Reply> held;

        Watching(SutConnection inner, Fault fault) {
            super(inner);
            this.fault = fault;
        }

        @Override
        public synchronized CompletableFuture<Reply> send(int txId, Request request) {
            if (held != null) {
                held.complete(null);
                held = null;
            }
            CompletableFuture<Reply> reply = inner.send(txId, request);
            if (fault == Fault.ANSWER_ON_NEXT_REQUEST && request instanceof Request.Watch) {
                CompletableFuture<Reply> late = new CompletableFuture<>();
                held = late;
                return reply.thenCombine(late, (watchReply, ignored) -> watchReply);
            }
            return reply;
        }

        @Override
        public List<WatchEvent> drainEvents() {
            List<WatchEvent> events = new java.util.ArrayList<>(inner.drainEvents());
            if (fault == Fault.NO_INITIAL_EVENT) {
                events.removeIf(e -> e.path().equals("/a") && e.token().equals("t"));
            } else if (fault == Fault.TWO_INITIAL_EVENTS && events.contains(new WatchEvent("/a", "t"))) {
                events.add(new WatchEvent("/a", "t"));
            }
            return events;
        }
    }
}
