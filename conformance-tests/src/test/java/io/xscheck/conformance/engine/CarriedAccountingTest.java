package io.xscheck.conformance.engine;

import io.xscheck.conformance.DelegatingSut;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Capability;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * oxenstored's dom0 entries count comes out of a case with an RM of {@code /} one short of its tree, a reset puts the
 * tree back and not the count, and the next live update counts the entries anew: on a reset daemon the count then
 * grows by one though the tree did not change. That is the earlier case's doing, not the update's, so the quota
 * check expects it; without it, every such live update diverged on the reset daemon and was replayed on a fresh one
 * (about five cases in a thousand, each a replay).
 */
class CarriedAccountingTest {
    private static final String UPDATE = "conn A dom0\nA liveupdate\n";

    @ParameterizedTest
    @ValueSource(strings = {"oxenstored", "oxenstored-4.20"})
    void aLiveUpdateOnADaemonWhoseResetLeftItsCountShortExpectsTheCountBack(String target) throws Exception {
        Sut sut = resetAfterRootRemoval(target);
        SequenceOutcome o = new SequenceRunner(() -> sut, Dialect.named(sut.dialect()), 25, target)
                .replay(TraceParser.parse(UPDATE));
        assertTrue(o.divergence().isEmpty(), o::reproducer);
    }

    @ParameterizedTest
    @ValueSource(strings = {"oxenstored", "oxenstored-4.20"})
    void withoutWhatTheResetReportsTheSameUpdateDiverges(String target) throws Exception {
        Sut sut = new HidesAccounting(resetAfterRootRemoval(target));
        SequenceOutcome o = new SequenceRunner(() -> sut, Dialect.named(sut.dialect()), 25, target)
                .replay(TraceParser.parse(UPDATE));
        assertEquals("quota:liveupdate:dom0:entries:grew", o.signature(), o.reproducer());
    }

    /** A daemon after a case that removed every node below / and the reset that put them back. */
    private static Sut resetAfterRootRemoval(String target) {
        Sut sut = io.xscheck.conformance.InstalledTargets.open(target);
        try (SutConnection a = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), a.call(0, new Request.Rm("/")));
        }
        assertTrue(sut.reset(Set.of()), sut.logTail(20));
        assertTrue(sut.accountingAtReset().isPresent());
        return sut;
    }

    /** The daemon, but with nothing to say about its accounting after the reset (as before the adapter read it). */
    private static final class HidesAccounting extends DelegatingSut {
        HidesAccounting(Sut inner) {
            super(inner);
        }

        @Override
        public Set<Capability> capabilities() {
            return inner.capabilities();
        }

        @Override
        public Reply liveUpdate(SutConnection via, boolean force) {
            return inner.liveUpdate(via, force);
        }

        @Override
        public Reply liveUpdate(SutConnection via, boolean force, boolean heldBackExpected) {
            return inner.liveUpdate(via, force, heldBackExpected);
        }
    }
}
