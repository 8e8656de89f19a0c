package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A transaction's id after it ended, used again after a live update: both daemons number transactions from 1 again
 * at the update, so on a fresh connection the stale id is the first new transaction's, and the write goes into it
 * (too big for a node there: E2BIG). On a connection a reset daemon lends again its id was a later one, which no
 * transaction has after the update (oxenstored EIO, C ENOENT). The model is told where a lent connection's count
 * stands, so the same trace passes on both; before, every such case on a reset daemon diverged there and was
 * replayed on a fresh one.
 */
class LentConnectionTxIdsTest {
    private static final String STALE = "conn A dom0\nA tx T1\nA commit T1\nA liveupdate\nA tx T2\n"
            + "A@T1 write /q/b " + "x".repeat(3000) + "\n";

    @ParameterizedTest
    @ValueSource(strings = {"oxenstored", "cxenstored"})
    void aStaleTransactionAfterALiveUpdateAnswersAsTheModelSaysOnFreshAndLentConnections(String target)
            throws Exception {
        Sut fresh = open(target);
        SequenceOutcome onFresh = new SequenceRunner(() -> fresh, Dialect.named(fresh.dialect()), 25, target)
                .replay(TraceParser.parse(STALE));
        assertTrue(onFresh.divergence().isEmpty(), onFresh::reproducer);

        Sut reset = open(target);
        try (SutConnection a = reset.openCasePrivileged()) {
            for (int i = 0; i < 5; i++) {
                long id = ((Reply.TransactionId) a.call(0, new Request.TransactionStart())).id();
                assertEquals(new Reply.Ok(), a.call((int) id, new Request.TransactionEnd(false)));
            }
        }
        assertTrue(reset.reset(Set.of()), reset.logTail(20));
        SequenceOutcome onLent = new SequenceRunner(() -> reset, Dialect.named(reset.dialect()), 25, target)
                .replay(TraceParser.parse(STALE));
        assertTrue(onLent.divergence().isEmpty(), onLent::reproducer);
        assertTrue(onLent.reproducer().contains("=> " + (target.equals("oxenstored") ? "EIO" : "ENOENT")),
                "the stale id reached no transaction on the lent connection:\n" + onLent.reproducer());
    }

    private static Sut open(String target) {
        return io.xscheck.conformance.InstalledTargets.open(target);
    }
}
