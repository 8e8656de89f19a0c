package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsError;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A transaction that still sees a node it removed (QEMU) has one signature per category whatever request
 * shows it, but only for answers a node still there would give: any other wrong answer keeps its own.
 */
class RemovedNodeSignatureTest {

    private static final Reply ENOENT = Reply.Error.of(XsError.ENOENT);

    @Test
    void answersAsIfTheRemovedNodeWereThereAreTheOneCause() {
        assertTrue(Signatures.removedNodeSeen(new Request.Read("/a"), ENOENT, new Reply.Value(Bytes.latin1("")), true));
        assertTrue(Signatures.removedNodeSeen(new Request.Directory("/a"), ENOENT, new Reply.Names(List.of("b")), true));
        assertTrue(Signatures.removedNodeSeen(new Request.GetPerms("/a"), ENOENT, new Reply.Perms(List.of(Perm.none(0))), true));
        assertTrue(Signatures.removedNodeSeen(new Request.Rm("/a"), ENOENT, new Reply.Ok(), true));
        assertTrue(Signatures.removedNodeSeen(new Request.Read("/a"), ENOENT, Reply.Error.of(XsError.EACCES), true));
        assertTrue(Signatures.removedNodeSeen(new Request.SetPerms("/a", List.of(Perm.none(1))), ENOENT,
                Reply.Error.of(XsError.EPERM), true));
        // run seed 75004: G2@T1 rm /local, then G2@T1 setperms /local/domain/2/e-1 with seven entries (QEMU keeps five)
        assertTrue(Signatures.removedNodeSeen(new Request.SetPerms("/local/domain/2/e-1", List.of(Perm.none(2), Perm.none(2),
                Perm.none(0), Perm.both(0), Perm.read(2), Perm.both(1), Perm.both(3))), ENOENT, Reply.Error.of(XsError.ENOSPC), true));
        // gate seed 77035: A@T3 rm /wide, then A@T3 directory /wide, whose names fill more than a reply
        assertTrue(Signatures.removedNodeSeen(new Request.Directory("/wide"), ENOENT, Reply.Error.of(XsError.E2BIG), true));
    }

    @Test
    void otherAnswersOrNodesTheTransactionDidNotRemoveKeepTheirOwnSignature() {
        assertFalse(Signatures.removedNodeSeen(new Request.Read("/a"), ENOENT, new Reply.Ok(), true));
        assertFalse(Signatures.removedNodeSeen(new Request.Read("/a"), ENOENT, Reply.Error.of(XsError.EPERM), true));
        assertFalse(Signatures.removedNodeSeen(new Request.Read("/a"), ENOENT, Reply.Error.of(XsError.EROFS), true));
        assertFalse(Signatures.removedNodeSeen(new Request.Read("/a"), ENOENT, Reply.Error.of(XsError.E2BIG), true));
        assertFalse(Signatures.removedNodeSeen(new Request.Write("/a", Bytes.latin1("")), ENOENT, Reply.Error.of(XsError.ENOSPC), true));
        assertFalse(Signatures.removedNodeSeen(new Request.Rm("/a"), ENOENT, new Reply.Value(Bytes.latin1("x")), true));
        assertFalse(Signatures.removedNodeSeen(new Request.Read("/a"), ENOENT, new Reply.Value(Bytes.latin1("")), false));
        assertFalse(Signatures.removedNodeSeen(new Request.Read("/a"), Reply.Error.of(XsError.EACCES),
                new Reply.Value(Bytes.latin1("")), true));
    }

    @Test
    void aTransactionsViewAfterAMigrationNamesWhatItRemovedAsExtraRemovedAndNothingElse() {
        io.xscheck.model.ModelState store = new io.xscheck.model.Model(io.xscheck.model.Dialect.named("qemu")).initial();
        Reply model = new Reply.Names(List.of("local"));
        // gate seed 68004: the transaction created /tool (writing /tool/c) and removed it; QEMU's view has it again
        assertEquals("Names/Names extra removed", Signatures.view(model, new Reply.Names(List.of("local", "tool")), store,
                java.util.Set.of("/tool", "/tool/c")));
        assertEquals("Names/Names extra", Signatures.view(model, new Reply.Names(List.of("local", "planted")), store,
                java.util.Set.of("/tool", "/tool/c")));
        assertEquals("Names/EACCES", Signatures.view(model, Reply.Error.of(XsError.EACCES), store, java.util.Set.of()));
    }
}
