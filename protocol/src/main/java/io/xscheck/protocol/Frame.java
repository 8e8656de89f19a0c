package io.xscheck.protocol;

/**
 * One xs_wire message: the four header fields of {@code struct xsd_sockmsg} and the payload.
 * {@code type} is kept as the raw u32 (as a Java int) so that a server can see, and answer, a type
 * number xs_wire.h does not define; {@link Op#fromWire(int)} is for typed decoding.
 */
public record Frame(int type, int reqId, int txId, Bytes payload) {
    private static final int SHOWN = 64;

    public Frame {
        if (payload == null) {
            throw new IllegalArgumentException("payload is required (use Bytes.EMPTY)");
        }
    }

    /** A frame whose type is a known op. */
    public static Frame of(Op op, int reqId, int txId, Bytes payload) {
        return new Frame(op.wire(), reqId, txId, payload);
    }

    /** True when the header type is {@code op}'s wire number. */
    public boolean is(Op op) {
        return type == op.wire();
    }

    /** For messages: the header fields and at most the first 64 payload bytes, quoted. */
    @Override
    public String toString() {
        Bytes shown = payload.length() <= SHOWN ? payload : Payloads.slice(payload, 0, SHOWN);
        return Op.nameOf(type) + " req_id=" + Integer.toUnsignedString(reqId) + " tx_id="
                + Integer.toUnsignedString(txId) + " len=" + payload.length() + " " + shown.quoted()
                + (shown == payload ? "" : "...");
    }
}
