package io.xscheck.conformance.gen;

import io.xscheck.conformance.trace.Command;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Capability;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** RESUME and CONTROL, asked for to raise rule coverage: off by default (fixed seeds draw what they drew), dom0 ops. */
class CoverageKindsTest {

    @Test
    void offUnlessAskedAndNeverForATargetWithoutDomainOps() {
        assertEquals(0, Weights.defaults().asMap().get(Kind.RESUME));
        assertEquals(0, Weights.defaults().asMap().get(Kind.CONTROL));
        Weights asked = Weights.parse("resume=2,control=1");
        assertEquals(2, asked.asMap().get(Kind.RESUME));
        Weights socket = asked.restrictedTo(EnumSet.noneOf(Capability.class));
        assertEquals(0, socket.asMap().get(Kind.RESUME));
        assertEquals(0, socket.asMap().get(Kind.CONTROL));
    }

    @Test
    void resumeNamesDom0OrAGuestAndControlAnUnknownCommand() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/");
        assertEquals(new Command.Send(new Request.Resume(0)),
                r.resolve(new CommandTemplate(Kind.RESUME, 0, 0, 4, 0), Set.of()).orElseThrow().command());
        assertEquals(new Command.Send(new Request.Resume(2)),
                r.resolve(new CommandTemplate(Kind.RESUME, 0, 0, 2, 0), Set.of()).orElseThrow().command());
        assertEquals(new Command.Send(new Request.Control(List.of("xscheck-no-such-command"))),
                r.resolve(new CommandTemplate(Kind.CONTROL, 1, 0, 0, 0), Set.of()).orElseThrow().command());
    }
}
