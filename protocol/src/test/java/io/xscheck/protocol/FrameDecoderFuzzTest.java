package io.xscheck.protocol;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Random and mutated byte streams through the decoder and every payload codec: only
 * {@link ProtocolException} may escape, and the decoder never holds more than one frame's buffer
 * (16 + 4096 bytes), whatever length a header announces.
 */
class FrameDecoderFuzzTest {
    private static final int STREAMS = 100_000;
    private static final int MAX_BUFFER = FrameCodec.HEADER_SIZE + FrameCodec.PAYLOAD_MAX;
    private static final Op[] OPS = Op.values();

    @Test
    void onlyProtocolExceptionEscapesAndBuffersStayWithinOneFrame() {
        SplittableRandom random = new SplittableRandom(20261121L);
        long frames = 0;
        long rejected = 0;
        long oversized = 0;
        long started = System.nanoTime();
        for (int i = 0; i < STREAMS; i++) {
            byte[] stream = switch (random.nextInt(4)) {
                case 0 -> randomBytes(random);
                case 1 -> mutate(random, validFrames(random));
                case 2 -> hostileHeader(random);
                default -> validFrames(random);
            };
            FrameDecoder decoder = new FrameDecoder();
            int pos = 0;
            try {
                while (pos < stream.length) {
                    int n = Math.min(stream.length - pos, 1 + random.nextInt(random.nextBoolean() ? 8 : 600));
                    try {
                        decoder.feed(stream, pos, n);
                    } finally {
                        assertTrue(decoder.bufferCapacity() <= MAX_BUFFER,
                                "decoder holds " + decoder.bufferCapacity() + " bytes");
                    }
                    pos += n;
                    frames += decodePayloads(random, decoder);
                }
            } catch (ProtocolException e) {
                rejected++;
                if (e.getMessage().contains("XENSTORE_PAYLOAD_MAX")) {
                    oversized++;
                }
                frames += decodePayloads(random, decoder);
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.printf("fuzz: %d streams, %d frames decoded, %d streams rejected (%d oversized) in %.2f s%n",
                STREAMS, frames, rejected, oversized, seconds);
        assertTrue(frames > STREAMS / 2, "too few frames reached the payload codecs: " + frames);
        assertTrue(oversized > STREAMS / 10, "too few oversized headers were exercised: " + oversized);
    }

    /** Runs every payload codec on each complete frame; they may only throw ProtocolException. */
    private static int decodePayloads(SplittableRandom random, FrameDecoder decoder) {
        int n = 0;
        for (Frame frame = decoder.poll(); frame != null; frame = decoder.poll()) {
            n++;
            Request request = RequestCodec.decode(frame);
            if (!(request instanceof Request.Raw)) {
                assertTrue(request.payload().equals(frame.payload()), "typed request changed bytes: " + frame);
            }
            try {
                ReplyCodec.decode(OPS[random.nextInt(OPS.length)], frame);
            } catch (ProtocolException expected) {
                // malformed for that op: fine
            }
            try {
                Op own = Op.fromWire(frame.type());
                ReplyCodec.decode(own, frame);
            } catch (ProtocolException expected) {
                // unknown type or malformed payload: fine
            }
            try {
                WatchEvents.decode(frame);
            } catch (ProtocolException expected) {
                // not an event: fine
            }
        }
        return n;
    }

    private static byte[] randomBytes(SplittableRandom random) {
        byte[] b = new byte[random.nextInt(80)];
        random.nextBytes(b);
        return b;
    }

    /** One to three frames with a plausible type and a payload built from wire-like pieces. */
    private static byte[] validFrames(SplittableRandom random) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = 1 + random.nextInt(3);
        for (int i = 0; i < count; i++) {
            int type = random.nextInt(10) == 0 ? random.nextInt() : OPS[random.nextInt(OPS.length)].wire();
            out.writeBytes(FrameCodec.encode(new Frame(type, random.nextInt(), random.nextInt(5), payload(random))));
        }
        return out.toByteArray();
    }

    private static Bytes payload(SplittableRandom random) {
        String[] pieces = {"/", "/a", "/local/domain/5", "OK", "T", "F", "ENOENT", "n0", "r5", "b7", "x1", "0",
            "007", "17", "-1", "4294967296", "@introduceDomain", "tok", "", "\u00ff"};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (random.nextInt(20) == 0) {
            byte[] big = new byte[random.nextInt(FrameCodec.PAYLOAD_MAX + 1)];
            random.nextBytes(big);
            return Bytes.of(big);
        }
        int parts = random.nextInt(5);
        for (int i = 0; i < parts; i++) {
            out.writeBytes(Bytes.latin1(pieces[random.nextInt(pieces.length)]).toArray());
            if (random.nextInt(8) != 0) {
                out.write(0);
            }
        }
        return Bytes.of(out.toByteArray());
    }

    /** A header whose length field is beyond the limit, sometimes far beyond, then a few bytes. */
    private static byte[] hostileHeader(SplittableRandom random) {
        int len = switch (random.nextInt(3)) {
            case 0 -> 0xFFFFFFFF;
            case 1 -> FrameCodec.PAYLOAD_MAX + 1 + random.nextInt(1000);
            default -> random.nextInt(Integer.MAX_VALUE - FrameCodec.PAYLOAD_MAX) + FrameCodec.PAYLOAD_MAX + 1;
        };
        byte[] out = new byte[FrameCodec.HEADER_SIZE + random.nextInt(32)];
        FrameCodec.putHeader(out, 0, random.nextInt(), random.nextInt(), random.nextInt(), len);
        return out;
    }

    /** Flips, overwrites, truncates or splices bytes of a valid stream. */
    private static byte[] mutate(SplittableRandom random, byte[] stream) {
        byte[] b = stream.clone();
        int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits && b.length > 0; e++) {
            int at = random.nextInt(b.length);
            switch (random.nextInt(4)) {
                case 0 -> b[at] ^= (byte) (1 << random.nextInt(8));
                case 1 -> b[at] = (byte) random.nextInt(256);
                case 2 -> b = java.util.Arrays.copyOf(b, at);
                default -> b[at] = 0;
            }
        }
        return b;
    }
}
