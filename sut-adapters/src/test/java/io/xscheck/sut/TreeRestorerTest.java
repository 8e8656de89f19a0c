package io.xscheck.sut;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bringing a tree back to an earlier image, on the in-process model target (C's dialect). */
class TreeRestorerTest {

    @Test
    void extraNodesGoChangedValuesAndPermissionsComeBack() {
        try (ModelSut sut = ModelSut.start("cxenstored-4.17"); SutConnection c = sut.openPrivileged()) {
            ok(c.call(0, write("/keep", "v")));
            ok(c.call(0, new Request.SetPerms("/keep", List.of(Perm.read(0)))));
            TreeImage before = TreeImage.read(c, "/", TreeRestorer.MAX_NODES);

            ok(c.call(0, write("/new/deep/node", "x")));
            ok(c.call(0, write("/keep", "other")));
            ok(c.call(0, new Request.SetPerms("/keep", List.of(Perm.none(0), Perm.read(3)))));
            ok(c.call(0, new Request.SetPerms("/", List.of(Perm.write(0)))));
            assertNotEquals(before, TreeImage.read(c, "/", TreeRestorer.MAX_NODES));

            assertTrue(TreeRestorer.restore(c, before, "/"));
            assertEquals(before, TreeImage.read(c, "/", TreeRestorer.MAX_NODES));
        }
    }

    @Test
    void aRemovedNodeComesBackButADirectoryInAnotherOrderIsNotRestored() {
        try (ModelSut sut = ModelSut.start("cxenstored-4.17"); SutConnection c = sut.openPrivileged()) {
            ok(c.call(0, write("/a", "1")));
            ok(c.call(0, write("/b", "2")));
            TreeImage before = TreeImage.read(c, "/", TreeRestorer.MAX_NODES);
            ok(c.call(0, new Request.Rm("/a")));

            // /a is recreated, so it is listed after /b now: a client could tell, so no reuse.
            assertFalse(TreeRestorer.restore(c, before, "/"));
            TreeImage after = TreeImage.read(c, "/", TreeRestorer.MAX_NODES);
            assertEquals(before.nodes().keySet(), after.nodes().keySet());
            assertEquals(new Reply.Value(Bytes.latin1("1")), c.call(0, new Request.Read("/a")));
        }
    }

    @Test
    void readingOnlyTheImagesNodesTellsTheSameAsAFullRead() {
        try (ModelSut sut = ModelSut.start("cxenstored-4.17"); SutConnection c = sut.openPrivileged()) {
            ok(c.call(0, write("/a/b", "1")));
            TreeImage before = TreeImage.read(c, "/", TreeRestorer.MAX_NODES);
            assertEquals(before, before.readKnown(c));

            ok(c.call(0, write("/a/b/c/d", "deep")));
            TreeImage known = before.readKnown(c);
            assertNotEquals(before, known, "an extra node shows in its parent's children");
            assertEquals(List.of("c"), known.nodes().get("/a/b").children());

            ok(c.call(0, new Request.Rm("/a/b/c")));
            assertEquals(before, before.readKnown(c));
            ok(c.call(0, new Request.Rm("/a/b")));
            assertFalse(before.readKnown(c).has("/a/b"));
            assertNotEquals(before, before.readKnown(c));
        }
    }

    private static Request.Write write(String path, String value) {
        return new Request.Write(path, Bytes.latin1(value));
    }

    private static void ok(Reply r) {
        assertEquals(new Reply.Ok(), r);
    }
}
