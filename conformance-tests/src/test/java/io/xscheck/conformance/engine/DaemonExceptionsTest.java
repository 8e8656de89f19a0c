package io.xscheck.conformance.engine;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A divergence in a case where oxenstored caught an exception is named after the exception, not the symptom. */
class DaemonExceptionsTest {

    // oxenstored 4.17.7's log after `A kill 2` of a domain that had just caused a transaction conflict
    private static final String LOG = String.join("\n",
            "== output.log ==",
            "Xen Storage Daemon, version 1.0",
            "== xenstored.log ==",
            "Xen Storage Daemon, version 1.0",
            "[20261201T23:19:13.409Z|error|xenstored] caught exception Invalid_argument(\"compare: abstract value\"): "
                    + "Raised by primitive operation at Domains.remove_from_queue.(fun) in file \"domains.ml\", line 90, characters 17-22",
            "Called from Stdlib__Queue.iter.iter in file \"queue.ml\", line 121, characters 6-15",
            "Called from Domains.cleanup.(fun) in file \"domains.ml\", line 117, characters 3-56",
            "Called from Stdlib__List.iter in file \"list.ml\", line 110, characters 12-15",
            "",
            "== access.log ==",
            "[20261201T23:19:13.400Z]  A3.1         error     EAGAIN ");

    @Test
    void anExceptionCaughtDuringTheCaseNamesTheDivergence() {
        Divergence symptom = new Divergence("events", "events:kill:Domains.death:dom0 missing at watch@special", 7,
                "A kill 2", "[A <- @releaseDomain t]", "{A=[]}", "Domains.death");
        Divergence named = DaemonExceptions.named(symptom, LOG, Instant.parse("2026-12-01T23:19:13.200Z"));
        assertEquals("exception", named.category());
        assertEquals("exception:Invalid_argument(\"compare: abstract value\") at Domains.remove_from_queue from Domains.cleanup",
                named.signature());
        assertEquals(7, named.stepIndex());
    }

    @Test
    void anExceptionFromBeforeTheCaseIsNotThisCasesCause() {
        assertEquals(Optional.empty(), DaemonExceptions.first(LOG, Instant.parse("2026-12-01T23:19:14.000Z")));
    }

    @Test
    void aLogWithoutCaughtExceptionsLeavesTheDivergenceAsItWas() {
        Divergence symptom = new Divergence("tree", "tree:perms:local", 9, "(end of trace)", "r0 b0 w1", "r0 b0 w2 w1", "x");
        assertEquals(symptom, DaemonExceptions.named(symptom, "== xenstored.log ==\nXen Storage Daemon, version 1.0",
                Instant.EPOCH));
    }
}
