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
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void aWideDirectoryGetsChildrenThatListInMoreThanAReplyThenIsListed() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/");
        int listed = 0;
        for (int i = 0; i < 3; i++) {
            // from a guest's template too: the writes are dom0's, outside any transaction
            TraceLine.Step w = r.resolve(new CommandTemplate(Kind.WIDE_DIRECTORY, 2, 0, i, 0), Set.of()).orElseThrow();
            Request.Write write = (Request.Write) ((Command.Send) w.command()).request();
            assertEquals("A", w.conn());
            assertTrue(write.path().startsWith("/wide/") && write.path().length() < 2048, "within C's path limit");
            listed += write.path().length() - "/wide/".length() + 1;
            r.observe(w, new Reply.Ok());
        }
        assertTrue(listed > 4096, "the three names list in " + listed + " bytes");
        TraceLine.Step list = r.resolve(new CommandTemplate(Kind.WIDE_DIRECTORY, 1, 0, 0, 0), Set.of()).orElseThrow();
        assertEquals(new Command.Send(new Request.Directory("/wide")), list.command());
        assertEquals("B", list.conn());
    }

    @Test
    void anIntroduceGivesPortZeroOnlyWhereTheDialectRefusesItBeforeMapping() {
        CommandTemplate fifth = new CommandTemplate(Kind.INTRODUCE, 0, 0, 4, 0);
        assertEquals(new Command.Introduce(2, true), new Resolver(Resolver.standardConns(true), "/",
                new Resolver.Traits(false, true, false, false)).resolve(fifth, Set.of()).orElseThrow().command());
        assertEquals(new Command.Introduce(2, false), new Resolver(Resolver.standardConns(true), "/")
                .resolve(fifth, Set.of()).orElseThrow().command());
        assertEquals("introduce 2 port 0", io.xscheck.conformance.trace.TraceWriter.command(new Command.Introduce(2, true)));
    }

    @Test
    void aReleaseNamesDom0OnlyWhereTheDaemonTakesDom0ForADomain() {
        CommandTemplate eighth = new CommandTemplate(Kind.RELEASE, 0, 0, 7, 0);
        assertEquals(new Command.Send(new Request.Release(0)), new Resolver(Resolver.standardConns(true), "/",
                new Resolver.Traits(false, false, false, true)).resolve(eighth, Set.of()).orElseThrow().command());
        assertEquals(new Command.Send(new Request.Release(2)), new Resolver(Resolver.standardConns(true), "/")
                .resolve(eighth, Set.of()).orElseThrow().command());
    }

    @Test
    void aBurstIsOneTemplateForTheStepsThatPassTheQuotaEachByOneGuest() {
        CommandTemplate burst = new CommandTemplate(Kind.BURST_WATCHES, 1, 0, 0, 0);
        java.util.List<CommandTemplate> expanded = Templates.expanded(java.util.List.of(
                new CommandTemplate(Kind.READ, 0, 0, 0, 0), burst, new CommandTemplate(Kind.BURST_TRANSACTIONS, 0, 0, 0, 0)));
        assertEquals(1 + Kind.BURST_WATCHES_STEPS + Kind.BURST_TRANSACTIONS_STEPS, expanded.size());
        Resolver r = new Resolver(Resolver.standardConns(true), "/");
        java.util.Set<String> paths = new java.util.HashSet<>();
        for (CommandTemplate t : expanded.subList(1, 1 + Kind.BURST_WATCHES_STEPS)) {
            TraceLine.Step s = r.resolve(t, Set.of()).orElseThrow();
            assertEquals("G2", s.conn(), "every watch of the burst is the same guest's");
            paths.add(((Request.Watch) ((Command.Send) s.command()).request()).path());
        }
        assertEquals(Kind.BURST_WATCHES_STEPS, paths.size(), "each on its own path: none is a duplicate");
        TraceLine.Step tx = r.resolve(expanded.get(expanded.size() - 1), Set.of()).orElseThrow();
        assertTrue(tx.command() instanceof Command.StartTx && tx.tx().isEmpty() && tx.conn().equals("G1"));
        // the node burst: dom0 makes the guest's home and gives it to the guest, which fills it a hundred a directory
        CommandTemplate nodes = new CommandTemplate(Kind.BURST_NODES, 0, 0, 0, 0);
        List<CommandTemplate> nodeBurst = Templates.expanded(List.of(nodes));
        assertEquals(Kind.BURST_NODES_STEPS, nodeBurst.size());
        Resolver n = new Resolver(Resolver.standardConns(true), "/");
        List<TraceLine.Step> steps = nodeBurst.stream().map(t -> n.resolve(t, Set.of()).orElseThrow()).toList();
        assertEquals(TraceLine.Step.of("A", new Command.Send(new Request.Mkdir("/local/domain/1"))), steps.get(0));
        assertEquals(TraceLine.Step.of("A", new Command.Send(new Request.SetPerms("/local/domain/1",
                List.of(io.xscheck.protocol.Perm.none(1))))), steps.get(1));
        assertEquals(TraceLine.Step.of("G1", new Command.Send(new Request.Write("n0/0", io.xscheck.protocol.Bytes.EMPTY))),
                steps.get(2));
        assertEquals(TraceLine.Step.of("G1", new Command.Send(new Request.Write("n9/99", io.xscheck.protocol.Bytes.EMPTY))),
                steps.get(steps.size() - 1));
        assertEquals(0, Weights.defaults().asMap().get(Kind.BURST_NODES), "asked for only: C's transaction node limit");
        // without a guest there is nobody the quotas bind
        assertTrue(new Resolver(Resolver.standardConns(false), "/").resolve(burst, Set.of()).isEmpty());
    }

    @Test
    void portZeroIsWrittenAndReadBack() throws Exception {
        assertEquals(new Command.Introduce(2, true), io.xscheck.conformance.trace.TraceParser
                .parse("conn A dom0\nA introduce 2 port 0\n").steps().get(0).command());
    }

    @Test
    void aDeadGuestComesBackUnderItsIdWithANewConnectionWhereTheDialectKeepsItsAclEntries() {
        Resolver.Traits c = new Resolver.Traits(false, true, true, false);
        Resolver r = new Resolver(Resolver.standardConns(true), "/", c);
        CommandTemplate introduce = new CommandTemplate(Kind.INTRODUCE, 0, 0, 2, 0);
        assertEquals(java.util.Optional.empty(), r.revival(introduce, Set.of()), "no guest is gone");
        assertEquals(java.util.Optional.empty(), r.revival(introduce, Set.of("G1")), "released, not killed: its ring is in use");
        r.observe(TraceLine.Step.of("A", new Command.Kill(1)), new Reply.Ok());
        assertEquals(java.util.Optional.of(TraceLine.Conn.guest("G1-2", 1)), r.revival(introduce, Set.of("G1")));
        // the new connection is picked like the others (the fifth), and is gone when its domain dies again
        assertEquals("G1-2", r.resolve(new CommandTemplate(Kind.READ, 4, 0, 0, 0), Set.of()).orElseThrow().conn());
        assertEquals(java.util.Optional.empty(), r.revival(introduce, Set.of("G1", "G1-2")),
                "G1-2 released, not killed: its ring is in use");
        r.observe(TraceLine.Step.of("A", new Command.Kill(1)), new Reply.Ok());
        assertEquals(java.util.Optional.of(TraceLine.Conn.guest("G1-3", 1)), r.revival(introduce, Set.of("G1", "G1-2")));
        r.observe(TraceLine.Step.of("A", new Command.Kill(2)), new Reply.Ok());
        assertEquals(java.util.Optional.empty(), r.revival(new CommandTemplate(Kind.INTRODUCE, 0, 0, 4, 0), Set.of("G2")),
                "one INTRODUCE template in four stays one");
        assertEquals(java.util.Optional.empty(), new Resolver(Resolver.standardConns(true), "/").revival(introduce, Set.of("G1")),
                "not where the dialect drops a dead domain's entries");
    }

    @Test
    void aDomainBackUnderAnOldIdOftenVisitsNodesWhoseAclNamesThatId() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/", new Resolver.Traits(false, false, true, false));
        r.observe(TraceLine.Step.of("A", new Command.Send(new Request.SetPerms("/tool/x",
                List.of(io.xscheck.protocol.Perm.none(0), io.xscheck.protocol.Perm.read(1))))), new Reply.Ok());
        r.observe(TraceLine.Step.of("A", new Command.Kill(1)), new Reply.Ok());
        r.revival(new CommandTemplate(Kind.INTRODUCE, 0, 0, 1, 0), Set.of("G1"));
        Command read = r.resolve(new CommandTemplate(Kind.READ, 4, 1, 0, 0), Set.of("G1")).orElseThrow().command();
        assertEquals(new Command.Send(new Request.Read("/tool/x")), read);
        // the connection of before does not: it was granted the entry
        Command before = r.resolve(new CommandTemplate(Kind.READ, 2, 2, 0, 0), Set.of()).orElseThrow().command();
        assertEquals(new Command.Send(new Request.Read("/")), before);
    }

    @Test
    void aDomainADomainOperationNamedIsNeverBroughtBack() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/", new Resolver.Traits(false, false, true, false));
        r.observe(TraceLine.Step.of("A", new Command.Send(new Request.SetTarget(2, 1))), new Reply.Ok());
        r.observe(TraceLine.Step.of("A", new Command.Kill(1)), new Reply.Ok());
        r.observe(TraceLine.Step.of("A", new Command.Kill(2)), new Reply.Ok());
        CommandTemplate introduce = new CommandTemplate(Kind.INTRODUCE, 0, 0, 1, 0);
        assertEquals(java.util.Optional.empty(), r.revival(introduce, Set.of("G1", "G2")));
    }

    /** A resolver of the standard connections after A started T1 (the target answered id 5). */
    private static Resolver withTransactionT1OnA() {
        Resolver r = new Resolver(Resolver.standardConns(true), "/");
        TraceLine.Step start = r.resolve(new CommandTemplate(Kind.TX_START, 0, 0, 1, 0), Set.of()).orElseThrow();
        r.observe(start, new Reply.TransactionId(5));
        return r;
    }
}
