package io.xscheck.sut.process;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class LogTailTest {

    @Test
    void lastLines() {
        assertEquals("c\nd\n", LogTail.lastLines("a\nb\nc\nd\n", 2));
        assertEquals("c\nd", LogTail.lastLines("a\nb\nc\nd", 2));
        assertEquals("a\nb\n", LogTail.lastLines("a\nb\n", 5));
        assertEquals("", LogTail.lastLines("a\n", 0));
    }

    @Test
    void tailsEachExistingLogUnderItsName(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("output.log"), "1\n2\n3\n");
        Files.writeString(dir.resolve("empty.log"), "");
        LogTail t = new LogTail(dir, List.of("output.log", "missing.log", "empty.log"));
        assertEquals("== output.log ==\n2\n3\n", t.tail(2));
    }
}
