package io.xscheck.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable byte string: node values, raw payloads. Equality is by content. Text on the wire
 * (paths, tokens) is converted with ISO-8859-1 so that every byte survives a round trip.
 */
public final class Bytes implements Comparable<Bytes> {
    public static final Bytes EMPTY = new Bytes(new byte[0]);

    private final byte[] data;

    private Bytes(byte[] data) {
        this.data = data;
    }

    public static Bytes of(byte[] data) {
        return data.length == 0 ? EMPTY : new Bytes(data.clone());
    }

    /** Takes ownership of {@code data} without copying; the caller must never touch it again. */
    static Bytes wrap(byte[] data) {
        return data.length == 0 ? EMPTY : new Bytes(data);
    }

    public static Bytes of(byte[] data, int from, int to) {
        return from == to ? EMPTY : new Bytes(Arrays.copyOfRange(data, from, to));
    }

    /** Each char becomes one byte (ISO-8859-1); chars above 0xFF are not representable. */
    public static Bytes latin1(String text) {
        return text.isEmpty() ? EMPTY : new Bytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public static Bytes utf8(String text) {
        return text.isEmpty() ? EMPTY : new Bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    public int length() {
        return data.length;
    }

    public byte byteAt(int i) {
        return data[i];
    }

    /** A fresh copy of the content. */
    public byte[] toArray() {
        return data.clone();
    }

    /** Copies the content into {@code target} at {@code offset}. */
    public void copyTo(byte[] target, int offset) {
        System.arraycopy(data, 0, target, offset, data.length);
    }

    public String toLatin1() {
        return new String(data, StandardCharsets.ISO_8859_1);
    }

    /** The content as a C-style quoted string: printable ASCII as is, others as escapes. */
    public String quoted() {
        StringBuilder out = new StringBuilder(data.length + 2).append('"');
        for (byte b : data) {
            int c = b & 0xff;
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case 0 -> out.append("\\0");
                default -> {
                    if (c >= 0x20 && c < 0x7f) {
                        out.append((char) c);
                    } else {
                        out.append(String.format("\\x%02x", c));
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(data, other.data);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(data);
    }

    @Override
    public int compareTo(Bytes o) {
        return Arrays.compareUnsigned(data, o.data);
    }

    @Override
    public String toString() {
        return quoted();
    }
}
