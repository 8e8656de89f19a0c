package io.xscheck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The snapshot round trip is the identity, and a restored state answers every later command
 * exactly as the original (QEMU's migration no-op property, applied to the model).
 */
class SnapshotTest {

    @Test
    void roundTripIsTheIdentity() {
        for (String dialect : Dialect.names()) {
            Model m = new Model(Dialect.named(dialect));
            qt().withExamples(150).forAll(Scenarios.sequences(40)).checkAssert(cmds -> {
                for (ModelState s : Scenarios.run(m, Scenarios.start(m), cmds, null)) {
                    byte[] bytes = Snapshot.write(s);
                    ModelState back = Snapshot.read(bytes);
                    assertEquals(s, back, dialect);
                    assertArrayEquals(bytes, Snapshot.write(back), dialect);
                }
            });
        }
    }

    @Test
    void restoredStateAnswersLaterCommandsLikeTheOriginal() {
        for (String dialect : Dialect.names()) {
            Model m = new Model(Dialect.named(dialect));
            qt().withExamples(150).forAll(Scenarios.sequences(30), Scenarios.sequences(30)).checkAssert((before, after) -> {
                List<ModelState> states = Scenarios.run(m, Scenarios.start(m), before, null);
                ModelState s = states.get(states.size() - 1);
                ModelState restored = Snapshot.read(Snapshot.write(s));
                List<Allowed> original = new ArrayList<>();
                List<Allowed> again = new ArrayList<>();
                Scenarios.run(m, s, after, original);
                Scenarios.run(m, restored, after, again);
                assertEquals(original.size(), again.size(), dialect);
                for (int i = 0; i < original.size(); i++) {
                    assertEquals(original.get(i).reply(), again.get(i).reply(), dialect + " step " + i);
                    assertEquals(original.get(i).events(), again.get(i).events(), dialect + " step " + i);
                    assertEquals(original.get(i).next(), again.get(i).next(), dialect + " step " + i);
                }
            });
        }
    }

    @Test
    void garbageIsRejectedWithAClearError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Snapshot.read(new byte[] {1, 2, 3}));
        assertEquals(true, e.getMessage().contains("snapshot"));
        byte[] good = Snapshot.write(new Model(Dialect.named(Dialect.CXENSTORED)).initial());
        byte[] cut = java.util.Arrays.copyOf(good, good.length - 3);
        assertThrows(IllegalArgumentException.class, () -> Snapshot.read(cut));
    }
}
