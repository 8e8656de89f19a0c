package io.xscheck.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Byte-exact frames for every op, written by hand from xs_wire.h (struct xsd_sockmsg: u32 type,
 * req_id, tx_id, len, little-endian; the enum's numbers) and the payload formats the 4.17 daemons
 * parse and send (docs/misc/xenstore.txt "Message formats"; xenstored_core.c send_reply, send_ack
 * = "OK\0", send_error = "ENAME\0", send_event = "path\0token\0"). Each literal is
 * "type req_id tx_id len | payload".
 */
class GoldenVectorsTest {

    static Stream<Arguments> requests() {
        return Stream.of(
                req(new Request.Control(List.of("print", "hello")), 42, 0,
                        "00000000 2a000000 00000000 0c000000 | 70 72 69 6e 74 00 68 65 6c 6c 6f 00"),
                req(new Request.Directory("/local"), 42, 0,
                        "01000000 2a000000 00000000 07000000 | 2f 6c 6f 63 61 6c 00"),
                req(new Request.Read("/a/b"), 42, 9,
                        "02000000 2a000000 09000000 05000000 | 2f 61 2f 62 00"),
                req(new Request.GetPerms("/a"), 42, 0,
                        "03000000 2a000000 00000000 03000000 | 2f 61 00"),
                req(new Request.Watch("/a", "tok"), 42, 0,
                        "04000000 2a000000 00000000 07000000 | 2f 61 00 74 6f 6b 00"),
                req(new Request.Unwatch("/a", "tok"), 42, 0,
                        "05000000 2a000000 00000000 07000000 | 2f 61 00 74 6f 6b 00"),
                req(new Request.TransactionStart(), 42, 0,
                        "06000000 2a000000 00000000 01000000 | 00"),
                req(new Request.TransactionEnd(true), 42, 3,
                        "07000000 2a000000 03000000 02000000 | 54 00"),
                req(new Request.TransactionEnd(false), 42, 3,
                        "07000000 2a000000 03000000 02000000 | 46 00"),
                req(new Request.Introduce(1, 1044476, 7), 42, 0,
                        "08000000 2a000000 00000000 0c000000 | 31 00 31 30 34 34 34 37 36 00 37 00"),
                req(new Request.Release(3), 42, 0,
                        "09000000 2a000000 00000000 02000000 | 33 00"),
                req(new Request.GetDomainPath(5), 42, 0,
                        "0a000000 2a000000 00000000 02000000 | 35 00"),
                req(new Request.Write("/a", Bytes.latin1("xy")), 42, 0,
                        "0b000000 2a000000 00000000 05000000 | 2f 61 00 78 79"),
                req(new Request.Write("/a", Bytes.latin1("x\0y")), 42, 0,
                        "0b000000 2a000000 00000000 06000000 | 2f 61 00 78 00 79"),
                req(new Request.Write("/a", Bytes.EMPTY), 42, 0,
                        "0b000000 2a000000 00000000 03000000 | 2f 61 00"),
                req(new Request.Mkdir("/d"), 42, 0,
                        "0c000000 2a000000 00000000 03000000 | 2f 64 00"),
                req(new Request.Rm("/d"), 42, 0,
                        "0d000000 2a000000 00000000 03000000 | 2f 64 00"),
                req(new Request.SetPerms("/a", List.of(Perm.none(0), Perm.read(5))), 42, 0,
                        "0e000000 2a000000 00000000 09000000 | 2f 61 00 6e 30 00 72 35 00"),
                req(new Request.IsDomainIntroduced(5), 42, 0,
                        "11000000 2a000000 00000000 02000000 | 35 00"),
                req(new Request.Resume(5), 42, 0,
                        "12000000 2a000000 00000000 02000000 | 35 00"),
                req(new Request.SetTarget(5, 6), 42, 0,
                        "13000000 2a000000 00000000 04000000 | 35 00 36 00"),
                req(new Request.ResetWatches(), 42, 0,
                        "15000000 2a000000 00000000 01000000 | 00"),
                req(new Request.DirectoryPart("/a", 0), 42, 0,
                        "16000000 2a000000 00000000 05000000 | 2f 61 00 30 00"),
                // Client-sent WATCH_EVENT / ERROR / INVALID have no typed form: the daemons answer ENOSYS.
                req(new Request.Raw(15, Payloads.strings("/a", "tok")), 42, 0,
                        "0f000000 2a000000 00000000 07000000 | 2f 61 00 74 6f 6b 00"),
                req(new Request.Raw(16, Payloads.strings("EINVAL")), 42, 0,
                        "10000000 2a000000 00000000 07000000 | 45 49 4e 56 41 4c 00"),
                req(new Request.Raw(0xffff, Bytes.EMPTY), 42, 0,
                        "ffff0000 2a000000 00000000 00000000"),
                // Header fields are u32: the high bit must survive.
                req(new Request.Read("/"), 0xfffffffe, 0x80000001,
                        "02000000 feffffff 01000080 02000000 | 2f 00"));
    }

    static Stream<Arguments> replies() {
        return Stream.of(
                rep(Op.CONTROL, new Reply.Text("hi"), 0, "00000000 2a000000 00000000 03000000 | 68 69 00"),
                rep(Op.DIRECTORY, new Reply.Names(List.of("a", "bc")), 0,
                        "01000000 2a000000 00000000 05000000 | 61 00 62 63 00"),
                rep(Op.DIRECTORY, new Reply.Names(List.of()), 0, "01000000 2a000000 00000000 00000000"),
                rep(Op.READ, new Reply.Value(Bytes.latin1("xy")), 9, "02000000 2a000000 09000000 02000000 | 78 79"),
                rep(Op.READ, new Reply.Value(Bytes.latin1("x\0y")), 0,
                        "02000000 2a000000 00000000 03000000 | 78 00 79"),
                rep(Op.READ, new Reply.Value(Bytes.EMPTY), 0, "02000000 2a000000 00000000 00000000"),
                rep(Op.GET_PERMS, new Reply.Perms(List.of(Perm.none(0), Perm.read(5))), 0,
                        "03000000 2a000000 00000000 06000000 | 6e 30 00 72 35 00"),
                rep(Op.WATCH, new Reply.Ok(), 0, "04000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.UNWATCH, new Reply.Ok(), 0, "05000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.TRANSACTION_START, new Reply.TransactionId(17), 0,
                        "06000000 2a000000 00000000 03000000 | 31 37 00"),
                rep(Op.TRANSACTION_END, new Reply.Ok(), 3, "07000000 2a000000 03000000 03000000 | 4f 4b 00"),
                rep(Op.INTRODUCE, new Reply.Ok(), 0, "08000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.RELEASE, new Reply.Ok(), 0, "09000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.GET_DOMAIN_PATH, new Reply.Text("/local/domain/5"), 0,
                        "0a000000 2a000000 00000000 10000000 | "
                                + "2f 6c 6f 63 61 6c 2f 64 6f 6d 61 69 6e 2f 35 00"),
                rep(Op.WRITE, new Reply.Ok(), 0, "0b000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.MKDIR, new Reply.Ok(), 0, "0c000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.RM, new Reply.Ok(), 0, "0d000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.SET_PERMS, new Reply.Ok(), 0, "0e000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.READ, new Reply.Error("ENOENT"), 0, "10000000 2a000000 00000000 07000000 | 45 4e 4f 45 4e 54 00"),
                rep(Op.WRITE, Reply.Error.of(XsError.EQUOTA), 0,
                        "10000000 2a000000 00000000 07000000 | 45 51 55 4f 54 41 00"),
                rep(Op.IS_DOMAIN_INTRODUCED, new Reply.Text("T"), 0, "11000000 2a000000 00000000 02000000 | 54 00"),
                rep(Op.RESUME, new Reply.Ok(), 0, "12000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.SET_TARGET, new Reply.Ok(), 0, "13000000 2a000000 00000000 03000000 | 4f 4b 00"),
                rep(Op.RESET_WATCHES, new Reply.Ok(), 0, "15000000 2a000000 00000000 03000000 | 4f 4b 00"),
                // generation "3", children a and b, then the extra NUL that says the list is complete.
                rep(Op.DIRECTORY_PART, new Reply.DirectoryChunk("3", Bytes.latin1("a\0b\0\0")), 0,
                        "16000000 2a000000 00000000 07000000 | 33 00 61 00 62 00 00"),
                // An unknown type answered ENOSYS (how every 4.17 daemon treats types it lacks).
                rep(Op.INVALID, Reply.Error.of(XsError.ENOSYS), 0,
                        "10000000 2a000000 00000000 07000000 | 45 4e 4f 53 59 53 00"));
    }

    private static Arguments req(Request request, int reqId, int txId, String hex) {
        return Arguments.of(request, reqId, txId, hex);
    }

    private static Arguments rep(Op op, Reply reply, int txId, String hex) {
        return Arguments.of(op, reply, txId, hex);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requestEncodesToGoldenBytes(Request request, int reqId, int txId, String hex) {
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(FrameCodec.encode(FrameCodec.request(reqId, txId, request))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void goldenBytesDecodeToRequest(Request request, int reqId, int txId, String hex) throws ProtocolException {
        Frame frame = Hex.frame(hex);
        assertEquals(request.type(), frame.type());
        assertEquals(reqId, frame.reqId());
        assertEquals(txId, frame.txId());
        assertEquals(request, RequestCodec.decode(frame));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("replies")
    void replyEncodesToGoldenBytes(Op op, Reply reply, int txId, String hex) {
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(FrameCodec.encode(ReplyCodec.encode(op, 42, txId, reply))));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("replies")
    void goldenBytesDecodeToReply(Op op, Reply reply, int txId, String hex) throws ProtocolException {
        Frame frame = Hex.frame(hex);
        assertEquals(42, frame.reqId());
        assertEquals(txId, frame.txId());
        assertEquals(reply, ReplyCodec.decode(op, frame));
    }

    @Test
    void controlOkDecodesAsText() throws ProtocolException {
        // xenstored_control.c answers most subcommands with send_ack: "OK\0" under type CONTROL.
        Frame frame = Hex.frame("00000000 2a000000 00000000 03000000 | 4f 4b 00");
        assertEquals(new Reply.Text("OK"), ReplyCodec.decode(Op.CONTROL, frame));
        assertEquals(frame, ReplyCodec.encode(Op.CONTROL, 42, 0, new Reply.Ok()));
    }

    @Test
    void watchEventGoldenBytes() throws ProtocolException {
        String hex = "0f000000 00000000 00000000 07000000 | 2f 61 00 74 6f 6b 00";
        assertEquals(Hex.of(Hex.bytes(hex)), Hex.of(FrameCodec.encode(WatchEvents.encode(new WatchEvent("/a", "tok")))));
        assertEquals(new WatchEvent("/a", "tok"), WatchEvents.decode(Hex.frame(hex)));
    }

    @Test
    void everyOpHasAGoldenRequestAndReply() {
        Set<Op> requested = requests().map(a -> ((Request) a.get()[0]).op()).collect(Collectors.toSet());
        assertEquals(EnumSet.allOf(Op.class), EnumSet.copyOf(requested));
        Set<Op> answered = replies().map(a -> (Op) a.get()[0]).collect(Collectors.toCollection(() -> EnumSet.noneOf(Op.class)));
        answered.add(Op.WATCH_EVENT); // watchEventGoldenBytes
        answered.add(Op.ERROR);       // the Error rows have type ERROR
        assertEquals(EnumSet.allOf(Op.class), answered);
    }
}
