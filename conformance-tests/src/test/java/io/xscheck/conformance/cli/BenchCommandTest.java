package io.xscheck.conformance.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bench} measures and prints; it asserts nothing about speed (the numbers depend on the
 * machine). This checks that it measures every figure it claims to, on the in-process model.
 */
class BenchCommandTest {
    @TempDir
    Path dir;

    @Test
    void benchPrintsBothCeilingsTheEngineRateAndWhereTheTimeWent() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new ArrayList<>(List.of("bench", "--sut", "model", "--time", "2s", "--raw-time", "300ms",
                "--report-dir", dir.toString())), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(out, true, StandardCharsets.UTF_8));
        String text = out.toString(StandardCharsets.UTF_8);
        System.out.print(text);
        assertEquals(0, code, text);
        assertTrue(text.matches("(?s).*\\nmodel +\\d+ +\\d+ +\\d+ +\\d\\.\\d{3} +\\d\\.\\d{3}\\n.*"), text);
        String json = Files.readString(dir.resolve("bench.json"));
        for (String key : List.of("rawOneInFlight", "rawPipelined32", "engine", "model", "send", "reply_wait", "barrier",
                "tree_check", "case_setup", "case_reset", "confirm", "otherNanos")) {
            assertTrue(json.contains("\"" + key + "\": "), key + " missing from " + json);
        }
        assertTrue(json.matches("(?s).*\"model\": [1-9]\\d*.*"), "the model's time was measured: " + json);
    }
}
