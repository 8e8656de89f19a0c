package io.xscheck.conformance.engine;

import io.xscheck.model.Dialect;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ReplyComparisonTest {
    private final ReplyComparison c = new ReplyComparison(Dialect.named("cxenstored-4.17"));
    private final ReplyComparison spec = new ReplyComparison(Dialect.named("spec"));

    @Test
    void directoryPartGenerationsAreOpaqueButTheChunkMustMatch() {
        Bytes chunk = Bytes.latin1("a\0b\0\0");
        assertTrue(c.sameReply(new Reply.DirectoryChunk("7", chunk), new Reply.DirectoryChunk("1234", chunk)));
        assertFalse(c.sameReply(new Reply.DirectoryChunk("7", chunk),
                new Reply.DirectoryChunk("7", Bytes.latin1("b\0a\0\0"))));
    }

    @Test
    void theAgesInAliveUpdateRefusalAreOpaqueButTheDomainsMustMatch() {
        Reply model = new Reply.Text("Domains with long running transactions:\nDomain 2: 0 s\nDomain 1: 1 s");
        assertTrue(c.sameReply(model, new Reply.Text("Domains with long running transactions:\nDomain 2: 2 s\nDomain 1: 13 s")));
        assertFalse(c.sameReply(model, new Reply.Text("Domains with long running transactions:\nDomain 2: 0 s\nDomain 3: 1 s")));
        assertFalse(c.sameReply(model, new Reply.Text("Domains with long running transactions:\nDomain 2: 0 s")));
    }

    @Test
    void transactionIdsAreOpaque() {
        assertTrue(c.sameReply(new Reply.TransactionId(1), new Reply.TransactionId(42)));
    }

    @Test
    void directoryOrderCountsOnlyWhereTheDialectFixesIt() {
        Reply ab = new Reply.Names(List.of("a", "b"));
        Reply ba = new Reply.Names(List.of("b", "a"));
        assertFalse(c.sameReply(ab, ba));
        assertTrue(spec.sameReply(ab, ba));
    }

    @Test
    void errorNamesAreExact() {
        assertFalse(c.sameReply(new Reply.Error("ENOENT"), new Reply.Error("EACCES")));
        assertFalse(c.sameReply(new Reply.Ok(), new Reply.Error("ENOENT")));
    }

    /**
     * QEMU cuts a DIRECTORY_PART chunk at the payload limit, after a generation count the model does not keep as
     * QEMU does: chunks cut at their limits are the same when one starts the other (gate seed 63014).
     */
    @Test
    void qemuChunksCutAtTheirLimitsAreTheSameWhenOneStartsTheOther() {
        ReplyComparison qemu = new ReplyComparison(io.xscheck.model.Dialect.named(io.xscheck.model.Dialect.QEMU));
        String rest = "n".repeat(5000);
        Bytes cutAfterTen = Bytes.latin1(rest.substring(0, 4096 - 3));
        Bytes cutAfterThree = Bytes.latin1(rest.substring(0, 4096 - 2));
        assertTrue(qemu.sameReply(new Reply.DirectoryChunk("10", cutAfterTen), new Reply.DirectoryChunk("3", cutAfterThree)));
        assertFalse(qemu.sameReply(new Reply.DirectoryChunk("10", cutAfterTen),
                new Reply.DirectoryChunk("3", Bytes.latin1("m" + rest.substring(1, 4096 - 2)))), "another start");
        assertFalse(qemu.sameReply(new Reply.DirectoryChunk("10", Bytes.latin1("a\0\0")),
                new Reply.DirectoryChunk("3", Bytes.latin1("a\0"))), "chunks not at their limits must be equal");
        ReplyComparison c = new ReplyComparison(io.xscheck.model.Dialect.named(io.xscheck.model.Dialect.CXENSTORED));
        assertFalse(c.sameReply(new Reply.DirectoryChunk("10", cutAfterTen), new Reply.DirectoryChunk("3", cutAfterThree)),
                "C cuts after whole names: no such allowance");
    }
}
