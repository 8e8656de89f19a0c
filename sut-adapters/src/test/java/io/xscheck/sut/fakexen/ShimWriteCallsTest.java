package io.xscheck.sut.fakexen;

import io.xscheck.sut.process.PrivateDir;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every write call the shim covers, aimed outside the state directory with a short path, a
 * 10,000-byte path (with a newline in it) and, for the *at calls, a name relative to a descriptor
 * of the outside directory, is refused with EACCES and recorded on one bounded line of denied.log;
 * nothing lands outside. The program that makes the calls is {@code src/test/resources/shim/write_calls.c},
 * built here with gcc (the shim's own build needs it too).
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShimWriteCallsTest {

    /** Each call the program makes outside; *at calls also with a dirfd (see write_calls.c). */
    private static final Set<String> CALLS = new TreeSet<>(List.of("open", "open64", "open-trunc", "openat",
            "openat64", "creat", "creat64", "fopen", "freopen", "unlink", "unlinkat", "remove", "rmdir", "mkdir",
            "mkdirat", "rename-to", "rename-from", "renameat-to", "renameat-from", "renameat2-to",
            "renameat2-from", "link-to", "link-from", "linkat-to", "linkat-from", "symlink", "symlink-target",
            "symlinkat", "chmod", "lchmod", "fchmodat", "chown", "lchown", "fchownat", "truncate", "truncate64",
            "mknod", "mknodat", "mkfifo", "mkfifoat", "utime", "utimes", "lutimes", "utimensat", "futimesat",
            "setxattr", "lsetxattr", "removexattr", "lremovexattr", "mkstemp", "mkdtemp", "bind"));

    private static final String DENIAL_PREFIX = "write outside the state directory refused: ";
    /** state.c logs at most 1024 bytes of a path, each at most 4 bytes once escaped, plus the cut note. */
    private static final int MAX_DENIAL_LINE = DENIAL_PREFIX.length() + 4 * 1024 + 32;

    /** How a path longer than what is shown ends its line: "... (N bytes)". */
    private static final Pattern CUT_NOTE = Pattern.compile("\\.\\.\\. \\((\\d+) bytes\\)$");

    private PrivateDir dir;
    private PrivateDir build;
    private Path outside;

    @BeforeEach
    void setUp() throws IOException {
        dir = PrivateDir.create(Path.of("/tmp"), "shimw");
        build = PrivateDir.create(Path.of("/tmp"), "shimb");
        outside = Files.createTempDirectory(Path.of("/tmp"), "xscheck-outside-");
        Files.writeString(outside.resolve("fixture"), "fixture\n");
        Files.setLastModifiedTime(outside.resolve("fixture"), FileTime.fromMillis(1_000_000_000_000L));
    }

    @AfterEach
    void tearDown() throws IOException {
        dir.close();
        build.close();
        try (Stream<Path> s = Files.walk(outside)) {
            for (Path p : s.sorted((a, b) -> b.compareTo(a)).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private record Call(String verdict, String name, String form, long rc, String errno, String detail) {
        static Call parse(String line) {
            String[] f = line.split(" ");
            return new Call(f[0], f[1], f[2], Long.parseLong(f[3]), f[4], f.length > 5 ? f[5] : "");
        }
    }

    @Test
    void everyWriteCallOutsideIsRefusedAndRecordedOnOneBoundedLine() throws Exception {
        Path shim = Shim.install(dir.path(), "test");
        Path program = compile();
        String fixtureBefore = describe(outside.resolve("fixture"));

        ProcessBuilder pb = new ProcessBuilder(program.toString(), outside.toString())
                .directory(dir.path().toFile())
                .redirectError(build.resolve("stderr.txt").toFile());
        pb.environment().put("FAKEXEN_DIR", dir.path().toString());
        pb.environment().put("LD_PRELOAD", shim.toString());
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String context = out + Files.readString(build.resolve("stderr.txt"));
        assertEquals(0, p.exitValue(), context);

        List<Call> calls = out.lines().map(Call::parse).toList();
        List<Call> refused = calls.stream().filter(c -> c.verdict().equals("refused")).toList();
        assertEquals(CALLS, refused.stream().map(Call::name).collect(Collectors.toCollection(TreeSet::new)), out);
        for (Call c : refused) {
            assertEquals(List.of(-1L, "EACCES"), List.of(c.rc(), c.errno()), c + " was not refused");
        }

        // nothing landed outside, and the file there is untouched (content, mode, time)
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of("fixture"), s.map(f -> f.getFileName().toString()).toList(), context);
        }
        assertEquals(fixtureBefore, describe(outside.resolve("fixture")));

        assertDenialLog(refused);
        assertInsideCallsWork(calls, out);
        assertMovedPathsTooLongFailClosed(calls, out);
    }

    private void assertDenialLog(List<Call> refused) throws IOException {
        byte[] raw = Files.readAllBytes(dir.resolve("denied.log"));
        String log = new String(raw, StandardCharsets.ISO_8859_1);
        assertTrue(log.endsWith("\n"), "the last denial is a whole line");
        List<String> lines = log.lines().toList();
        assertEquals(refused.size(), lines.size(), "one line per refused call:\n" + log);
        long cut = 0;
        for (String line : lines) {
            assertTrue(line.startsWith(DENIAL_PREFIX), line);
            assertTrue(line.length() <= MAX_DENIAL_LINE, "a denial line of " + line.length() + " bytes");
            assertTrue(line.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f), "unescaped byte in: " + line);
            assertTrue(line.contains(outside.toString()), line);
            Matcher m = CUT_NOTE.matcher(line);
            if (m.find()) {
                assertTrue(Integer.parseInt(m.group(1)) >= 10_000, line); // mkstemp's template adds XXXXXX
                cut++;
                assertTrue(line.contains("/x\\x0aforged denial line "), "the newline is escaped: " + line);
            }
        }
        assertEquals(refused.stream().filter(c -> c.form().equals("long")).count(), cut,
                "each 10,000-byte path is logged cut, with its length");
    }

    private void assertInsideCallsWork(List<Call> calls, String out) {
        List<Call> allowed = calls.stream().filter(c -> c.verdict().equals("allowed")).toList();
        assertEquals(9, allowed.size(), out);
        for (Call c : allowed) {
            assertTrue(c.rc() >= 0, c + " failed inside the state directory");
        }
        assertTrue(Files.isDirectory(dir.resolve("moved-dir")), "/var/lib/xenstored/moved-dir lands in the directory");
        assertTrue(Files.isRegularFile(dir.resolve("renamed")), "/var/run/xenstored/renamed lands in the directory");
        assertTrue(Files.isSymbolicLink(dir.resolve("at-link")));
        assertFalse(Files.exists(dir.resolve("hard-link"), LinkOption.NOFOLLOW_LINKS), "unlinkat at a dirfd");
        assertTrue(Files.exists(dir.resolve("fifo")), "/run/xenstored/fifo lands in the directory");
        String temp = allowed.stream().filter(c -> c.name().equals("mkstemp-moved")).findFirst().orElseThrow().detail();
        assertTrue(temp.startsWith("tmp-") && !temp.endsWith("XXXXXX"), "the caller's template gets the letters: " + temp);
        assertTrue(Files.isRegularFile(dir.resolve(temp)), temp);
    }

    private void assertMovedPathsTooLongFailClosed(List<Call> calls, String out) {
        List<Call> tooLong = calls.stream().filter(c -> c.verdict().equals("toolong")).toList();
        assertEquals(2, tooLong.size(), out);
        for (Call c : tooLong) {
            assertEquals(List.of(-1L, "ENAMETOOLONG"), List.of(c.rc(), c.errno()), c.toString());
            assertFalse(Files.exists(dir.resolve(c.form()), LinkOption.NOFOLLOW_LINKS),
                    "a path cut to fit named another file: " + c.form());
        }
    }

    private Path compile() throws Exception {
        Path source = build.resolve("write_calls.c");
        try (InputStream in = ShimWriteCallsTest.class.getResourceAsStream("/shim/write_calls.c")) {
            Files.copy(in, source);
        }
        Path program = build.resolve("write-calls");
        Process gcc = new ProcessBuilder("gcc", "-std=gnu11", "-O0", "-o", program.toString(), source.toString())
                .redirectErrorStream(true).start();
        String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(gcc.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, gcc.exitValue(), "gcc failed (the shim's build needs gcc too):\n" + log);
        return program;
    }

    private static String describe(Path f) throws IOException {
        return Files.readString(f) + " " + Files.getPosixFilePermissions(f) + " " + Files.getLastModifiedTime(f)
                + " " + Arrays.toString(Files.readAllBytes(f));
    }
}
