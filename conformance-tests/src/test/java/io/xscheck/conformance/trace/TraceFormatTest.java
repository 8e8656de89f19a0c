package io.xscheck.conformance.trace;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TraceFormatTest {

    private static final String SAMPLE = """
            # a comment line
            conn A dom0
            conn G domU 5   # the harness introduces 5
            A write /x "a b\\n\\0\\xff" => OK
            A write /y bare
            A read /x => "a b\\n\\0\\xff"
            A directory / => [x, y]
            A directory / => {y, x}
            A getperms /x => n0 r5
            A setperms /x n0 r5 => OK | EACCES
            A watch /x tok
            A events => [/x tok, "/x" "tok"]
            A tx T1
            A@T1 rm /y => OK
            A commit T1 => OK | EAGAIN
            A abort T2 => ENOENT
            A introduce 7 => OK
            G getdomainpath 5 => "/local/domain/5"
            A isintroduced 7 => "T"
            A settarget 7 5
            A release 7
            A kill 5
            A resetwatches
            A unwatch /x tok => ENOENT
            A mkdir "/with space"
            A directorypart / 0
            A events => []
            A liveupdate => "OK"
            A liveupdate force => "BUSY" | "OK"
            A migrate
            """;

    @Test
    void parsesEveryKindOfLine() throws Exception {
        Trace t = TraceParser.parse(SAMPLE);
        assertEquals(2, t.conns().size());
        assertEquals(TraceLine.Conn.guest("G", 5), t.conns().get(1));
        TraceLine.Step write = t.steps().get(0);
        assertEquals(new Command.Send(new Request.Write("/x",
                Bytes.of(new byte[] {'a', ' ', 'b', '\n', 0, (byte) 0xff}))), write.command());
        assertInstanceOf(Expect.Ok.class, write.expect().orElseThrow());
        TraceLine.Step inTx = t.steps().get(10);
        assertEquals("T1", inTx.tx().orElseThrow());
        assertEquals(new Command.Send(new Request.Rm("/y")), inTx.command());
        Expect alt = t.steps().get(11).expect().orElseThrow();
        assertTrue(alt.matches(new Reply.Error("EAGAIN")));
        assertTrue(alt.matches(new Reply.Ok()));
        assertFalse(alt.matches(new Reply.Error("ENOENT")));
        Expect events = t.steps().get(8).expect().orElseThrow();
        assertTrue(events.matchesEvents(List.of(new WatchEvent("/x", "tok"), new WatchEvent("/x", "tok"))));
        assertFalse(events.matchesEvents(List.of(new WatchEvent("/x", "tok"))));
    }

    @Test
    void writerOutputParsesBackToTheSameTrace() throws Exception {
        Trace t = TraceParser.parse(SAMPLE);
        String written = TraceWriter.write(t);
        assertEquals(t, TraceParser.parse(written));
        assertEquals(written, TraceWriter.write(TraceParser.parse(written)));
    }

    @Test
    void everyByteValueSurvivesARoundTrip() throws Exception {
        byte[] all = new byte[256];
        for (int i = 0; i < 256; i++) {
            all[i] = (byte) i;
        }
        Trace t = new Trace(List.of(TraceLine.Conn.dom0("A"),
                TraceLine.Step.of("A", new Command.Send(new Request.Write("/v", Bytes.of(all))))
                        .withExpect(new Expect.Text(Bytes.of(all)))));
        assertEquals(t, TraceParser.parse(TraceWriter.write(t)));
    }

    @Test
    void orderedAndUnorderedDirectoriesDiffer() throws Exception {
        Trace t = TraceParser.parse("conn A dom0\nA directory / => [a, b]\nA directory / => {a, b}\n");
        Reply swapped = new Reply.Names(List.of("b", "a"));
        assertFalse(t.steps().get(0).expect().orElseThrow().matches(swapped));
        assertTrue(t.steps().get(1).expect().orElseThrow().matches(swapped));
    }

    @Test
    void permissionExpectationsCompareExactly() throws Exception {
        Trace t = TraceParser.parse("conn A dom0\nA getperms / => n0 r5\n");
        Expect e = t.steps().get(0).expect().orElseThrow();
        assertTrue(e.matches(new Reply.Perms(List.of(Perm.none(0), Perm.read(5)))));
        assertFalse(e.matches(new Reply.Perms(List.of(Perm.none(0)))));
    }

    @Test
    void errorsNameTheLineAndColumn() {
        TraceSyntaxException undeclared = assertThrows(TraceSyntaxException.class,
                () -> TraceParser.parse("conn A dom0\nB read /x\n"));
        assertEquals(2, undeclared.line());
        TraceSyntaxException unknownOp = assertThrows(TraceSyntaxException.class,
                () -> TraceParser.parse("conn A dom0\nA frobnicate /x\n"));
        assertEquals(3, unknownOp.column());
        TraceSyntaxException badEscape = assertThrows(TraceSyntaxException.class,
                () -> TraceParser.parse("conn A dom0\nA write /x \"\\q\"\n"));
        assertEquals(2, badEscape.line());
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nA write /x \"open\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nA read /x => MAYBE\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nA@T1 commit T2\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A domU 0\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nconn A dom0\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nA write /x\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nA setperms /x q5\n"));
    }

    @Test
    void aTransactionStartInsideATransactionIsAStepTheDaemonsRefuse() throws Exception {
        String text = "conn A dom0\nA tx T1\nA@T1 tx T2\n";
        TraceLine.Step nested = TraceParser.parse(text).steps().get(1);
        assertEquals(java.util.Optional.of("T1"), nested.tx());
        assertEquals(new Command.StartTx("T2"), nested.command());
        assertEquals(text, TraceWriter.write(TraceParser.parse(text)));
    }

    @Test
    void restartsParseAndRefuseWhatTheyDoNotTake() throws Exception {
        List<TraceLine.Step> steps = TraceParser.parse(SAMPLE).steps();
        assertEquals(new Command.LiveUpdate(false), steps.get(steps.size() - 3).command());
        assertEquals(new Command.LiveUpdate(true), steps.get(steps.size() - 2).command());
        assertEquals(new Command.Migrate(), steps.get(steps.size() - 1).command());
        assertEquals("A liveupdate force", TraceWriter.line(steps.get(steps.size() - 2).withoutExpect()));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nA liveupdate now\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nA migrate x\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn A dom0\nA tx T\nA@T liveupdate\n"));
    }

    @Test
    void hashInsideQuotesIsNotAComment() throws Exception {
        Trace t = TraceParser.parse("conn A dom0\nA write /x \"a#b\" # trailing\n");
        assertEquals(new Command.Send(new Request.Write("/x", Bytes.latin1("a#b"))), t.steps().get(0).command());
    }

    @Test
    void wireAndRingStepsRoundTrip() throws Exception {
        String text = """
                conn D dom0
                conn G domU 1
                G rawbytes "\\x02\\0\\0\\0\\x01\\0\\0\\0\\0\\0\\0\\0\\x05\\x10\\0\\0/a\\0"
                G rawbytes "\\x02\\0\\0" x300
                G ring req_prod +5000
                G ring rsp_cons -3
                G ring req_cons 4294967290
                """;
        Trace t = TraceParser.parse(text);
        assertEquals(t, TraceParser.parse(TraceWriter.write(t)));
        Command.WireBytes header = (Command.WireBytes) t.steps().get(0).command();
        assertEquals(19, header.wire().length);
        assertEquals(0x1005, header.bytes().byteAt(12) & 0xff | (header.bytes().byteAt(13) & 0xff) << 8);
        assertEquals(900, ((Command.WireBytes) t.steps().get(1).command()).wire().length);
        Command.RingWrite ahead = (Command.RingWrite) t.steps().get(2).command();
        assertEquals(5019, ahead.valueAfter(19));
        assertEquals(0xFFFF_FFFFL, ((Command.RingWrite) t.steps().get(3).command()).valueAfter(2));
        assertEquals(4294967290L, ((Command.RingWrite) t.steps().get(4).command()).valueAfter(7));
        assertEquals("G ring rsp_cons -3", TraceWriter.line(t.steps().get(3)));
    }

    @Test
    void wireAndRingStepsRejectWhatTheyCannotMean() {
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn G domU 1\nG rawbytes \"\"\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn G domU 1\nG rawbytes \"a\" 3\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn G domU 1\nG rawbytes \"a\" x0\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn G domU 1\nG ring req_head +1\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn G domU 1\nG ring req_prod 4294967296\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn G domU 1\nG ring req_prod many\n"));
        assertThrows(TraceSyntaxException.class, () -> TraceParser.parse("conn G domU 1\nG@T1 ring req_prod +1\n"));
    }

    /** A DIRECTORY_PART expectation is the payload as the reproducer writes it; the generation count is the daemon's own. */
    @Test
    void aDirectoryPartExpectationMatchesTheChunkWhateverTheGeneration() throws Exception {
        Expect e = TraceParser.parse("conn A dom0\nA directorypart /d 0 => \"1\\0a\\0\\0\"\n").steps().get(0).expect().orElseThrow();
        assertTrue(e.matches(new io.xscheck.protocol.Reply.DirectoryChunk("1", Bytes.latin1("a\0\0"))));
        assertTrue(e.matches(new io.xscheck.protocol.Reply.DirectoryChunk("12", Bytes.latin1("a\0\0"))));
        assertFalse(e.matches(new io.xscheck.protocol.Reply.DirectoryChunk("1", Bytes.latin1("a\0"))));
        assertFalse(new Expect.Text(Bytes.latin1("a")).matches(new io.xscheck.protocol.Reply.DirectoryChunk("1", Bytes.EMPTY)));
    }
}
