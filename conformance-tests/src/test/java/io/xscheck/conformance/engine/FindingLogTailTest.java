package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscheck.conformance.trace.Trace;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A finding keeps the log of the target it was first seen on, where the shrunk replay's log says other things. */
class FindingLogTailTest {

    private static SequenceOutcome withLog(String tail) {
        return new SequenceOutcome(new Trace(List.of()), Optional.empty(), "", 0, Map.of(), tail, List.of(), false);
    }

    @Test
    void aRefusalLoggedOnlyWhereItWasFirstSeenIsKept() {
        String refusal = "qemu-xs-server: migration refused: watches of domains 1 and 2\n";
        assertEquals("qemu-xs-server: ready\n--- the target it was first seen on ---\n" + refusal,
                Campaign.logTails(withLog("qemu-xs-server: ready\n"), withLog(refusal)));
    }

    @Test
    void theSameLogOrNoneBeforeIsNotRepeated() {
        assertEquals("a\n", Campaign.logTails(withLog("a\n"), withLog("a\n")));
        assertEquals("a\n", Campaign.logTails(withLog("a\n"), withLog("")));
        assertEquals("--- the target it was first seen on ---\nb\n", Campaign.logTails(withLog(""), withLog("b\n")));
    }
}
