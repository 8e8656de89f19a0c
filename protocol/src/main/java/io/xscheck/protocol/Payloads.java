package io.xscheck.protocol;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** Builds request and reply payloads from NUL-terminated strings (ISO-8859-1, byte-preserving). */
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
}
