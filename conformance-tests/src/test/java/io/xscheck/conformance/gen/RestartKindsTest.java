package io.xscheck.conformance.gen;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.sut.Capability;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The restart kinds: rare unless asked for, never for a target that cannot restart, always on dom0. */
class RestartKindsTest {

    @Test
    void restartsAreRareUnlessAskedFor() {
        // a hundredth of the rarest other kind's weight; QEMU's migration, which replaces no process, five
        assertEquals(1, Weights.defaults().asMap().get(Kind.LIVEUPDATE));
        assertEquals(5, Weights.defaults().asMap().get(Kind.MIGRATE));
        assertEquals(100, Weights.defaults().asMap().get(Kind.KILL));
        Weights asked = Weights.parse("liveupdate=5,migrate=5");
        assertEquals(500, asked.asMap().get(Kind.LIVEUPDATE));
        assertEquals(500, asked.asMap().get(Kind.MIGRATE));
        assertEquals(0, Weights.parse("liveupdate=0").asMap().get(Kind.LIVEUPDATE));
    }

    @Test
    void aTargetThatCannotRestartIsNeverSentOne() {
        Weights asked = Weights.parse("liveupdate=5,migrate=5");
        Weights socket = asked.restrictedTo(EnumSet.noneOf(Capability.class));
        assertEquals(0, socket.asMap().get(Kind.LIVEUPDATE));
        assertEquals(0, socket.asMap().get(Kind.MIGRATE));
        Weights daemon = asked.restrictedTo(Capability.plus(Capability.all(), Capability.LIVE_UPDATE));
        assertEquals(500, daemon.asMap().get(Kind.LIVEUPDATE));
        assertEquals(0, daemon.asMap().get(Kind.MIGRATE));
    }

    @Test
    void aRestartAskedOnAGuestGoesToTheFirstDom0Connection() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/");
        // connection index 2 is G1; arg 3 (a multiple of 3) asks for a forced update
        TraceLine.Step forced = r.resolve(new CommandTemplate(Kind.LIVEUPDATE, 2, 0, 3, 0), Set.of()).orElseThrow();
        assertEquals("A", forced.conn());
        assertEquals(new Command.LiveUpdate(true), forced.command());
        TraceLine.Step plain = r.resolve(new CommandTemplate(Kind.LIVEUPDATE, 1, 0, 4, 0), Set.of()).orElseThrow();
        assertEquals("B", plain.conn());
        assertEquals(new Command.LiveUpdate(false), plain.command());
        assertEquals(new Command.Migrate(), r.resolve(new CommandTemplate(Kind.MIGRATE, 0, 0, 0, 0), Set.of())
                .orElseThrow().command());
    }
}
