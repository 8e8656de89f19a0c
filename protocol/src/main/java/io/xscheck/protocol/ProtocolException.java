package io.xscheck.protocol;

/**
 * Malformed xs_wire input: says what is wrong and at which byte offset of the stream or payload
 * it was found. The only exception the codec and the frame decoder throw for bad input.
 */
public final class ProtocolException extends Exception {
    private final long offset;

    public ProtocolException(String message, long offset) {
        super(message + " (at byte " + offset + ")");
        this.offset = offset;
    }

    /** Byte offset of the problem in the stream (decoder) or in the payload (payload parsers). */
    public long offset() {
        return offset;
    }
}
