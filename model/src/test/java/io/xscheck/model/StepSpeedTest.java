package io.xscheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Measures {@code Model.step} on a 10,000-node tree and prints ns/op for READ, WRITE, DIRECTORY
 * and a transaction commit, each with its ratio against a floor measured in the same run on the
 * same machine: a plain {@code HashMap<String, byte[]>} holding the same 10,000 paths (get for
 * READ, put for WRITE and commit, get of the child-name list plus a copy for DIRECTORY). The ratio
 * says what the model's immutability, permission checks and bookkeeping cost over the cheapest
 * possible store, independent of how fast the machine is today. Speed is reported, not asserted
 * (project rule); the test checks only that the measured operations did what they should.
 */
class StepSpeedTest {

    /** Results folded in here so the JIT cannot drop the measured work. */
    private static long sink;

    private static long nsPerOp(Runnable r, int n) {
        for (int i = 0; i < n / 4; i++) {
            r.run();
        }
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            r.run();
        }
        return Math.max(1, (System.nanoTime() - t0) / n);
    }

    private static String ratio(long ns, long floorNs) {
        return String.format("%.1fx", (double) ns / floorNs);
    }

    @Test
    void printsNanosecondsPerStepAndRatiosAgainstAHashMapOnATenThousandNodeTree() {
        for (String dialect : Dialect.names()) {
            Model m = new Model(Dialect.named(dialect));
            ModelState s0 = MemoryTest.bigTree(m, 10_000);
            String path = "/local/domain/50/device/vif/7";
            String dirPath = "/local/domain/50/device/vif";
            Request read = new Request.Read(path);
            Request write = new Request.Write(path, Bytes.latin1("x"));
            Request dir = new Request.Directory(dirPath);
            assertEquals(new Reply.Value(Bytes.latin1("value-7")), m.step(s0, "dom0", 0, read).single().reply());

            // The floor: the same paths in a mutable hash map, the least work a store could do per request.
            Map<String, byte[]> values = new HashMap<>();
            Map<String, List<String>> children = new HashMap<>();
            for (String p : s0.tree().paths()) {
                Node n = s0.tree().node(p);
                values.put(p, n.value().toArray());
                children.put(p, n.children());
            }
            assertEquals("value-7", new String(values.get(path), java.nio.charset.StandardCharsets.ISO_8859_1), "the floor reads what the model reads");
            byte[] x = {'x'};
            long getNs = nsPerOp(() -> sink += values.get(path).length, 200_000);
            long putNs = nsPerOp(() -> sink += values.put(path, x).length, 200_000);
            long listNs = nsPerOp(() -> sink += new ArrayList<>(children.get(dirPath)).size(), 100_000);

            long readNs = nsPerOp(() -> sink += m.step(s0, "dom0", 0, read).allowed().size(), 200_000);
            long writeNs = nsPerOp(() -> sink += m.step(s0, "dom0", 0, write).allowed().size(), 100_000);
            long dirNs = nsPerOp(() -> sink += m.step(s0, "dom0", 0, dir).allowed().size(), 20_000);
            ModelState started = m.step(s0, "dom0", 0, new Request.TransactionStart()).single().next();
            ModelState written = m.step(started, "dom0", 1, write).single().next();
            assertEquals(new Reply.Ok(), m.step(written, "dom0", 1, new Request.TransactionEnd(true)).single().reply());
            long commitNs = nsPerOp(() -> sink += m.step(written, "dom0", 1, new Request.TransactionEnd(true)).allowed().size(), 50_000);
            System.out.printf("StepSpeed %-16s 10k nodes: READ %d ns/op (%s HashMap.get %d ns), WRITE %d ns/op (%s HashMap.put %d ns),"
                            + " DIRECTORY(%d) %d ns/op (%s list copy %d ns), commit %d ns/op (%s HashMap.put)%n",
                    dialect, readNs, ratio(readNs, getNs), getNs, writeNs, ratio(writeNs, putNs), putNs,
                    children.get(dirPath).size(), dirNs, ratio(dirNs, listNs), listNs, commitNs, ratio(commitNs, putNs));
        }
    }
}
