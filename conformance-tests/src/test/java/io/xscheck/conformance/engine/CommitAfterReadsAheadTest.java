package io.xscheck.conformance.engine;

import io.xscheck.conformance.DelegatingConnection;
import io.xscheck.conformance.ConnectionWrappingSut;
import io.xscheck.conformance.gen.CommandTemplate;
import io.xscheck.conformance.gen.Kind;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A commit is not sent past another connection's read that is still in flight: the daemon may take the commit first,
 * and the read then sees what the transaction wrote. (A 15 s C bench had a case whose {@code B read /local/a} answered
 * the value {@code A@T1} had written, with steps sent ahead, which a fresh daemon one step at a time did not repeat;
 * a commit sent past the read gives that answer.)
 */
class CommitAfterReadsAheadTest {
    /** A writes a node in its transaction, B reads it, A commits. */
    private static final List<CommandTemplate> WRITE_IN_TX_READ_COMMIT = List.of(
            new CommandTemplate(Kind.TX_START, 0, 1, 1, 0), new CommandTemplate(Kind.WRITE, 0, 1, 5, 1),
            new CommandTemplate(Kind.READ, 1, 1, 0, 0), new CommandTemplate(Kind.TX_COMMIT, 0, 1, 0, 0));

    @Test
    void aCommitWaitsForTheReadsAheadOfItOnOtherConnections() {
        SequenceRunner runner = new SequenceRunner(new TargetPool(() -> new CommitsFirst(ModelSut.start(Dialect.SPEC)),
                null, true), Dialect.named(Dialect.SPEC), 0, "model");
        SequenceOutcome warmUp = runner.runReusing(List.of(new CommandTemplate(Kind.GET_PERMS, 0, 1, 0, 0)));
        assertFalse(warmUp.diverged() || warmUp.batched(), warmUp::reproducer);

        SequenceOutcome o = runner.runReusing(WRITE_IN_TX_READ_COMMIT);
        assertTrue(o.batched(), o::reproducer);
        assertTrue(o.reproducer().contains("B read /") && o.reproducer().contains("A commit T1"), o::reproducer);
        assertTrue(o.divergence().isEmpty(), o::reproducer);
    }

    /**
     * The model as a target that takes a commit before any read of another connection still in flight (one whose
     * reply nobody has waited for yet): that read then answers as after the commit.
     */
    private static final class CommitsFirst extends ConnectionWrappingSut {
        private final List<HeldRead> inFlight = new CopyOnWriteArrayList<>();

        CommitsFirst(ModelSut inner) {
            super(inner);
        }

        @Override
        protected SutConnection wrap(SutConnection conn) {
            return new Conn(conn);
        }

        private final class Conn extends DelegatingConnection {
            Conn(SutConnection conn) {
                super(conn);
            }

            @Override
            public CompletableFuture<Reply> send(int txId, Request request) {
                if (request instanceof Request.Read && txId == 0) {
                    HeldRead held = new HeldRead(this, request);
                    inFlight.add(held);
                    inner.send(txId, request).thenAccept(held::answered);
                    return held;
                }
                if (request instanceof Request.TransactionEnd end && end.commit()) {
                    List<HeldRead> overtaken = inFlight.stream().filter(h -> h.conn != this && h.overtake()).toList();
                    CompletableFuture<Reply> commit = inner.send(txId, request);
                    for (HeldRead h : overtaken) {
                        commit.thenCompose(r -> h.conn.inner.send(0, h.request)).thenAccept(h::complete);
                    }
                    return commit;
                }
                return inner.send(txId, request);
            }
        }

        /** A read's reply, given only once somebody waits for it, unless a commit overtook it first. */
        private static final class HeldRead extends CompletableFuture<Reply> {
            final Conn conn;
            final Request request;
            private Reply before;
            private boolean waited;
            private boolean overtaken;

            HeldRead(Conn conn, Request request) {
                this.conn = conn;
                this.request = request;
            }

            synchronized void answered(Reply r) {
                before = r;
                release();
            }

            /** Whether a commit may still go first (nobody waited for this reply yet). */
            synchronized boolean overtake() {
                if (waited || isDone()) {
                    return false;
                }
                overtaken = true;
                return true;
            }

            private synchronized void release() {
                if (waited && !overtaken && before != null && !isDone()) {
                    complete(before);
                }
            }

            private synchronized void waiting() {
                waited = true;
                release();
            }

            @Override
            public Reply get() throws InterruptedException, ExecutionException {
                waiting();
                return super.get();
            }

            @Override
            public Reply get(long timeout, TimeUnit unit) throws InterruptedException, ExecutionException, TimeoutException {
                waiting();
                return super.get(timeout, unit);
            }

            @Override
            public Reply join() {
                waiting();
                return super.join();
            }
        }
    }
}
