package io.xscheck.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Replies no 4.17 daemon sends are rejected with a ProtocolException that says why. */
class ReplyCodecTest {

    @ParameterizedTest(name = "{0} {1}: {2}")
    @CsvSource(delimiter = ';', value = {
        "WRITE; WRITE; 4f 4b; OK without NUL",
        "WRITE; WRITE; 6f 6b 00; lower-case ok",
        "MKDIR; MKDIR; ''; empty instead of OK",
        "READ; DIRECTORY; 61 00; type of another op",
        "READ; WATCH_EVENT; 61 00 62 00; an event is not a reply",
        "DIRECTORY; DIRECTORY; 61 00 62; last name unterminated",
        "DIRECTORY_PART; DIRECTORY_PART; 33; no NUL after the generation",
        "GET_PERMS; GET_PERMS; ''; no owner entry",
        "GET_PERMS; GET_PERMS; 7a 30 00; unknown letter",
        "GET_PERMS; GET_PERMS; 72 35; unterminated",
        "TRANSACTION_START; TRANSACTION_START; 31 37; unterminated id",
        "TRANSACTION_START; TRANSACTION_START; 78 00; not a number",
        "TRANSACTION_START; TRANSACTION_START; 34 32 39 34 39 36 37 32 39 36 00; beyond u32",
        "GET_DOMAIN_PATH; GET_DOMAIN_PATH; 2f 61; unterminated",
        "IS_DOMAIN_INTRODUCED; IS_DOMAIN_INTRODUCED; 54 00 46 00; two strings",
        "READ; ERROR; 45 4e 4f 45 4e 54; error name unterminated",
        "READ; ERROR; 45 00 46 00; two error names",
        "INVALID; INVALID; 4f 4b 00; success for a type with no success",
    })
    void malformedRepliesAreRejected(String requestOp, String replyType, String hex, String why) {
        Frame frame = Frame.of(Op.valueOf(replyType), 3, 0, Bytes.of(Hex.bytes(hex.replace("''", ""))));
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> ReplyCodec.decode(Op.valueOf(requestOp), frame), why);
        assertTrue(e.getMessage().length() > 20, e.getMessage());
    }

    @Test
    void typeMismatchNamesBothTypes() {
        Frame frame = Frame.of(Op.DIRECTORY, 3, 0, Bytes.EMPTY);
        ProtocolException e = assertThrows(ProtocolException.class, () -> ReplyCodec.decode(Op.READ, frame));
        assertTrue(e.getMessage().contains("DIRECTORY") && e.getMessage().contains("READ"), e.getMessage());
        Frame unknown = new Frame(99, 3, 0, Bytes.EMPTY);
        e = assertThrows(ProtocolException.class, () -> ReplyCodec.decode(Op.READ, unknown));
        assertTrue(e.getMessage().contains("99"), e.getMessage());
    }

    @Test
    void errorsKeepUnknownNames() throws ProtocolException {
        Reply reply = ReplyCodec.decode(Op.WRITE, Frame.of(Op.ERROR, 1, 0, Payloads.strings("EQUOTA")));
        assertEquals(Optional.of(XsError.EQUOTA), ((Reply.Error) reply).known());
        reply = ReplyCodec.decode(Op.WRITE, Frame.of(Op.ERROR, 1, 0, Payloads.strings("EFOO")));
        assertEquals(new Reply.Error("EFOO"), reply);
        assertEquals(Optional.empty(), ((Reply.Error) reply).known());
    }

    @Test
    void permsErrorPointsAtTheBadEntry() {
        Frame frame = Frame.of(Op.GET_PERMS, 1, 0, Payloads.strings("n0", "r5", "q7"));
        ProtocolException e = assertThrows(ProtocolException.class, () -> ReplyCodec.decode(Op.GET_PERMS, frame));
        assertEquals(6, e.offset(), e.getMessage());
    }

    @Test
    void encodeRefusesAReplyKindTheOpNeverSends() {
        assertThrows(IllegalArgumentException.class,
                () -> ReplyCodec.encode(Op.READ, 1, 0, new Reply.Names(List.of("a"))));
        assertThrows(IllegalArgumentException.class, () -> ReplyCodec.encode(Op.WRITE, 1, 0, new Reply.Text("OK")));
        assertThrows(IllegalArgumentException.class, () -> ReplyCodec.encode(Op.WATCH_EVENT, 1, 0, new Reply.Ok()));
        assertEquals(Op.ERROR.wire(), ReplyCodec.encode(Op.READ, 1, 0, new Reply.Error("ENOENT")).type());
    }

    @Test
    void watchEventDecodingIsStrict() {
        assertThrows(ProtocolException.class,
                () -> WatchEvents.decode(Frame.of(Op.WATCH_EVENT, 0, 0, Payloads.strings("/a"))));
        assertThrows(ProtocolException.class,
                () -> WatchEvents.decode(Frame.of(Op.WATCH_EVENT, 0, 0, Bytes.latin1("/a\0t"))));
        assertThrows(ProtocolException.class,
                () -> WatchEvents.decode(Frame.of(Op.READ, 0, 0, Payloads.strings("/a", "t"))));
    }

    /** A daemon newer than this codec (Xen 4.21's XS_GET_FEATURE, 23) answers a raw request under its own type. */
    @Test
    void aTypeThisCodecDoesNotKnowAnsweredUnderItsOwnTypeKeepsItsPayload() throws ProtocolException {
        Frame answer = new Frame(23, 5, 0, Bytes.latin1("2\0"));
        assertEquals(new Reply.Value(Bytes.latin1("2\0")), ReplyCodec.decode(Op.INVALID, 23, answer));
        assertThrows(ProtocolException.class, () -> ReplyCodec.decode(Op.INVALID, 24, answer));
    }
}
