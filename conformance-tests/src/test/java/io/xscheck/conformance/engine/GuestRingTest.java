package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import org.junit.jupiter.api.Test;

/**
 * A guest speaks over its domain's one ring, so a second connection of a domain is declared only after a kill
 * ended the first: a trace that does otherwise (a shrunk one that lost the kill) is a wrong trace, not a finding.
 */
class GuestRingTest {

    private static SequenceOutcome replay(String trace) throws Exception {
        return new SequenceRunner((TargetFactory) null, Dialect.named(Dialect.CXENSTORED), 0, "model").replay(TraceParser.parse(trace));
    }

    @Test
    void aDomainBackAfterAKillGetsANewConnection() throws Exception {
        // the new connection speaks as domain 1: it may write below a node domain 1 owns
        SequenceOutcome o = replay("conn A dom0\nconn G1 domU 1\nG1 read /local\nA kill 1\nconn G1-2 domU 1\n"
                + "A mkdir /local/domain/1\nA setperms /local/domain/1 n1\nG1-2 write x v => OK\nG1-2 read x => \"v\"\n");
        assertFalse(o.diverged());
        assertTrue(o.failedExpectations().isEmpty());
    }

    @Test
    void aSecondConnectionWhileTheFirstHoldsTheRingIsAWrongTrace() {
        TraceUseException e = assertThrows(TraceUseException.class,
                () -> replay("conn A dom0\nconn G1 domU 1\nA release 1\nconn G1-2 domU 1\nG1-2 read /local\n"));
        assertTrue(e.getMessage().contains("dom1's ring still serves connection G1"), e.getMessage());
    }
}
