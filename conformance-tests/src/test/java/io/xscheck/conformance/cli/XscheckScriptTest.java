package io.xscheck.conformance.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code ./xscheck} script provisions (apt-get, as root in CI) before it runs a command of the
 * command-line tool, so it must reject any other command first. The script runs here with a PATH
 * whose first directory holds stand-ins for every program provisioning or the build would call
 * (apt-get, dpkg-query, javac, mvn, ...): each records its name and fails, so apt never runs.
 */
class XscheckScriptTest {

    /** What provisioning and the build call; each becomes a recording stand-in. */
    private static final List<String> STAND_INS = List.of("apt-get", "apt", "dpkg-query", "javac", "java", "mvn", "gcc");

    private static final Path SCRIPT = Path.of("..", "xscheck");
    private static final Path MAIN = Path.of("src/main/java/io/xscheck/conformance/cli/Main.java");

    @TempDir
    Path dir;

    private record Run(int status, String stderr, String called) {
    }

    private Run script(String... args) throws Exception {
        Path bin = dir.resolve("bin");
        Path calls = dir.resolve("calls.log");
        Files.createDirectories(bin);
        for (String name : STAND_INS) {
            Path stub = bin.resolve(name);
            Files.writeString(stub, "#!/bin/sh\necho " + name + " >> '" + calls + "'\nexit 1\n");
            Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwx------"));
        }
        List<String> command = new java.util.ArrayList<>(List.of("bash", SCRIPT.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the script did not finish");
        String called = Files.exists(calls) ? Files.readString(calls) : "";
        return new Run(p.exitValue(), err, called);
    }

    @Test
    void anUnknownCommandIsAUsageErrorAndProvisionsNothing() throws Exception {
        for (String typo : List.of("rnu", "fuzzz", "--frobnicate", "replay gate", "provison")) {
            Run r = script(typo, "--sut", "cxenstored");
            assertEquals(2, r.status(), typo + ": " + r.stderr());
            assertTrue(r.stderr().contains("unknown command '" + typo + "'"), r.stderr());
            assertTrue(r.stderr().contains("usage: ./xscheck COMMAND"), r.stderr());
            assertEquals("", r.called(), typo + " ran provisioning or the build");
        }
    }

    @Test
    void aKnownCommandStillProvisionsFirst() throws Exception {
        // Every stand-in fails, so the script stops in provisioning; that it got there is the point.
        Run r = script("explain", "A read /x");
        assertTrue(r.called().contains("dpkg-query") || r.called().contains("javac"), r.called() + r.stderr());
        assertFalse(r.stderr().contains("unknown command"), r.stderr());
    }

    /** The script's list of the tool's commands is the tool's own list (the switch in Main). */
    @Test
    void theScriptKnowsExactlyTheCommandsOfTheTool() throws IOException {
        Matcher list = Pattern.compile("(?m)^CLI_COMMANDS=\\(([^)]*)\\)").matcher(Files.readString(SCRIPT));
        assertTrue(list.find(), "CLI_COMMANDS=(...) in " + SCRIPT);
        Set<String> script = new TreeSet<>(List.of(list.group(1).trim().split("\\s+")));

        Set<String> tool = new TreeSet<>();
        Matcher label = Pattern.compile("case \"([a-z][a-z0-9-]*)\"\\s*:").matcher(Files.readString(MAIN));
        while (label.find()) {
            tool.add(label.group(1));
        }
        assertFalse(tool.isEmpty(), "no command labels found in " + MAIN);
        assertEquals(tool, script, "./xscheck's CLI_COMMANDS and Main's commands differ");
    }
}
