package io.xscheck.sut;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where started targets get their private directories: in memory (/dev/shm) when the machine has
 * it as a tmpfs that allows executables (the fake hypervisor's shim library is loaded from the
 * directory) with room to spare, else the JVM's temp directory. A case introduces its guest domains again after
 * most resets, and each introduction creates and deletes the fake hypervisor's files for that
 * domain: on the ext4 disk of the lab machine (mounted with discard) a create, write and unlink
 * took 767 us against 44 on its tmpfs, and C xenstored's INTRODUCE, which opens and maps those
 * files, took 850 us against 156 (15 s C bench, seed 7).
 */
public final class TempParent {
    static final Path SHM = Path.of("/dev/shm");

    private TempParent() {
    }

    /** The directory under which to make private directories on this machine (decided once per JVM). */
    public static Path preferred() {
        return Decided.PATH;
    }

    /** Holds the decision, made at first use: every target's options ask for it. */
    private static final class Decided {
        static final Path PATH = decide();
    }

    private static Path decide() {
        Path fallback = Path.of(System.getProperty("java.io.tmpdir", "/tmp"));
        List<String> mounts;
        try {
            mounts = Files.readAllLines(Path.of("/proc/self/mounts"));
        } catch (IOException | RuntimeException e) {
            return fallback;
        }
        return choose(SHM, mounts, Files.isDirectory(SHM) && Files.isWritable(SHM) && usable(SHM) >= MIN_USABLE_BYTES,
                fallback);
    }

    /**
     * Room the directories need, with a wide margin: a daemon's holds the shim (180 KB), a ring page per domain and
     * small logs; two runs of three targets with two jobs each used 6 MB together. A smaller tmpfs (a container's
     * 64 MB default, mostly used) is passed over for the disk rather than risk a daemon's failed write.
     */
    static final long MIN_USABLE_BYTES = 64L << 20;

    private static long usable(Path p) {
        try {
            return Files.getFileStore(p).getUsableSpace();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /**
     * {@code memory} when {@code mounts} (lines as /proc/self/mounts has them) mount it as a tmpfs
     * without noexec and it is a writable directory with room ({@code usableDirectory}); else {@code fallback}.
     */
    static Path choose(Path memory, List<String> mounts, boolean usableDirectory, Path fallback) {
        if (!usableDirectory) {
            return fallback;
        }
        // the last mount of the path is the one in effect
        String[] found = null;
        for (String line : mounts) {
            String[] f = line.split(" ");
            if (f.length >= 4 && f[1].equals(memory.toString())) {
                found = f;
            }
        }
        if (found == null || !found[2].equals("tmpfs") || List.of(found[3].split(",")).contains("noexec")) {
            return fallback;
        }
        return memory;
    }
}
