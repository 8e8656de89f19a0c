package io.xscheck.sut;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A second JVM that starts a target and prints "PID DIR" (the target's process and private
 * directory), for the tests of what happens to a target when the JVM that started it dies.
 */
public record HarnessJvm(Process jvm, long targetPid, Path dir) {

    /** Starts {@code main} with {@code args} on this test's class path and reads its first line. */
    public static HarnessJvm start(Class<?> main, String... args) throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(), "-Xmx64m", "-cp",
                System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        Process jvm = new ProcessBuilder(command).redirectErrorStream(true).start();
        jvm.getOutputStream().close();
        String line = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8)).readLine();
        assertNotNull(line, "the harness JVM printed nothing");
        String[] parts = line.split(" ");
        assertTrue(parts.length == 2 && parts[0].matches("\\d+"), "harness said: " + line);
        return new HarnessJvm(jvm, Long.parseLong(parts[0]), Path.of(parts[1]));
    }

    /** Asserts that the target's process is gone, allowing it 5 s to exit. */
    public void assertTargetGone() throws Exception {
        ProcessHandle h = ProcessHandle.of(targetPid).orElse(null);
        if (h != null) {
            h.onExit().get(5, TimeUnit.SECONDS);
        }
        assertTrue(ProcessHandle.of(targetPid).map(p -> !p.isAlive()).orElse(true),
                "target process " + targetPid + " left behind");
    }
}
