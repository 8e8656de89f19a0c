package io.xscheck.protocol;

import java.util.HexFormat;

/** Hex literals for golden vectors: spaces and '|' (header/payload separator) are ignored. */
final class Hex {
    private Hex() {
    }

    static byte[] bytes(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", "").replace("|", ""));
    }

    static String of(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** The one frame the hex spells; fails when it is not exactly one frame. */
    static Frame frame(String hex) throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder();
        decoder.feed(bytes(hex));
        Frame frame = decoder.poll();
        if (frame == null || decoder.poll() != null || !decoder.atFrameBoundary()) {
            throw new AssertionError("hex is not exactly one frame: " + hex);
        }
        return frame;
    }
}
