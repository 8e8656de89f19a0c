package io.xscheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A 10,000-node tree with open transactions: snapshots share the tree instead of copying it, so
 * many states and transactions fit easily in the 256 MB test heap. Prints the heap used.
 */
class MemoryTest {

    static ModelState bigTree(Model m, int nodes) {
        ModelState s = m.connect(m.initial(), "dom0", 0);
        int made = 0;
        for (int d = 0; made < nodes; d++) {
            for (int k = 0; k < 100 && made < nodes; k++, made++) {
                String path = "/local/domain/" + d + "/device/vif/" + k;
                s = m.step(s, "dom0", 0, new Request.Write(path, Bytes.latin1("value-" + k))).single().next();
            }
        }
        return s;
    }

    @Test
    void tenThousandNodesWithTransactionSnapshotsStayWithinTheHeap() {
        for (String dialect : Dialect.names()) {
            Model m = new Model(Dialect.named(dialect));
            ModelState s = bigTree(m, 10_000);
            assertTrue(s.tree().size() > 10_000, dialect);
            List<ModelState> history = new ArrayList<>();
            // eight connections, each with a transaction open over the big tree and a write in it
            for (int c = 0; c < 8; c++) {
                s = m.connect(s, "c" + c, 0);
                Reply r = m.step(s, "c" + c, 0, new Request.TransactionStart()).single().reply();
                s = m.step(s, "c" + c, 0, new Request.TransactionStart()).single().next();
                long tx = ((Reply.TransactionId) r).id();
                s = m.step(s, "c" + c, tx, new Request.Write("/local/domain/1/device/vif/" + c, Bytes.latin1("tx"))).single().next();
                s = m.step(s, "dom0", 0, new Request.Write("/local/domain/2/device/vif/" + c, Bytes.latin1("main"))).single().next();
                history.add(s);
            }
            // every kept state still answers from its own version of the tree
            for (ModelState h : history) {
                assertEquals(new Reply.Value(Bytes.latin1("value-5")),
                        m.step(h, "dom0", 0, new Request.Read("/local/domain/3/device/vif/5")).single().reply());
            }
            Runtime rt = Runtime.getRuntime();
            System.gc();
            long used = (rt.totalMemory() - rt.freeMemory()) >> 20;
            System.out.printf("MemoryTest %s: %d nodes, %d kept states, 8 open transactions: heap used %d MB of max %d MB%n",
                    dialect, s.tree().size(), history.size(), used, rt.maxMemory() >> 20);
            assertTrue(used < 200, "heap used " + used + " MB");
        }
    }
}
