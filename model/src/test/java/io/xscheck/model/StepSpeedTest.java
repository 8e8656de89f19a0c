package io.xscheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import org.junit.jupiter.api.Test;

/**
 * Measures {@code Model.step} on a 10,000-node tree and prints ns/op for READ, WRITE, DIRECTORY
 * and a transaction commit. Speed is reported, not asserted (project rule); the test checks only
 * that the measured operations did what they should.
 */
class StepSpeedTest {

    private static long nsPerOp(Runnable r, int n) {
        for (int i = 0; i < n / 4; i++) {
            r.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return (System.nanoTime() - t0) / n;
    }

    @Test
    void printsNanosecondsPerStepOnATenThousandNodeTree() {
        for (String dialect : Dialect.names()) {
            Model m = new Model(Dialect.named(dialect));
            ModelState s0 = MemoryTest.bigTree(m, 10_000);
            Request read = new Request.Read("/local/domain/50/device/vif/7");
            Request write = new Request.Write("/local/domain/50/device/vif/7", Bytes.latin1("x"));
            Request dir = new Request.Directory("/local/domain/50/device/vif");
            assertEquals(new Reply.Value(Bytes.latin1("value-7")), m.step(s0, "dom0", 0, read).single().reply());
            long readNs = nsPerOp(() -> m.step(s0, "dom0", 0, read), 200_000);
            long writeNs = nsPerOp(() -> m.step(s0, "dom0", 0, write), 100_000);
            long dirNs = nsPerOp(() -> m.step(s0, "dom0", 0, dir), 20_000);
            ModelState started = m.step(s0, "dom0", 0, new Request.TransactionStart()).single().next();
            ModelState written = m.step(started, "dom0", 1, write).single().next();
            assertEquals(new Reply.Ok(), m.step(written, "dom0", 1, new Request.TransactionEnd(true)).single().reply());
            long commitNs = nsPerOp(() -> m.step(written, "dom0", 1, new Request.TransactionEnd(true)), 50_000);
            System.out.printf("StepSpeed %-16s 10k nodes: READ %d ns/op, WRITE %d ns/op, DIRECTORY(100) %d ns/op, commit %d ns/op%n",
                    dialect, readNs, writeNs, dirNs, commitNs);
        }
    }
}
