package io.xscheck.sut;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which process listens on a Unix socket, read from {@code /proc} without sending it anything:
 * the listening socket's inode from {@code /proc/net/unix}, then the process holding that inode
 * among its file descriptors. Needs the rights to read other processes' descriptors (root, or
 * the same user); where that fails the owner is simply unknown.
 *
 * @param pid the listening process
 * @param executable what {@code /proc/PID/exe} points to
 * @param commandLine its arguments, space-separated
 */
public record SocketOwner(long pid, Path executable, String commandLine) {

    /** A socket's entry has the flag __SO_ACCEPTCON (0x10000) while it listens. */
    private static final int ACCEPTING = 0x10000;

    public static Optional<SocketOwner> of(Path socket) {
        try {
            Optional<Long> inode = listeningInode(socket, Path.of("/proc/net/unix"));
            if (inode.isEmpty()) {
                return Optional.empty();
            }
            String wanted = "socket:[" + inode.get() + "]";
            try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                for (Path proc : procs) {
                    if (holds(proc, wanted)) {
                        long pid = Long.parseLong(proc.getFileName().toString());
                        Path exe = Files.readSymbolicLink(proc.resolve("exe"));
                        String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                                .replace('\0', ' ').strip();
                        return Optional.of(new SocketOwner(pid, exe, cmd));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The inode of the listening socket bound to {@code socket}, from a {@code /proc/net/unix} table. */
    static Optional<Long> listeningInode(Path socket, Path table) throws IOException {
        List<String> names = names(socket);
        for (String line : Files.readAllLines(table, StandardCharsets.UTF_8)) {
            // Num RefCount Protocol Flags Type St Inode Path
            String[] f = line.trim().split("\\s+");
            if (f.length < 8 || !names.contains(f[7])) {
                continue;
            }
            try {
                if ((Integer.parseInt(f[3], 16) & ACCEPTING) != 0) {
                    return Optional.of(Long.parseLong(f[6]));
                }
            } catch (NumberFormatException e) {
                // the header line, or a format this reader does not know
            }
        }
        return Optional.empty();
    }

    private static List<String> names(Path socket) {
        Path abs = socket.toAbsolutePath().normalize();
        try {
            Path real = socket.toRealPath();
            return real.equals(abs) ? List.of(abs.toString()) : List.of(abs.toString(), real.toString());
        } catch (IOException e) {
            return List.of(abs.toString());
        }
    }

    private static boolean holds(Path proc, String wanted) {
        try (Stream<Path> fds = Files.list(proc.resolve("fd"))) {
            return fds.anyMatch(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString().equals(wanted);
                } catch (IOException e) {
                    return false;
                }
            });
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
