package io.xscheck.conformance.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A test case's reproducer text, line by line, where a step's line (the command, the model's
 * expectation, the target's answer, the events each connection gets) is written only when the text
 * is first read: most cases pass, and nobody reads theirs. What a later line needs must not change
 * after it is added (a step's {@link StepResult} does not).
 */
final class TraceText implements Supplier<String> {
    /** Each a String or a Supplier of one (one or more lines). */
    private final List<Object> parts = new ArrayList<>();
    private String text;

    void add(String line) {
        parts.add(line);
        text = null;
    }

    void addLater(Supplier<String> lines) {
        parts.add(lines);
        text = null;
    }

    /** The lines so far, each ended by a newline (a lone newline when there are none). */
    @Override
    public String get() {
        if (text == null) {
            StringBuilder out = new StringBuilder(parts.isEmpty() ? "\n" : "");
            for (Object p : parts) {
                out.append(p instanceof String s ? s : ((Supplier<?>) p).get()).append('\n');
            }
            text = out.toString();
        }
        return text;
    }
}
