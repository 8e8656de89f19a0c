package io.xscheck.sut.process;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The last lines of a daemon's log files, read from the end so a huge log costs little. */
final class LogTail {

    /** How much of the logs a closed daemon keeps in memory for reports. */
    static final int KEPT_LINES = 200;
    private static final int MAX_BYTES_PER_FILE = 64 * 1024;

    private final Path dir;
    private final List<String> files;

    LogTail(Path dir, List<String> files) {
        this.dir = dir;
        this.files = List.copyOf(files);
    }

    /** Each existing, non-empty log's last {@code lines} lines under a {@code == name ==} heading. */
    String tail(int lines) {
        StringBuilder out = new StringBuilder();
        for (String name : files) {
            Path p = dir.resolve(name);
            String text = readEnd(p);
            if (text.isBlank()) {
                continue;
            }
            out.append("== ").append(name).append(" ==\n").append(lastLines(text, lines));
            if (out.charAt(out.length() - 1) != '\n') {
                out.append('\n');
            }
        }
        return out.toString();
    }

    static String lastLines(String text, int lines) {
        if (lines <= 0) {
            return "";
        }
        int end = text.endsWith("\n") ? text.length() - 1 : text.length();
        int start = end;
        for (int seen = 0; start > 0; start--) {
            if (text.charAt(start - 1) == '\n' && ++seen == lines) {
                break;
            }
        }
        return text.substring(start);
    }

    private static String readEnd(Path p) {
        if (!Files.isRegularFile(p)) {
            return "";
        }
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "r")) {
            long len = f.length();
            int n = (int) Math.min(len, MAX_BYTES_PER_FILE);
            byte[] buf = new byte[n];
            f.seek(len - n);
            f.readFully(buf);
            return new String(buf, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(cannot read " + p.getFileName() + ": " + e.getMessage() + ")\n";
        }
    }
}
