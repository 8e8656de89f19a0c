package io.xscheck.sut.process;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A fresh temporary directory (mode 0700) owned by this JVM, named {@code xs-<jvm pid>-<tag>-<n>}
 * so that its path stays short (Unix socket paths inside it are limited to 107 bytes) and so that
 * a later run can recognise and delete directories left by a JVM that was killed outright.
 */
public final class PrivateDir implements AutoCloseable {

    private static final String PREFIX = "xs-";
    /** Present in every directory this class made; nothing without it is ever deleted by a sweep. */
    private static final String MARKER = ".xscheck-owner";

    private final Path path;
    private final AtomicBoolean deleted = new AtomicBoolean();

    /**
     * Every directory this JVM made and has not deleted. Each daemon's own shutdown hook stops it and deletes
     * its directory, but one whose close had begun in another thread when the JVM was told to stop returns at
     * once and the JVM may halt before that thread deletes anything (a run stopped with SIGTERM left 19); this
     * hook deletes what is left, a few times over while the daemons' hooks still stop them.
     */
    private static final java.util.Set<PrivateDir> LIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(PrivateDir::deleteLeftovers, "xscheck-private-dirs"));
    }

    private static void deleteLeftovers() {
        for (int round = 0; round < LEFTOVER_ROUNDS && !LIVE.isEmpty(); round++) {
            try {
                Thread.sleep(LEFTOVER_PAUSE_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            for (PrivateDir d : java.util.List.copyOf(LIVE)) {
                try {
                    deleteTree(d.path);
                } catch (UncheckedIOException stillWritten) {
                    // its daemon still writes there: the next round tries again
                }
                if (!Files.exists(d.path)) {
                    d.deleted.set(true);
                    LIVE.remove(d);
                }
            }
        }
    }

    private static final int LEFTOVER_ROUNDS = 10;
    private static final long LEFTOVER_PAUSE_MILLIS = 200;

    private PrivateDir(Path path) {
        this.path = path;
    }

    /** Makes the directory under {@code parent}, first deleting stale ones of dead JVMs there. */
    public static PrivateDir create(Path parent, String tag) {
        try {
            sweepStale(parent);
            Path dir = Files.createTempDirectory(parent, PREFIX + ProcessHandle.current().pid() + "-" + tag + "-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.writeString(dir.resolve(MARKER), Long.toString(ProcessHandle.current().pid()));
            PrivateDir made = new PrivateDir(dir.toRealPath());
            LIVE.add(made);
            return made;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a private directory under " + parent, e);
        }
    }

    public Path path() {
        return path;
    }

    public Path resolve(String name) {
        return path.resolve(name);
    }

    /** Deletes the directory and everything in it; idempotent. */
    @Override
    public void close() {
        if (deleted.compareAndSet(false, true)) {
            deleteTree(path);
            LIVE.remove(this);
        }
    }

    public boolean isDeleted() {
        return deleted.get() || !Files.exists(path);
    }

    /**
     * Deletes directories under {@code parent} that this class made in a JVM that no longer runs.
     * Returns how many it deleted.
     */
    public static int sweepStale(Path parent) {
        int swept = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent, PREFIX + "*")) {
            for (Path dir : entries) {
                if (isStale(dir)) {
                    deleteTree(dir);
                    swept++;
                }
            }
        } catch (IOException | UncheckedIOException e) {
            // Sweeping is best effort; a directory we cannot read is not ours to delete.
        }
        return swept;
    }

    private static boolean isStale(Path dir) throws IOException {
        Path marker = dir.resolve(MARKER);
        if (!Files.isDirectory(dir) || !Files.isRegularFile(marker)) {
            return false;
        }
        long owner;
        try {
            owner = Long.parseLong(Files.readString(marker).trim());
        } catch (NumberFormatException e) {
            return false;
        }
        return owner != ProcessHandle.current().pid() && ProcessHandle.of(owner).isEmpty();
    }

    private static void deleteTree(Path root) {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (NoSuchFileException e) {
            // already gone
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    @Override
    public String toString() {
        return path.toString();
    }
}
