package io.xscheck.sut;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TempParentTest {
    private static final Path SHM = Path.of("/dev/shm");
    private static final Path TMP = Path.of("/tmp");

    @Test
    void aWritableTmpfsThatAllowsExecutablesIsChosen() {
        List<String> mounts = List.of("/dev/vda / ext4 rw,relatime,discard 0 0",
                "tmpfs /dev/shm tmpfs rw,nosuid,nodev,relatime 0 0");
        assertEquals(SHM, TempParent.choose(SHM, mounts, true, TMP));
    }

    @Test
    void aNoexecMountCannotLoadTheShimLibrary() {
        List<String> mounts = List.of("shm /dev/shm tmpfs rw,nosuid,nodev,noexec,relatime,size=65536k 0 0");
        assertEquals(TMP, TempParent.choose(SHM, mounts, true, TMP));
    }

    @Test
    void theLastMountOfThePathIsTheOneInEffect() {
        List<String> mounts = List.of("tmpfs /dev/shm tmpfs rw 0 0", "tmpfs /dev/shm tmpfs rw,noexec 0 0");
        assertEquals(TMP, TempParent.choose(SHM, mounts, true, TMP));
        assertEquals(SHM, TempParent.choose(SHM, List.of(mounts.get(1), mounts.get(0)), true, TMP));
    }

    @Test
    void aDiskOrAMissingOrReadOnlyPathFallsBack() {
        assertEquals(TMP, TempParent.choose(SHM, List.of("/dev/vdb /dev/shm ext4 rw 0 0"), true, TMP));
        assertEquals(TMP, TempParent.choose(SHM, List.of("/dev/vda / ext4 rw 0 0"), true, TMP));
        assertEquals(TMP, TempParent.choose(SHM, List.of("tmpfs /dev/shm tmpfs rw 0 0"), false, TMP));
    }
}
