package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscheck.protocol.WatchEvent;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

/** How far two sets of events are apart, by which an events divergence picks the outcome it is told against. */
class EventsApartTest {
    private static final WatchEvent DOM0 = new WatchEvent("/local/domain/2", "t3");
    private static final WatchEvent GUEST = new WatchEvent("/local/domain/2", "tg");

    @Test
    void countsWhatEachSideHasAndTheOtherLacksPerConnection() {
        Map<String, List<WatchEvent>> target = Map.of("G2", List.of(GUEST));
        // gate seed 79104: one walk order fires dom0's watch, the other the guest's only
        assertEquals(2, Lockstep.eventsApart(Map.of("A", List.of(DOM0)), target));
        assertEquals(1, Lockstep.eventsApart(Map.of(), target));
        assertEquals(0, Lockstep.eventsApart(Map.of("G2", List.of(GUEST)), target));
    }

    @Test
    void aRepeatedEventCountsAsOften() {
        assertEquals(1, Lockstep.eventsApart(Map.of("A", List.of(DOM0, DOM0)), Map.of("A", List.of(DOM0))));
        // the same event on another connection is not the same delivery
        assertEquals(2, Lockstep.eventsApart(Map.of("A", List.of(DOM0)), Map.of("B", List.of(DOM0))));
    }
}
