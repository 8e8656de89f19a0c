package io.xscheck.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** encode then decode gives back the same value, for every request and reply type. */
class RoundTripTest {
    private static final String ODD = "/x\u00ff\u0001 y";

    static Stream<Request> requests() {
        return Stream.of(
                new Request.Read("/a"), new Request.Read(""), new Request.Read(ODD),
                new Request.Write("/a", Bytes.EMPTY), new Request.Write("/a", Bytes.latin1("\0\0v\0")),
                new Request.Write("", Bytes.latin1("x")),
                new Request.Mkdir("/m"), new Request.Rm("/m"), new Request.Directory("/"),
                new Request.DirectoryPart("/d", 0), new Request.DirectoryPart("/d", 4093),
                new Request.GetPerms("@releaseDomain"),
                new Request.SetPerms("/p", List.of(Perm.both(0))),
                new Request.SetPerms("/p", List.of(Perm.none(5), Perm.read(0), Perm.write(7), Perm.both(65535))),
                new Request.Watch("/w", "t"), new Request.Watch("@introduceDomain", ""), new Request.Unwatch("/w", "t"),
                new Request.TransactionStart(), new Request.TransactionEnd(true), new Request.TransactionEnd(false),
                new Request.Introduce(0, 0, 1), new Request.Introduce(32767, 1L << 40, 65535),
                new Request.Release(1), new Request.GetDomainPath(0), new Request.IsDomainIntroduced(32753),
                new Request.Resume(2), new Request.SetTarget(3, 4), new Request.ResetWatches(),
                new Request.Control(List.of("log")), new Request.Control(List.of("memreport", "")),
                new Request.Raw(20, Bytes.latin1("x\0")), new Request.Raw(0xffff, Bytes.EMPTY),
                new Request.Raw(Op.READ.wire(), Bytes.latin1("/a")));
    }

    static Stream<Object[]> replies() {
        return Stream.of(
                new Object[] {Op.READ, new Reply.Value(Bytes.latin1("\0\u00ff"))},
                new Object[] {Op.READ, new Reply.Value(Bytes.EMPTY)},
                new Object[] {Op.DIRECTORY, new Reply.Names(List.of())},
                new Object[] {Op.DIRECTORY, new Reply.Names(List.of("a", "b", ODD))},
                new Object[] {Op.DIRECTORY_PART, new Reply.DirectoryChunk("12", Bytes.latin1("\0"))},
                new Object[] {Op.DIRECTORY_PART, new Reply.DirectoryChunk("0", Bytes.latin1("a\0b\0"))},
                new Object[] {Op.GET_PERMS, new Reply.Perms(List.of(Perm.none(0)))},
                new Object[] {Op.GET_PERMS, new Reply.Perms(List.of(Perm.write(1), Perm.read(2), Perm.both(3)))},
                new Object[] {Op.TRANSACTION_START, new Reply.TransactionId(1)},
                new Object[] {Op.TRANSACTION_START, new Reply.TransactionId(0xFFFFFFFFL)},
                new Object[] {Op.GET_DOMAIN_PATH, new Reply.Text("/local/domain/0")},
                new Object[] {Op.IS_DOMAIN_INTRODUCED, new Reply.Text("F")},
                new Object[] {Op.CONTROL, new Reply.Text("line 1\nline 2")},
                new Object[] {Op.WRITE, new Reply.Ok()},
                new Object[] {Op.RESET_WATCHES, new Reply.Ok()},
                new Object[] {Op.RM, new Reply.Error("EACCES")},
                new Object[] {Op.DIRECTORY_PART, new Reply.Error("ENOSYS")},
                new Object[] {Op.READ, new Reply.Error("EWHATEVER")});
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("requests")
    void requestRoundTrips(Request request) throws ProtocolException {
        byte[] bytes = FrameCodec.encode(FrameCodec.request(77, 5, request));
        Frame frame = Hex.frame(Hex.of(bytes));
        assertEquals(77, frame.reqId());
        assertEquals(5, frame.txId());
        assertEquals(request, RequestCodec.decode(frame));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("replies")
    void replyRoundTrips(Op op, Reply reply) throws ProtocolException {
        Frame frame = Hex.frame(Hex.of(FrameCodec.encode(ReplyCodec.encode(op, 9, 0, reply))));
        assertEquals(reply, ReplyCodec.decode(op, frame));
    }

    @Test
    void watchEventsRoundTrip() throws ProtocolException {
        for (WatchEvent event : List.of(new WatchEvent("/a", "t"), new WatchEvent("rel/path", ""),
                new WatchEvent("@releaseDomain", ODD))) {
            assertEquals(event, WatchEvents.decode(Hex.frame(Hex.of(FrameCodec.encode(WatchEvents.encode(event))))));
        }
    }

    @Test
    void randomRequestsRoundTrip() throws ProtocolException {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 5000; i++) {
            Request request = randomRequest(random);
            Frame frame = FrameCodec.request(random.nextInt(), random.nextInt(), request);
            FrameDecoder decoder = new FrameDecoder();
            decoder.feed(FrameCodec.encode(frame));
            Frame back = decoder.poll();
            assertEquals(frame, back);
            assertEquals(request, RequestCodec.decode(back), () -> "payload " + frame.payload());
        }
    }

    private static Request randomRequest(SplittableRandom random) {
        String path = randomText(random);
        int domid = random.nextInt(Integer.MAX_VALUE);
        return switch (random.nextInt(14)) {
            case 0 -> new Request.Read(path);
            case 1 -> {
                byte[] value = new byte[random.nextInt(100)];
                random.nextBytes(value);
                yield new Request.Write(path, Bytes.of(value));
            }
            case 2 -> new Request.Mkdir(path);
            case 3 -> new Request.Rm(path);
            case 4 -> new Request.Directory(path);
            case 5 -> new Request.DirectoryPart(path, random.nextInt(Integer.MAX_VALUE));
            case 6 -> {
                List<Perm> perms = new ArrayList<>();
                int n = 1 + random.nextInt(5);
                for (int k = 0; k < n; k++) {
                    perms.add(new Perm(Perm.Access.values()[random.nextInt(4)], random.nextInt(70000)));
                }
                yield new Request.SetPerms(path, perms);
            }
            case 7 -> new Request.Watch(path, randomText(random));
            case 8 -> new Request.Unwatch(path, randomText(random));
            case 9 -> new Request.Introduce(domid, random.nextLong(Long.MAX_VALUE), random.nextInt(Integer.MAX_VALUE));
            case 10 -> new Request.SetTarget(domid, random.nextInt(Integer.MAX_VALUE));
            case 11 -> new Request.IsDomainIntroduced(domid);
            case 12 -> new Request.Control(List.of(randomText(random) + "c", randomText(random)));
            default -> new Request.TransactionEnd(random.nextBoolean());
        };
    }

    /** Any bytes but NUL, as ISO-8859-1 text. */
    private static String randomText(SplittableRandom random) {
        char[] chars = new char[random.nextInt(30)];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (1 + random.nextInt(255));
        }
        return new String(chars);
    }
}
