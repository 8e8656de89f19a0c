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
            return new PrivateDir(dir.toRealPath());
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
