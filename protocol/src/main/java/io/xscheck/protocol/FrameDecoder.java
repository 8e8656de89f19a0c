package io.xscheck.protocol;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * Cuts a byte stream into frames. Bytes may arrive in fragments of any size: {@link #feed} them,
 * then take complete frames with {@link #poll()}. The announced payload length is checked against
 * XENSTORE_PAYLOAD_MAX as soon as the header is complete, before the payload buffer is allocated,
 * so a hostile header costs nothing. After a {@link ProtocolException} the stream cannot be
 * resynchronised: every later {@link #feed} throws the same exception.
 *
 * <p>Not thread-safe; one decoder per stream.
 */
public final class FrameDecoder {
    private final byte[] header = new byte[FrameCodec.HEADER_SIZE];
    private final ArrayDeque<Frame> ready = new ArrayDeque<>();
    private int headerFill;
    private byte[] payload;
    private int payloadFill;
    private long streamOffset;
    private long frameStart;
    private ProtocolException failure;

    /** Feeds all of {@code bytes}. */
    public void feed(byte[] bytes) throws ProtocolException {
        feed(bytes, 0, bytes.length);
    }

    /**
     * Feeds {@code length} bytes of {@code bytes} from {@code offset}. Frames completed before a
     * malformed header stay available to {@link #poll()}.
     */
    public void feed(byte[] bytes, int offset, int length) throws ProtocolException {
        if (offset < 0 || length < 0 || offset + length > bytes.length || offset + length < 0) {
            throw new IndexOutOfBoundsException("offset " + offset + " length " + length
                    + " outside an array of " + bytes.length);
        }
        if (failure != null) {
            throw failure;
        }
        int pos = offset;
        int end = offset + length;
        while (pos < end) {
            if (payload == null) {
                int n = Math.min(FrameCodec.HEADER_SIZE - headerFill, end - pos);
                System.arraycopy(bytes, pos, header, headerFill, n);
                headerFill += n;
                pos += n;
                streamOffset += n;
                if (headerFill == FrameCodec.HEADER_SIZE) {
                    startPayload();
                }
            } else {
                int n = Math.min(payload.length - payloadFill, end - pos);
                System.arraycopy(bytes, pos, payload, payloadFill, n);
                payloadFill += n;
                pos += n;
                streamOffset += n;
                if (payloadFill == payload.length) {
                    finishFrame();
                }
            }
        }
    }

    /** Feeds the remaining bytes of {@code buffer}, advancing its position. */
    public void feed(ByteBuffer buffer) throws ProtocolException {
        if (buffer.hasArray()) {
            int n = buffer.remaining();
            int start = buffer.arrayOffset() + buffer.position();
            buffer.position(buffer.limit());
            feed(buffer.array(), start, n);
            return;
        }
        byte[] chunk = new byte[Math.min(buffer.remaining(), FrameCodec.HEADER_SIZE + FrameCodec.PAYLOAD_MAX)];
        while (buffer.hasRemaining()) {
            int n = Math.min(chunk.length, buffer.remaining());
            buffer.get(chunk, 0, n);
            feed(chunk, 0, n);
        }
    }

    /** The next complete frame, or null when none is complete yet. */
    public Frame poll() {
        return ready.poll();
    }

    /** Number of complete frames waiting to be polled. */
    public int readyCount() {
        return ready.size();
    }

    /** Bytes of the current, incomplete frame held so far (header and payload). */
    public int bufferedBytes() {
        return headerFill + payloadFill;
    }

    /**
     * Bytes of buffer the decoder holds for the frame in progress: the header plus the payload
     * array if one is allocated. Never more than 16 + XENSTORE_PAYLOAD_MAX.
     */
    public int bufferCapacity() {
        return header.length + (payload == null ? 0 : payload.length);
    }

    /** Total bytes accepted from the stream so far. */
    public long streamOffset() {
        return streamOffset;
    }

    /** True when no bytes of an incomplete frame are held: the stream ended on a frame boundary. */
    public boolean atFrameBoundary() {
        return headerFill == 0 && payload == null;
    }

    private void startPayload() throws ProtocolException {
        long len = Integer.toUnsignedLong(FrameCodec.getU32(header, 12));
        if (len > FrameCodec.PAYLOAD_MAX) {
            failure = new ProtocolException("frame header at byte " + frameStart + " (type "
                    + Integer.toUnsignedString(FrameCodec.getU32(header, 0)) + ", req_id "
                    + Integer.toUnsignedString(FrameCodec.getU32(header, 4)) + ") announces a payload of "
                    + len + " bytes, more than XENSTORE_PAYLOAD_MAX " + FrameCodec.PAYLOAD_MAX,
                    frameStart + 12);
            throw failure;
        }
        payload = new byte[(int) len];
        payloadFill = 0;
        if (len == 0) {
            finishFrame();
        }
    }

    private void finishFrame() {
        ready.add(new Frame(FrameCodec.getU32(header, 0), FrameCodec.getU32(header, 4),
                FrameCodec.getU32(header, 8), payload.length == 0 ? Bytes.EMPTY : Bytes.wrap(payload)));
        payload = null;
        payloadFill = 0;
        headerFill = 0;
        frameStart = streamOffset;
    }
}
