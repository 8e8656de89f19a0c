package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import io.xscheck.sut.fakexen.XenDaemonSut;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A reply that comes late is a hang of some kind only when the daemon answers another connection meanwhile: a daemon
 * that had no CPU (stopped here, as a starved one is) answers by itself once it runs again, and that is its reply,
 * not a hang; oxenstored's empty READ, which it answers only once more input arrives, is still that hang.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LateReplyTest {

    private static Sut open() {
        if (!Suts.installed().contains("oxenstored")) {
            if (System.getenv("CI") != null) {
                Assertions.fail("oxenstored is not installed here; CI must run every target");
            }
            Assumptions.abort("oxenstored is not installed here");
        }
        return Suts.open("oxenstored", SutOptions.defaults());
    }

    private static TraceLine.Step step(String line) throws Exception {
        return (TraceLine.Step) TraceParser.parseLine(line, 1);
    }

    private static void signal(String name, long pid) throws Exception {
        Process p = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "kill -" + name + " failed");
    }

    @Test
    void aDaemonWithoutTheCpuForAWhileAnswersByItselfAndThatIsItsReply() throws Exception {
        try (Sut sut = open(); TargetSession target = new TargetSession(sut)) {
            long pid = ((XenDaemonSut) sut).pid();
            target.declare(new TraceLine.Conn("A", false, 0));
            target.await(step("A write /late v"), target.start(step("A write /late v")));
            target.inspector();
            TraceLine.Step read = step("A read /late");
            signal("STOP", pid);
            CompletableFuture<Void> resume = CompletableFuture.runAsync(() -> {
                try {
                    Thread.sleep(TargetSession.HUNG_AFTER_MILLIS + 700);
                    signal("CONT", pid);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try {
                assertEquals(new Reply.Value(Bytes.latin1("v")), target.await(read, target.start(read)));
            } finally {
                resume.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anEmptyReadOxenstoredAnswersOnlyAfterMoreInputIsStillThatHang() throws Exception {
        try (Sut sut = open(); TargetSession target = new TargetSession(sut)) {
            target.declare(new TraceLine.Conn("A", false, 0));
            TraceLine.Step empty = step("A raw 2 \"\"");
            long start = System.nanoTime();
            SutException e = assertThrows(SutException.class, () -> target.await(empty, target.start(empty)));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(SutException.Kind.HUNG, e.kind(), e.getMessage());
            assertTrue(e.getMessage().contains("only after a later request on the same connection"), e.getMessage());
            System.out.println("oxenstored's empty READ reported as a hang after " + millis + " ms");
        }
    }
}
