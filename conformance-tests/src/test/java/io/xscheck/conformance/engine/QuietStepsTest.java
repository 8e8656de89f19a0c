package io.xscheck.conformance.engine;

import io.xscheck.conformance.DelegatingSut;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Reads, and a transaction's start or abort, fire no watch in any implementation, so the engine
 * leaves out their event barrier. A target that fires one anyway is still caught: by the next
 * step's barrier, or by the end of the case when no step follows. A correct target passes.
 */
class QuietStepsTest {
    private static final String WATCHED = """
            conn A dom0
            A write /a x
            A watch /a t
            A events
            """;

    @Test
    void aCorrectTargetPassesReadsWithoutBarriers() throws Exception {
        SequenceOutcome o = runner(false).replay(TraceParser.parse(WATCHED + "A read /a\nA getperms /a\nA write /b y\n"));
        assertTrue(o.divergence().isEmpty(), () -> o.reproducer());
    }

    @Test
    void anEventFiredByAReadShowsAtTheNextBarrier() throws Exception {
        SequenceOutcome o = runner(true).replay(TraceParser.parse(WATCHED + "A read /a\nA write /b y\n"));
        assertEquals("events", o.divergence().map(Divergence::category).orElse("none"), o.reproducer());
        assertTrue(o.divergence().get().actual().contains("/a"), o.divergence().get().actual());
    }

    @Test
    void anEventFiredByTheLastStepShowsAtTheEndOfTheCase() throws Exception {
        SequenceOutcome o = runner(true).replay(TraceParser.parse(WATCHED + "A read /a\n"));
        assertEquals("events", o.divergence().map(Divergence::category).orElse("none"), o.reproducer());
        assertEquals("(after the last step)", o.divergence().get().step());
    }

    private static SequenceRunner runner(boolean faulty) {
        return new SequenceRunner(() -> faulty ? new ReadFiresWatch(ModelSut.start(Dialect.SPEC)) : ModelSut.start(Dialect.SPEC),
                Dialect.named(Dialect.SPEC), 0, "model");
    }

    /** The model as a target, except that every READ also sends its connection an event for the path read. */
    private static final class ReadFiresWatch extends DelegatingSut {
        ReadFiresWatch(ModelSut inner) {
            super(inner);
        }

        @Override
        public SutConnection openPrivileged() {
            return new Noisy(inner.openPrivileged());
        }

        @Override
        public SutConnection openGuest(int domid) {
            return new Noisy(inner.openGuest(domid));
        }
    }

    private static final class Noisy extends io.xscheck.conformance.DelegatingConnection {
        private final List<WatchEvent> extra = new ArrayList<>();

        Noisy(SutConnection inner) {
            super(inner);
        }

        @Override
        public CompletableFuture<Reply> send(int txId, Request request) {
            if (request instanceof Request.Read r) {
                synchronized (extra) {
                    extra.add(new WatchEvent(r.path(), "t"));
                }
            }
            return inner.send(txId, request);
        }

        @Override
        public List<WatchEvent> drainEvents() {
            List<WatchEvent> out = new ArrayList<>(inner.drainEvents());
            synchronized (extra) {
                out.addAll(extra);
                extra.clear();
            }
            return out;
        }
    }
}
