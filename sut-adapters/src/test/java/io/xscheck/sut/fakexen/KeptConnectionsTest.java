package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.TreeImage;
import io.xscheck.sut.TreeRestorer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Set;

import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The connections and guest domains a reset keeps for the next test case start it as fresh ones
 * would: no watch fires for them, no transaction of the last case is open, no event of the last
 * case is queued, and a domain the case released is introduced anew.
 */
class KeptConnectionsTest {
    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    /**
     * What a kept connection does not start again: its transaction ids. Both daemons count per connection, and
     * neither RESET_WATCHES nor the reset starts the count at 1; the lent connection says where it goes on, and a
     * live update, which does start it again, brings it back to 1.
     */
    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void aKeptConnectionSaysWhichTransactionIdComesNext(XenDaemon daemon) {
        XenDaemonSut sut = Daemons.start(daemon);
        open.add(sut);
        SutConnection dom0 = sut.openCasePrivileged();
        assertEquals(1, dom0.nextTransactionId(), "a new connection");
        for (int i = 0; i < 3; i++) {
            long tx = ((Reply.TransactionId) dom0.call(0, new Request.TransactionStart())).id();
            assertEquals(new Reply.Ok(), dom0.call((int) tx, new Request.TransactionEnd(false)));
        }
        long sent = ((Reply.TransactionId) dom0.send(0, new Request.TransactionStart()).join()).id();
        dom0.close();
        assertTrue(sut.reset(Set.of()), "reset");

        SutConnection again = sut.openCasePrivileged();
        assertEquals(sent + 1, again.nextTransactionId());
        assertEquals(new Reply.TransactionId(sent + 1), again.call(0, new Request.TransactionStart()),
                "the daemon's count went on past the reset");
        assertEquals(sent + 2, again.nextTransactionId());
        again.call((int) sent + 1, new Request.TransactionEnd(false));
        assertTrue(io.xscheck.sut.RestartAnswer.wentAhead(sut.liveUpdate(again, false)));
        assertEquals(1, again.nextTransactionId(), "a live update numbers from 1 again");
        assertEquals(new Reply.TransactionId(1), again.call(0, new Request.TransactionStart()));
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void aKeptConnectionStartsTheNextCaseWithoutWatchesTransactionsOrEvents(XenDaemon daemon) {
        XenDaemonSut sut = Daemons.start(daemon);
        open.add(sut);
        TreeImage fresh = TreeImage.read(sut.openInspector(), "/", TreeRestorer.MAX_NODES);

        SutConnection dom0 = sut.openCasePrivileged();
        SutConnection guest = sut.openCaseGuest(1);
        assertEquals(new Reply.Ok(), dom0.call(0, new Request.Watch("/a", "t")));
        assertEquals(new Reply.Ok(), guest.call(0, new Request.Watch("@releaseDomain", "g")));
        long tx = ((Reply.TransactionId) dom0.call(0, new Request.TransactionStart())).id();
        assertEquals(new Reply.Ok(), dom0.call(0, write("/a", "x")));
        dom0.close();
        guest.close();

        assertTrue(sut.reset(Set.of(1), Set.of(1)), "reset");

        SutConnection again = sut.openCasePrivileged();
        SutConnection guestAgain = sut.openCaseGuest(1);
        assertEquals(List.of(), again.drainEvents(), "the last case's events are gone");
        assertTrue(again.call((int) tx, new Request.Read("/")) instanceof Reply.Error, "the last case's transaction is gone");
        try (SutConnection other = sut.openPrivileged()) {
            assertEquals(new Reply.Ok(), other.call(0, write("/a", "y")));
            assertEquals(new Reply.Ok(), other.call(0, new Request.Introduce(3, 0x1003, 13)));
            assertEquals(new Reply.Ok(), other.call(0, new Request.Release(3)));
        }
        // A request on each after the writes: any event they fired would have come before its reply.
        assertEquals(new Reply.Text("T"), again.call(0, new Request.IsDomainIntroduced(1)), "dom1 stayed introduced");
        assertTrue(guestAgain.call(0, new Request.Read("/tool")) instanceof Reply.Error, "dom1 still answers, as a guest");
        List<WatchEvent> none = List.of();
        assertEquals(none, again.drainEvents(), "no watch of the last case fires");
        assertEquals(none, guestAgain.drainEvents(), "no guest watch of the last case fires");
        again.close();
        guestAgain.close();
        assertTrue(sut.reset(Set.of(1, 3), Set.of(1)), "second reset");
        assertEquals(fresh, TreeImage.read(sut.openInspector(), "/", TreeRestorer.MAX_NODES));
    }

    /**
     * oxenstored leaves a released domain's event channel bound (only a dying domain's is
     * unbound), so a re-introduced domain may get a free port below its stale one: its kicks
     * must reach the new port. Ports here: dom2 3, dom1 4; dom2 dies (3 is free), dom1 is
     * released (4 stays bound on oxenstored), dom1 comes back on 3.
     */
    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void aGuestReleasedAndIntroducedAgainBelowItsStalePortAnswers(XenDaemon daemon) {
        XenDaemonSut sut = Daemons.start(daemon);
        open.add(sut);
        SutConnection dom0 = sut.openCasePrivileged();
        SutConnection g2 = sut.openCaseGuest(2);
        SutConnection g1 = sut.openCaseGuest(1);
        sut.killDomain(2);
        assertEquals(new Reply.Ok(), dom0.call(0, new Request.Release(1)));
        dom0.close();
        g1.close();
        g2.close();
        assertTrue(sut.reset(Set.of(1, 2), Set.of()), "reset");

        try (SutConnection guest = sut.openCaseGuest(1)) {
            assertTrue(guest.call(0, new Request.Read("/tool"), java.time.Duration.ofSeconds(2)) instanceof Reply.Error,
                    "the re-introduced dom1 answers");
        }
    }

    /** A guest the reset released is introduced again by the next case's readying, without a question first. */
    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void aGuestTheResetReleasedIsIntroducedAgainWhenTheNextCaseReadiesIt(XenDaemon daemon) {
        XenDaemonSut sut = Daemons.start(daemon);
        open.add(sut);
        sut.prepareCaseGuests(Set.of(2));
        SutConnection g2 = sut.openCaseGuest(2);
        assertTrue(g2.call(0, new Request.Read("/tool")) instanceof Reply.Error, "dom2 answers as a guest");
        g2.close();
        assertTrue(sut.reset(Set.of(2), Set.of()), "reset releasing dom2");
        try (SutConnection dom0 = sut.openPrivileged()) {
            assertEquals(new Reply.Text("F"), dom0.call(0, new Request.IsDomainIntroduced(2)), "released");
            sut.prepareCaseGuests(Set.of(2));
            assertEquals(new Reply.Text("T"), dom0.call(0, new Request.IsDomainIntroduced(2)), "introduced again");
        }
        try (SutConnection again = sut.openCaseGuest(2)) {
            assertTrue(again.call(0, new Request.Read("/tool"), java.time.Duration.ofSeconds(2)) instanceof Reply.Error,
                    "dom2 answers as a guest again");
        }
    }

    /** Guests readied together (their introductions in one round trip) answer as guests opened one by one. */
    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void guestsReadiedTogetherAreIntroducedAndAnswer(XenDaemon daemon) {
        XenDaemonSut sut = Daemons.start(daemon);
        open.add(sut);
        SutConnection kept = sut.openCaseGuest(1);
        kept.close();
        assertTrue(sut.reset(Set.of(1), Set.of(1)), "reset keeping dom1");

        sut.prepareCaseGuests(Set.of(1, 2));
        try (SutConnection g1 = sut.openCaseGuest(1); SutConnection g2 = sut.openCaseGuest(2);
             SutConnection dom0 = sut.openPrivileged()) {
            for (int domid : List.of(1, 2)) {
                assertEquals(new Reply.Text("T"), dom0.call(0, new Request.IsDomainIntroduced(domid)), "dom" + domid);
            }
            assertTrue(g1.call(0, new Request.Read("/tool")) instanceof Reply.Error, "dom1 answers as a guest");
            assertTrue(g2.call(0, new Request.Read("/tool")) instanceof Reply.Error, "dom2 answers as a guest");
        }
    }
}
