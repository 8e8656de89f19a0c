package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.sut.Health;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * C never releases a domain another domain targets (knob {@code targetedDomainNeverReleased}):
 * a kill of one is still sent, but the target is told to wait only briefly for the release. Every
 * other kill, and every kill on a dialect without the knob, waits the full bound.
 */
class UnexpectedReleaseTest {

    @Test
    void onlyAKillOfATargetedDomainOnCWaitsBriefly() throws Exception {
        List<String> kills = new ArrayList<>();
        SequenceRunner c = runner(Dialect.CXENSTORED, kills);
        c.replay(TraceParser.parse("conn A dom0\nconn G1 domU 1\nconn G2 domU 2\nconn G3 domU 3\n"
                + "A settarget 2 1\nA kill 3\nA kill 1\n"));
        assertEquals(List.of("kill 3", "kill 1 within " + Lockstep.UNEXPECTED_RELEASE_BOUND.toMillis() + " ms"), kills);

        kills.clear();
        runner(Dialect.OXENSTORED, kills).replay(TraceParser.parse("conn A dom0\nconn G1 domU 1\nconn G2 domU 2\n"
                + "A settarget 2 1\nA kill 1\n"));
        assertEquals(List.of("kill 1"), kills, "oxenstored releases a targeted domain");
    }

    @Test
    void aSelfTargetedDomainCountsAsTargeted() throws Exception {
        List<String> kills = new ArrayList<>();
        runner(Dialect.CXENSTORED, kills).replay(TraceParser.parse("conn A dom0\nconn G2 domU 2\nA settarget 2 2\nA kill 2\n"));
        assertEquals(1, kills.size());
        assertTrue(kills.get(0).startsWith("kill 2 within"), kills.get(0));
    }

    private static SequenceRunner runner(String dialect, List<String> kills) {
        return new SequenceRunner(() -> new RecordingKills(ModelSut.start(dialect), kills), Dialect.named(dialect), 0,
                "model");
    }

    /** The model as a target that writes down how each kill was asked for. */
    private record RecordingKills(ModelSut inner, List<String> kills) implements Sut {
        @Override
        public void killDomain(int domid) {
            kills.add("kill " + domid);
            inner.killDomain(domid);
        }

        @Override
        public void killDomain(int domid, Duration releaseBound) {
            kills.add("kill " + domid + " within " + releaseBound.toMillis() + " ms");
            inner.killDomain(domid);
        }

        @Override
        public String name() {
            return inner.name();
        }

        @Override
        public String version() {
            return inner.version();
        }

        @Override
        public String dialect() {
            return inner.dialect();
        }

        @Override
        public boolean supportsGuests() {
            return inner.supportsGuests();
        }

        @Override
        public String sandboxRoot() {
            return inner.sandboxRoot();
        }

        @Override
        public SutConnection openPrivileged() {
            return inner.openPrivileged();
        }

        @Override
        public SutConnection openGuest(int domid) {
            return inner.openGuest(domid);
        }

        @Override
        public Health health() {
            return inner.health();
        }

        @Override
        public String logTail(int lines) {
            return inner.logTail(lines);
        }

        @Override
        public void close() {
            inner.close();
        }
    }
}
