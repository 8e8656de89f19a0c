package io.xscheck.conformance.engine;

import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A case's reproducer text: lines in the order added, a step's written only when the text is read, and once. */
class TraceTextTest {

    @Test
    void aLaterLineIsWrittenWhenTheTextIsFirstReadAndOnlyThen() {
        AtomicInteger written = new AtomicInteger();
        TraceText text = new TraceText();
        text.add("conn A dom0");
        text.addLater(() -> {
            written.incrementAndGet();
            return "A write /a x => OK\n# A gets [/a t]";
        });
        text.add("# whole-tree check: fine");
        assertEquals(0, written.get(), "nothing is written while the case runs");
        String expected = "conn A dom0\nA write /a x => OK\n# A gets [/a t]\n# whole-tree check: fine\n";
        assertEquals(expected, text.get());
        assertEquals(expected, text.get());
        assertEquals(1, written.get(), "written once");
    }

    @Test
    void anEmptyTextIsOneNewlineAsAJoinOfNoLinesWas() {
        assertEquals("\n", new TraceText().get());
    }
}
