package io.xscheck.conformance.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line's exit codes and messages, against the model (no daemon needed). */
class MainTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(new ArrayList<>(Arrays.asList(args)), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void usageErrorsExitTwoWithAMessage() {
        assertEquals(2, run("frobnicate"));
        assertTrue(err().contains("unknown command 'frobnicate'"));
        assertEquals(2, run("run", "--bogus", "1"));
        assertTrue(err().contains("unknown option --bogus"));
        assertEquals(2, run("run", "--time", "soon"));
        assertTrue(err().contains("--time must be a duration"));
        assertEquals(2, run("run", "--time", "5s", "--sequences", "3"));
        assertEquals(2, run("run", "--jobs", "0"));
        assertEquals(2, run("run", "--weights", "write=x"));
        assertEquals(2, run("replay"));
        assertEquals(2, run("gate"));
        assertEquals(2, run("explain"));
        assertEquals(2, run("explain", "A write /x y", "--dialect", "nosuch"));
        assertTrue(err().contains("unknown dialect 'nosuch'"));
    }

    @Test
    void helpExitsZero() {
        assertEquals(0, run("--help"));
        assertTrue(out().contains("replay FILE..."));
    }

    @Test
    void explainNamesTheRule() {
        assertEquals(0, run("explain", "A write /x y", "A read /x => \"y\"", "--dialect", "cxenstored-4.17"));
        assertTrue(out().contains("rule TreeOps.read"), out());
        assertEquals(1, run("explain", "A read /nothing => OK", "--dialect", "cxenstored-4.17"));
        assertTrue(out().contains("EXPECTATION FAILED"));
    }

    @Test
    void replayChecksExpectationsAndReportsBadFiles() throws Exception {
        Path good = dir.resolve("good.trace");
        Files.writeString(good, "conn A dom0\nA write /a 1 => OK\nA read /a => \"1\"\n");
        assertEquals(0, run("replay", good.toString(), "--sut", "model"));
        Path bad = dir.resolve("bad.trace");
        Files.writeString(bad, "conn A dom0\nA read /a => \"1\"\n");
        assertEquals(1, run("replay", bad.toString(), "--sut", "model"));
        assertTrue(out().contains("EXPECTATION FAILED"));
        Path broken = dir.resolve("broken.trace");
        Files.writeString(broken, "conn A dom0\nA frob /a\n");
        assertEquals(2, run("replay", broken.toString()));
        assertTrue(err().contains("line 2"), err());
        assertEquals(2, run("replay", dir.resolve("missing.trace").toString()));
        Path released = dir.resolve("released.trace");
        Files.writeString(released, "conn A dom0\nconn G1 domU 1\nA release 1\nG1 read /local\n");
        assertEquals(2, run("replay", released.toString(), "--sut", "model"));
        assertTrue(err().contains("uses connection G1, which is gone"), err());
        Path diagnostics = dir.resolve("diagnostics.trace");
        Files.writeString(diagnostics, "conn A dom0\nA control quota 0\n");
        assertEquals(2, run("replay", diagnostics.toString(), "--dialect", "oxenstored-4.17"));
        assertTrue(err().contains("CONTROL 'quota' is not modelled"), err());
    }

    @Test
    void runAgainstTheModelEndsWithTheTableAndWritesReports() throws Exception {
        Path reports = dir.resolve("reports");
        // The registry's model target serves the "spec" dialect; compared with itself it must agree.
        assertEquals(0, run("run", "--sut", "model", "--sequences", "30", "--seed", "9",
                "--no-raw", "--report-dir", reports.toString()), out() + err());
        String o = out();
        assertTrue(o.contains("target") && o.contains("divergences by category") && o.contains("none"), o);
        List<String> files = List.of("report.json", "junit.xml", "report.html");
        for (String f : files) {
            assertTrue(Files.size(reports.resolve(f)) > 0, f);
        }
        assertTrue(Files.readString(reports.resolve("report.html")).contains("Divergence matrix"));
        // rule coverage: the summary line, and the per-rule counts in both reports
        assertTrue(o.matches("(?s).*rules exercised: \\d+ of \\d+ \\(model, dialect spec;.*"), o);
        assertTrue(Files.readString(reports.resolve("report.json")).contains("\"ruleCoverage\": {\"exercised\": "));
        assertTrue(Files.readString(reports.resolve("report.html")).contains("<h3>Rule coverage</h3>"));
    }

    @Test
    void explainShowsTheStatementAndEvidenceOfEachRuleUsed() {
        assertEquals(0, run("explain", "A rm /nope/missing", "--dialect", "oxenstored-4.17"));
        assertTrue(out().contains("TreeOps.rmMissingParentMissing (Tree): RM of a missing node whose parent is missing too"), out());
        assertTrue(out().contains("evidence: probe oxenstored-4.17.7-dom0.txt \"RM /nope/missing (parent missing)\""), out());
    }

    @Test
    void rulesWritesTheRuleBookWithTheLastRunsVerdicts() throws Exception {
        Path reports = dir.resolve("book");
        assertEquals(0, run("run", "--sut", "model", "--sequences", "20", "--seed", "3", "--no-raw", "--report-dir",
                reports.toString()), out() + err());
        assertEquals(0, run("rules", "--report-dir", reports.toString(), "--cases", "50"), out() + err());
        String book = Files.readString(reports.resolve("rulebook.md"));
        assertTrue(book.contains("### `TreeOps.writeCreates`") && book.contains("On model: agreed ("), book.substring(0, 400));
        assertTrue(Files.readString(reports.resolve("rulebook.html")).contains("<h2 id=\"TREE\">Tree</h2>"));
        assertEquals(2, run("rules", "extra"));
    }

    @Test
    void gateExitsOneOnADivergenceTheBaselineDoesNotList() throws Exception {
        Path baseline = dir.resolve("model.txt");
        Files.writeString(baseline, "# nothing known\n");
        // The model target serves the "spec" dialect; compared with the model in C's dialect it differs.
        int code = run("gate", "--baseline", baseline.toString(), "--sut", "model", "--dialect", "cxenstored-4.17",
                "--sequences", "20", "--seed", "1", "--no-raw", "--shrink-time", "2s",
                "--report-dir", dir.resolve("r").toString());
        assertEquals(1, code, out() + err());
        assertTrue(out().contains("NEW on model"), out());
        assertTrue(out().contains("0 baseline entries no longer reproducing"), out());
    }
}
