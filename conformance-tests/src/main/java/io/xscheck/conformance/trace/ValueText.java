package io.xscheck.conformance.trace;

import io.xscheck.protocol.Bytes;

import java.io.ByteArrayOutputStream;
import java.util.regex.Pattern;

/**
 * Values and words as a trace writes them: a bare word when that is unambiguous, otherwise a
 * double-quoted string with C escapes ({@code \n \\ \" \0 \xHH}).
 */
public final class ValueText {
    /** Characters a bare word may always hold; anything else is quoted when written. */
    private static final Pattern SAFE_BARE = Pattern.compile("[A-Za-z0-9/_@.:~+\\-]+");

    private ValueText() {
    }

    /** The word as the writer prints it: bare when safe, quoted otherwise. */
    public static String word(Bytes b) {
        String s = b.toLatin1();
        if (SAFE_BARE.matcher(s).matches() && !s.equals("=>")) {
            return s;
        }
        return b.quoted();
    }

    public static String word(String latin1) {
        return word(Bytes.latin1(latin1));
    }

    /**
     * Decodes a quoted string starting at {@code text.charAt(start) == '"'}.
     *
     * @return the bytes and the index just past the closing quote
     */
    static Decoded decodeQuoted(String text, int start, int lineNo) throws TraceSyntaxException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = start + 1;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') {
                return new Decoded(Bytes.of(out.toByteArray()), i + 1);
            }
            if (c > 0xff) {
                throw new TraceSyntaxException(lineNo, i + 1, "character U+" + Integer.toHexString(c)
                        + " is not a byte; write it as \\xHH escapes");
            }
            if (c != '\\') {
                out.write(c);
                i++;
                continue;
            }
            if (i + 1 >= text.length()) {
                break;
            }
            char e = text.charAt(i + 1);
            switch (e) {
                case 'n' -> out.write('\n');
                case 't' -> out.write('\t');
                case 'r' -> out.write('\r');
                case '\\' -> out.write('\\');
                case '"' -> out.write('"');
                case '0' -> out.write(0);
                case 'x' -> {
                    if (i + 3 >= text.length()) {
                        throw new TraceSyntaxException(lineNo, i + 1, "\\x needs two hex digits");
                    }
                    int hi = Character.digit(text.charAt(i + 2), 16);
                    int lo = Character.digit(text.charAt(i + 3), 16);
                    if (hi < 0 || lo < 0) {
                        throw new TraceSyntaxException(lineNo, i + 1, "\\x needs two hex digits");
                    }
                    out.write(hi * 16 + lo);
                    i += 2;
                }
                default -> throw new TraceSyntaxException(lineNo, i + 1, "unknown escape \\" + e
                        + " (known: \\n \\t \\r \\\\ \\\" \\0 \\xHH)");
            }
            i += 2;
        }
        throw new TraceSyntaxException(lineNo, start + 1, "unterminated quoted string");
    }

    record Decoded(Bytes bytes, int end) {
    }
}
