package io.xscheck.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and splits request and reply payloads made of NUL-terminated strings (ISO-8859-1, so
 * every byte survives).
 */
final class Payloads {
    private Payloads() {
    }

    /** Each string followed by one NUL. */
    static Bytes strings(String... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : parts) {
            out.writeBytes(part.getBytes(StandardCharsets.ISO_8859_1));
            out.write(0);
        }
        return Bytes.of(out.toByteArray());
    }

    /** WRITE: {@code path\0value}, the value unterminated (docs/misc/xenstore.txt "WRITE"). */
    static Bytes pathAndValue(String path, Bytes value) {
        byte[] p = path.getBytes(StandardCharsets.ISO_8859_1);
        byte[] out = new byte[p.length + 1 + value.length()];
        System.arraycopy(p, 0, out, 0, p.length);
        value.copyTo(out, p.length + 1);
        return Bytes.of(out);
    }

    static Bytes pathAndPerms(String path, List<Perm> perms) {
        String[] parts = new String[perms.size() + 1];
        parts[0] = path;
        for (int i = 0; i < perms.size(); i++) {
            parts[i + 1] = perms.get(i).toString();
        }
        return strings(parts);
    }

    /** Number of NUL bytes, which is what the C daemon's {@code xs_count_strings} counts. */
    static int countNuls(Bytes payload) {
        int n = 0;
        for (int i = 0; i < payload.length(); i++) {
            if (payload.byteAt(i) == 0) {
                n++;
            }
        }
        return n;
    }

    /**
     * The NUL-terminated strings of a payload that must end with a NUL; an empty payload is no
     * strings.
     *
     * @throws ProtocolException when bytes follow the last NUL
     */
    static List<String> terminatedStrings(Bytes payload, String what) throws ProtocolException {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < payload.length(); i++) {
            if (payload.byteAt(i) == 0) {
                out.add(latin1(payload, start, i));
                start = i + 1;
            }
        }
        if (start != payload.length()) {
            throw new ProtocolException(what + " payload " + payload.quoted()
                    + " does not end with a NUL", payload.length());
        }
        return out;
    }

    /**
     * The one string of a payload that must be exactly {@code text\0}.
     *
     * @throws ProtocolException otherwise
     */
    static String singleString(Bytes payload, String what) throws ProtocolException {
        List<String> parts = terminatedStrings(payload, what);
        if (parts.size() != 1) {
            throw new ProtocolException(what + " payload " + payload.quoted() + " holds " + parts.size()
                    + " NUL-terminated strings, expected exactly 1", 0);
        }
        return parts.get(0);
    }

    /** Index of the first NUL at or after {@code from}, or -1. */
    static int indexOfNul(Bytes payload, int from) {
        for (int i = from; i < payload.length(); i++) {
            if (payload.byteAt(i) == 0) {
                return i;
            }
        }
        return -1;
    }

    static String latin1(Bytes payload, int from, int to) {
        char[] chars = new char[to - from];
        for (int i = from; i < to; i++) {
            chars[i - from] = (char) (payload.byteAt(i) & 0xff);
        }
        return new String(chars);
    }

    static Bytes slice(Bytes payload, int from, int to) {
        byte[] out = new byte[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = payload.byteAt(i);
        }
        return Bytes.wrap(out);
    }
}
