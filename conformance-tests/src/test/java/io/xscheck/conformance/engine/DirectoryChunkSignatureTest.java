package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscheck.model.Dialect;
import io.xscheck.model.Model;
import io.xscheck.model.ModelState;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A DIRECTORY_PART chunk is a slice of the listing from an offset, so a listing made longer by names a
 * transaction removed (QEMU) can show as the same names in other bytes: that is the removed names' cause,
 * and only when the step's transaction touched children of the path.
 */
class DirectoryChunkSignatureTest {

    private static final ModelState STATE = new Model(Dialect.named(Dialect.SPEC)).initial();
    private static final String PREFIX = "reply:directorypart:TreeOps.directoryPart:DirectoryChunk/DirectoryChunk ";

    private static String signature(String model, String target, Set<String> touched) {
        return Signatures.sameKind("directorypart", "TreeOps.directoryPart",
                new Reply.DirectoryChunk("3", Bytes.latin1(model)), new Reply.DirectoryChunk("2", Bytes.latin1(target)),
                STATE, "/local", touched);
    }

    @Test
    void anOffsetPastTheModelsListingIntoRemovedNamesIsExtraRemoved() {
        // gate seed 57001: T4 removed /local (with /local/_f) and wrote /local/domain/1; offset 9
        Set<String> touched = Set.of("/local", "/local/_f", "/local/domain", "/local/domain/1");
        assertEquals(PREFIX + "extra removed", signature("\0", "\0\0", touched));
    }

    @Test
    void aSliceShiftedByARemovedNameStartsInsideANameTheTargetShowsWhole() {
        // gate seed 75117 (QEMU): A@T1 rm /local, then A@T1 directorypart / 8 with /tool and /wide in the store:
        // the model slices "tool\0wide\0" to "e\0", QEMU "local\0tool\0wide\0" to "ol\0wide\0"
        Model qemu = new Model(Dialect.named("qemu"));
        ModelState store = qemu.connect(qemu.initial(), "A", 0);
        for (String node : java.util.List.of("/tool", "/wide")) {
            store = qemu.step(store, "A", 0, new io.xscheck.protocol.Request.Write(node, Bytes.latin1(""))).allowed()
                    .iterator().next().next();
        }
        Set<String> touched = Set.of("/local");
        assertEquals(PREFIX + "extra removed", Signatures.sameKind("directorypart", "TreeOps.directoryPart",
                new Reply.DirectoryChunk("3", Bytes.latin1("e\0\0")), new Reply.DirectoryChunk("3", Bytes.latin1("ol\0wide\0\0")),
                store, "/", touched));
        // gate seed 75135: a slice cut at the payload limit ends inside a removed name ("tool" here), without the
        // list's final NUL
        assertEquals(PREFIX + "extra removed", Signatures.sameKind("directorypart", "TreeOps.directoryPart",
                new Reply.DirectoryChunk("3", Bytes.latin1("e\0\0")), new Reply.DirectoryChunk("3", Bytes.latin1("e\0to")),
                store, "/", Set.of("/tool")));
        // a piece the target shows nowhere is still missing
        assertEquals(PREFIX + "missing and extra removed", Signatures.sameKind("directorypart", "TreeOps.directoryPart",
                new Reply.DirectoryChunk("3", Bytes.latin1("q\0\0")), new Reply.DirectoryChunk("3", Bytes.latin1("ol\0\0")),
                store, "/", touched));
    }

    @Test
    void aRemovedSiblingsCopyQemuMovedBelowTheListedNodeIsExtraRemoved() {
        // gate seed 75156 (QEMU): A@T3 rm /local (with /local/domain/1/b and /local/domain/2), A@T3 write
        // /local/domain/1/e-1; QEMU's copy of /local/domain/2 went into /local/domain/1's children
        Set<String> removed = Set.of("/local", "/local/domain", "/local/domain/1", "/local/domain/1/b", "/local/domain/2");
        Set<String> touched = new java.util.HashSet<>(removed);
        touched.add("/local/domain/1/e-1");
        String prefix = "reply:directory:TreeOps.directory:Names/Names ";
        java.util.function.Function<java.util.List<String>, String> listed = names -> Signatures.sameKind("directory",
                "TreeOps.directory", new Reply.Names(java.util.List.of("e-1")), new Reply.Names(names), STATE,
                "/local/domain/1", touched, removed);
        assertEquals(prefix + "extra removed", listed.apply(java.util.List.of("2", "b", "e-1")));
        // a name no removed node has, or one of the listed node's own ancestors, is another bug
        assertEquals(prefix + "extra", listed.apply(java.util.List.of("3", "b", "e-1")));
        assertEquals(prefix + "extra", listed.apply(java.util.List.of("domain", "e-1")));
        // a name the transaction wrote elsewhere, not removed, is another bug too
        assertEquals(prefix + "extra", Signatures.sameKind("directory", "TreeOps.directory",
                new Reply.Names(java.util.List.of("e-1")), new Reply.Names(java.util.List.of("x", "e-1")), STATE,
                "/local/domain/1", Set.of("/local/domain/1/e-1", "/local/domain/x"), Set.of()));
    }

    @Test
    void otherBytesWithoutATouchedChildAreContent() {
        assertEquals(PREFIX + "content", signature("\0", "\0\0", Set.of()));
        assertEquals(PREFIX + "content", signature("\0\0", "\0", Set.of("/local/_f")));
    }

    @Test
    void aTrailingSlashNamesTheSameNode() {
        // gate seed 63003 (QEMU): "directory /local/domain/1/" in a transaction that removed /local/domain/1/a
        assertEquals("reply:directory:TreeOps.directory:Names/Names extra removed", Signatures.sameKind("directory",
                "TreeOps.directory", new Reply.Names(java.util.List.of("_f")), new Reply.Names(java.util.List.of("_f", "a")),
                STATE, "/local/domain/1/", Set.of("/local/domain/1", "/local/domain/1/a", "/local/domain/1/_f")));
    }

    @Test
    void differentNamesKeepTheirListShape() {
        assertEquals(PREFIX + "order", signature("a\0b\0\0", "b\0a\0\0", Set.of()));
        assertEquals(PREFIX + "missing", signature("a\0b\0\0", "a\0\0", Set.of()));
        assertEquals(PREFIX + "extra removed", signature("a\0\0", "a\0_f\0\0", Set.of("/local/_f")));
        assertEquals(PREFIX + "extra", signature("a\0\0", "a\0zz\0\0", Set.of()));
    }
}
