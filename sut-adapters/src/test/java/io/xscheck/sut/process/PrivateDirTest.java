package io.xscheck.sut.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PrivateDirTest {

    @Test
    void isPrivateShortAndDeletedWithItsContents(@TempDir Path parent) throws Exception {
        PrivateDir d = PrivateDir.create(parent, "t");
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(d.path())));
        assertTrue(d.path().getFileName().toString().startsWith("xs-" + ProcessHandle.current().pid() + "-t-"));
        Files.createDirectories(d.resolve("a/b"));
        Files.writeString(d.resolve("a/b/c"), "x");
        d.close();
        d.close();
        assertFalse(Files.exists(d.path()));
    }

    @Test
    void sweepDeletesOnlyMarkedDirectoriesOfDeadOwners(@TempDir Path parent) throws Exception {
        long dead = deadPid();
        Path stale = Files.createDirectory(parent.resolve("xs-" + dead + "-cx-1"));
        Files.writeString(stale.resolve(".xscheck-owner"), Long.toString(dead));
        Files.writeString(stale.resolve("socket"), "");
        Path unmarked = Files.createDirectory(parent.resolve("xs-" + dead + "-cx-2"));
        Path mine = PrivateDir.create(parent, "live").path();
        Path other = Files.createDirectory(parent.resolve("not-ours"));

        assertEquals(0, PrivateDir.sweepStale(parent)); // create() swept already
        assertFalse(Files.exists(stale), "stale directory of a dead JVM");
        assertTrue(Files.exists(unmarked), "no marker: not ours to delete");
        assertTrue(Files.exists(mine), "ours and alive");
        assertTrue(Files.exists(other));
    }

    /** The pid of a process that has ended. */
    private static long deadPid() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        return p.pid();
    }
}
