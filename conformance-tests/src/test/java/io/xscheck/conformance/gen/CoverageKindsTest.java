package io.xscheck.conformance.gen;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Capability;
import org.junit.jupiter.api.Test;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Kinds and choices that exist so a default run reaches rules nothing else reaches (rule coverage). */
class CoverageKindsTest {

    @Test
    void resumeAndControlOnByDefaultButNeverForATargetWithoutDomainOps() {
        assertEquals(100, Weights.defaults().asMap().get(Kind.RESUME));
        assertEquals(100, Weights.defaults().asMap().get(Kind.CONTROL));
        Weights asked = Weights.parse("resume=2,control=1");
        assertEquals(200, asked.asMap().get(Kind.RESUME));
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

    @Test
    void aTransactionStartIsSometimesSentInsideAnOpenTransaction() {
        Resolver r = withTransactionT1OnA();
        TraceLine.Step nested = r.resolve(new CommandTemplate(Kind.TX_START, 0, 0, 6, 1), Set.of()).orElseThrow();
        assertEquals(java.util.Optional.of("T1"), nested.tx());
        TraceLine.Step plain = r.resolve(new CommandTemplate(Kind.TX_START, 0, 0, 7, 1), Set.of()).orElseThrow();
        assertEquals(java.util.Optional.empty(), plain.tx());
    }

    @Test
    void setPermsSometimesGivesNoEntryAtAll() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/");
        Command c = r.resolve(new CommandTemplate(Kind.SET_PERMS, 0, 0, 37, 0), Set.of()).orElseThrow().command();
        assertEquals(List.of(), ((Request.SetPerms) ((Command.Send) c).request()).perms());
    }

    @Test
    void aRequestSometimesNamesATransactionItsConnectionHasEnded() {
        Resolver r = withTransactionT1OnA();
        TraceLine.Step commit = r.resolve(new CommandTemplate(Kind.TX_COMMIT, 0, 0, 0, 0), Set.of()).orElseThrow();
        r.observe(commit, new Reply.Ok());
        assertEquals(java.util.Optional.of("T1"), r.resolve(new CommandTemplate(Kind.READ, 0, 0, 0, 14), Set.of()).orElseThrow().tx());
        assertEquals(java.util.Optional.empty(), r.resolve(new CommandTemplate(Kind.READ, 0, 0, 0, 2), Set.of()).orElseThrow().tx());
    }

    @Test
    void someInvalidPathsAreLongerThanEveryDaemonsLimit() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/");
        int longest = 0;
        for (int p = 0; p < 4000; p++) {
            Command c = r.resolve(new CommandTemplate(Kind.READ, 0, p, 0, 0), Set.of()).orElseThrow().command();
            longest = Math.max(longest, ((Request.Read) ((Command.Send) c).request()).path().length());
        }
        assertEquals(3073, longest, "C allows 2048 bytes, oxenstored 1024, QEMU 3072");
    }

    /** A resolver of the standard connections after A started T1 (the target answered id 5). */
    private static Resolver withTransactionT1OnA() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/");
        TraceLine.Step start = r.resolve(new CommandTemplate(Kind.TX_START, 0, 0, 1, 0), Set.of()).orElseThrow();
        r.observe(start, new Reply.TransactionId(5));
        return r;
    }
}
