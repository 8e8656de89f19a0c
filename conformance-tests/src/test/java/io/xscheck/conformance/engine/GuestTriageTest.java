package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.model.Dialect;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A crash is tried again from guests alone: what a guest can set off is a security finding. */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class GuestTriageTest {

    @Test
    void candidatesDropDom0StepsThenStandGuestsInForThem() throws Exception {
        Trace t = TraceParser.parse("""
                conn A dom0
                conn G1 domU 1
                A watch @releaseDomain t
                G1 read /x
                A kill 1
                """);
        List<Trace> c = GuestTriage.candidates(t);
        assertEquals(2, c.size());
        assertEquals(List.of(TraceLine.Conn.guest("G1", 1)), c.get(0).conns());
        assertEquals(1, c.get(0).steps().size(), "the dom0 watch and the domain death are gone");
        assertEquals(List.of(TraceLine.Conn.guest("A", 11), TraceLine.Conn.guest("G1", 1)), c.get(1).conns());
        assertEquals(2, c.get(1).steps().size(), "A's watch is now a guest's; the death is still gone");
        assertTrue(c.stream().allMatch(x -> x.conns().stream().allMatch(TraceLine.Conn::guest)));
    }

    @Test
    void csConsiderMessageAbortIsGuestTriggerableAndSelfTargetHangNeedsDom0() throws Exception {
        if (!Suts.installed().contains("cxenstored")) {
            if (System.getenv("CI") != null) {
                Assertions.fail("cxenstored is not installed; CI must run it");
            }
            Assumptions.abort("cxenstored is not installed");
        }
        SequenceRunner runner = new SequenceRunner(() -> Suts.open("cxenstored", SutOptions.defaults()),
                Dialect.named(Dialect.CXENSTORED), 0, "cxenstored");
        Trace abort = TraceParser.parse("""
                conn A dom0
                conn B dom0
                A watch /local t2
                B raw 2 "/\\0extra\\0"
                """);
        SequenceOutcome seen = runner.replay(abort);
        assertTrue(seen.signature().startsWith("crash:DIED:abort consider_message"), seen.signature());
        Triage t = GuestTriage.triage(runner::replay, abort, seen.signature(), System.nanoTime() + 20_000_000_000L);
        assertEquals(Triage.GUEST, t.label());
        Trace guestOnly = TraceParser.parse(t.guestReproducer());
        assertFalse(guestOnly.conns().isEmpty());
        assertTrue(guestOnly.conns().stream().allMatch(TraceLine.Conn::guest), t.guestReproducer());
        assertEquals(seen.signature(), runner.replay(guestOnly).signature(), "the guest-only reproducer replays");

        Trace selfTarget = TraceParser.parse("""
                conn A dom0
                conn G2 domU 2
                A settarget 2 2
                A kill 2
                """);
        SequenceOutcome hang = runner.replay(selfTarget);
        assertTrue(hang.signature().startsWith("crash:kill:HUNG"), hang.signature());
        assertEquals(Triage.DOM0, GuestTriage.triage(runner::replay, selfTarget, hang.signature(),
                System.nanoTime() + 20_000_000_000L).label());
    }
}
