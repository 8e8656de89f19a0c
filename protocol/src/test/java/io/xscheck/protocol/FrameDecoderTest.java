package io.xscheck.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FrameDecoderTest {
    private static final int MAX_BUFFER = FrameCodec.HEADER_SIZE + FrameCodec.PAYLOAD_MAX;

    @Test
    void decodesFramesFedInRandomFragmentSizes() throws ProtocolException {
        SplittableRandom random = new SplittableRandom(0x5eed);
        for (int round = 0; round < 200; round++) {
            List<Frame> sent = new ArrayList<>();
            ByteArrayOutputStream stream = new ByteArrayOutputStream();
            int count = 1 + random.nextInt(20);
            for (int i = 0; i < count; i++) {
                byte[] payload = new byte[random.nextInt(4) == 0 ? random.nextInt(FrameCodec.PAYLOAD_MAX + 1)
                        : random.nextInt(40)];
                random.nextBytes(payload);
                Frame frame = new Frame(random.nextInt(), random.nextInt(), random.nextInt(), Bytes.of(payload));
                sent.add(frame);
                stream.writeBytes(FrameCodec.encode(frame));
            }
            byte[] bytes = stream.toByteArray();
            FrameDecoder decoder = new FrameDecoder();
            List<Frame> got = new ArrayList<>();
            int pos = 0;
            while (pos < bytes.length) {
                int n = Math.min(bytes.length - pos, random.nextInt(3) == 0 ? 1 : 1 + random.nextInt(300));
                decoder.feed(bytes, pos, n);
                pos += n;
                assertTrue(decoder.bufferCapacity() <= MAX_BUFFER);
                for (Frame f = decoder.poll(); f != null; f = decoder.poll()) {
                    got.add(f);
                }
            }
            assertEquals(sent, got);
            assertTrue(decoder.atFrameBoundary());
            assertEquals(bytes.length, decoder.streamOffset());
        }
    }

    @Test
    void acceptsAnyTypeNumberAtFrameLevel() throws ProtocolException {
        // Unknown types must reach a server intact so it can answer ENOSYS.
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(Hex.bytes("14000000 01000000 00000000 00000000"));
        decoder.feed(Hex.bytes("ffffffff 02000000 00000000 00000000"));
        assertEquals(20, decoder.poll().type());
        assertEquals(-1, decoder.poll().type());
    }

    @Test
    void payloadOfExactlyTheLimitIsAccepted() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(Hex.bytes("02000000 01000000 00000000 00100000"));
        decoder.feed(new byte[4096]);
        assertEquals(4096, decoder.poll().payload().length());
    }

    @Test
    void oversizedLengthFailsAtTheHeaderWithItsOffset() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(Hex.bytes("01000000 07000000 00000000 00000000")); // an empty frame: bytes 0-15
        ProtocolException e = assertThrows(ProtocolException.class,
                () -> decoder.feed(Hex.bytes("02000000 08000000 00000000 01100000 414243"))); // len 4097
        assertEquals(16 + 12, e.offset(), e.getMessage());
        assertTrue(e.getMessage().contains("4097"), e.getMessage());
        assertTrue(e.getMessage().contains("XENSTORE_PAYLOAD_MAX"), e.getMessage());
        assertTrue(e.getMessage().contains("at byte 28"), e.getMessage());
        assertEquals(7, decoder.poll().reqId(), "the good frame before the bad header is kept");
        assertEquals(FrameCodec.HEADER_SIZE, decoder.bufferCapacity());
        // The stream cannot be resynchronised: later input gets the same error.
        ProtocolException again = assertThrows(ProtocolException.class, () -> decoder.feed(new byte[1]));
        assertEquals(e.getMessage(), again.getMessage());
    }

    @Test
    void framesBeforeABadHeaderInTheSameFeedAreKept() {
        FrameDecoder decoder = new FrameDecoder();
        byte[] bytes = Hex.bytes("02000000 05000000 00000000 02000000 | 2f 00"
                + "02000000 06000000 00000000 ffffffff");
        assertThrows(ProtocolException.class, () -> decoder.feed(bytes));
        assertEquals(5, decoder.poll().reqId());
        assertNull(decoder.poll());
    }

    @Test
    void hugeAnnouncedLengthAllocatesNothing() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assertTrue(threads.isThreadAllocatedMemorySupported(), "this JVM cannot count allocations");
        byte[] header = Hex.bytes("02000000 01000000 00000000 ffffffff");
        FrameDecoder decoder = new FrameDecoder();
        long before = threads.getCurrentThreadAllocatedBytes();
        ProtocolException e = assertThrows(ProtocolException.class, () -> decoder.feed(header));
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertTrue(e.getMessage().contains("4294967295"), e.getMessage());
        assertEquals(FrameCodec.HEADER_SIZE, decoder.bufferCapacity());
        assertEquals(FrameCodec.HEADER_SIZE, decoder.bufferedBytes());
        // Only the exception and its message: far below even one 4096-byte payload buffer.
        assertTrue(allocated < 64 * 1024, "allocated " + allocated + " bytes");
    }

    @Test
    void feedsFromHeapAndDirectBuffers() throws ProtocolException {
        byte[] two = Hex.bytes("0b000000 01000000 00000000 05000000 | 2f 61 00 78 79"
                + "0f000000 00000000 00000000 07000000 | 2f 61 00 74 6f 6b 00");
        FrameDecoder decoder = new FrameDecoder();
        ByteBuffer heap = ByteBuffer.wrap(two, 0, 10);
        decoder.feed(heap);
        assertEquals(10, heap.position());
        ByteBuffer direct = ByteBuffer.allocateDirect(two.length - 10);
        direct.put(two, 10, two.length - 10).flip();
        decoder.feed(direct);
        assertEquals(0, direct.remaining());
        assertEquals(Op.WRITE.wire(), decoder.poll().type());
        assertEquals(Op.WATCH_EVENT.wire(), decoder.poll().type());
        assertNull(decoder.poll());
    }

    @Test
    void reportsAnIncompleteFrame() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(Hex.bytes("02000000 01000000 00000000 05000000 | 2f 61"));
        assertNull(decoder.poll());
        assertEquals(18, decoder.bufferedBytes());
        assertEquals(FrameCodec.HEADER_SIZE + 5, decoder.bufferCapacity());
        assertTrue(!decoder.atFrameBoundary());
    }

    @Test
    void encoderRejectsOversizedPayload() {
        Frame big = new Frame(Op.WRITE.wire(), 1, 0, Bytes.of(new byte[4097]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FrameCodec.encode(big));
        assertTrue(e.getMessage().contains("4097"), e.getMessage());
        assertEquals(16 + 4097, FrameCodec.encodeAnyLength(big).length);
    }
}
