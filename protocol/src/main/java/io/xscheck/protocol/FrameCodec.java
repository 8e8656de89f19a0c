package io.xscheck.protocol;

/**
 * The xs_wire header ({@code struct xsd_sockmsg}: u32 type, req_id, tx_id, len, little-endian as on
 * every platform Xen runs the daemons on) and whole-frame encoding.
 */
public final class FrameCodec {
    /** Size of {@code struct xsd_sockmsg}. */
    public static final int HEADER_SIZE = 16;
    /** XENSTORE_PAYLOAD_MAX of xs_wire.h: the largest payload any daemon accepts or sends. */
    public static final int PAYLOAD_MAX = 4096;

    private FrameCodec() {
    }

    /**
     * The frame's bytes: header then payload.
     *
     * @throws IllegalArgumentException when the payload exceeds {@link #PAYLOAD_MAX}
     */
    public static byte[] encode(Frame frame) {
        if (frame.payload().length() > PAYLOAD_MAX) {
            throw new IllegalArgumentException("payload of " + frame.payload().length()
                    + " bytes exceeds XENSTORE_PAYLOAD_MAX " + PAYLOAD_MAX + ": " + frame);
        }
        return encodeAnyLength(frame);
    }

    /**
     * Like {@link #encode(Frame)} but without the size check: for probing how a daemon treats an
     * oversized frame. Never use it for ordinary traffic.
     */
    public static byte[] encodeAnyLength(Frame frame) {
        byte[] out = new byte[HEADER_SIZE + frame.payload().length()];
        putHeader(out, 0, frame.type(), frame.reqId(), frame.txId(), frame.payload().length());
        frame.payload().copyTo(out, HEADER_SIZE);
        return out;
    }

    /** The frame a client sends for {@code request}. */
    public static Frame request(int reqId, int txId, Request request) {
        return new Frame(request.type(), reqId, txId, request.payload());
    }

    /** Writes the 16-byte header at {@code offset}. */
    public static void putHeader(byte[] out, int offset, int type, int reqId, int txId, int len) {
        putU32(out, offset, type);
        putU32(out, offset + 4, reqId);
        putU32(out, offset + 8, txId);
        putU32(out, offset + 12, len);
    }

    /** Reads a little-endian u32 (as a Java int; use {@code Integer.toUnsignedLong} to widen). */
    public static int getU32(byte[] in, int offset) {
        return (in[offset] & 0xff)
                | (in[offset + 1] & 0xff) << 8
                | (in[offset + 2] & 0xff) << 16
                | (in[offset + 3] & 0xff) << 24;
    }

    private static void putU32(byte[] out, int offset, int value) {
        out[offset] = (byte) value;
        out[offset + 1] = (byte) (value >>> 8);
        out[offset + 2] = (byte) (value >>> 16);
        out[offset + 3] = (byte) (value >>> 24);
    }
}
