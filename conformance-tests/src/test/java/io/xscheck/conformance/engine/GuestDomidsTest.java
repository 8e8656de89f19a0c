package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.TraceParser;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A reset releases every guest domain a case named; it may keep only those of the case's guest
 * connections that no domain operation touched, as the connection's declaration left them.
 */
class GuestDomidsTest {

    @Test
    void onlyGuestsNoDomainOperationNamedMayBeKept() throws Exception {
        var lines = TraceParser.parse("""
                conn A dom0
                conn G1 domU 1
                conn G2 domU 2
                conn G3 domU 3
                conn G4 domU 4
                A write /a x
                G1 read /a
                A settarget 2 5
                A release 3
                A kill 4
                A introduce 6
                """).lines();
        assertEquals(Set.of(1, 2, 3, 4, 5, 6), GuestDomids.of(lines));
        assertEquals(Set.of(1), GuestDomids.untouched(lines));
    }
}
