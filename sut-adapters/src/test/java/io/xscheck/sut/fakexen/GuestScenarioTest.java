package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static io.xscheck.sut.fakexen.Daemons.awaitEvents;
import static io.xscheck.sut.fakexen.Daemons.value;
import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A guest's life on each daemon, check by check: introduce, guest reads and writes over its
 * ring with the guest's rights, a watch fired through the ring, @releaseDomain on shutdown and on
 * death with the dead guest's nodes removed, re-introduce and XS_RELEASE. The checks run in order
 * on one daemon; each is reported on its own.
 */
class GuestScenarioTest {

    private static final int DOM = 2;
    private static final Duration EVENT_WAIT = Duration.ofSeconds(3);
    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    @TestFactory
    Stream<DynamicNode> cxenstored() {
        return scenario(XenDaemon.CXENSTORED);
    }

    @TestFactory
    Stream<DynamicNode> oxenstored() {
        return scenario(XenDaemon.OXENSTORED);
    }

    private Stream<DynamicNode> scenario(XenDaemon daemon) {
        XenDaemonSut sut = Daemons.start(daemon);
        open.add(sut);
        SutConnection dom0 = sut.openPrivileged();
        open.add(dom0);
        SutConnection watcher = sut.openPrivileged();
        open.add(watcher);
        String home = "/local/domain/" + DOM;
        SutConnection[] guest = new SutConnection[1];
        List<WatchEvent> releases = new ArrayList<>();

        sut.prepareDomain(DOM);
        ok(dom0.call(0, write("/local/domain/0/secret", "s3cr3t")));
        ok(dom0.call(0, new Request.Mkdir(home)));
        ok(dom0.call(0, new Request.SetPerms(home, List.of(Perm.none(DOM)))));

        List<DynamicNode> checks = new ArrayList<>();
        checks.add(check("introduce", () ->
                assertEquals(new Reply.Ok(), dom0.call(0, new Request.Introduce(DOM, XenDaemonSut.mfnOf(DOM), 9)))));
        checks.add(check("is-introduced", () ->
                assertEquals(new Reply.Text("T"), dom0.call(0, new Request.IsDomainIntroduced(DOM)))));
        checks.add(check("domu-write-abs", () -> {
            guest[0] = sut.openGuest(DOM);
            open.add(guest[0]);
            assertEquals(new Reply.Ok(), guest[0].call(0, write(home + "/x", "hello")));
        }));
        checks.add(check("domu-read-rel", () -> assertEquals(value("hello"), guest[0].call(0, new Request.Read("x")))));
        checks.add(check("dom0-sees-it", () -> assertEquals(value("hello"), dom0.call(0, new Request.Read(home + "/x")))));
        checks.add(check("owner", () ->
                assertEquals(new Reply.Perms(List.of(Perm.none(DOM))), dom0.call(0, new Request.GetPerms(home + "/x")))));
        checks.add(check("domu-read-dom0-node", () ->
                assertEquals(new Reply.Error("EACCES"), guest[0].call(0, new Request.Read("/local/domain/0/secret")))));
        checks.add(check("domu-write-dom0-node", () ->
                assertEquals(new Reply.Error("EACCES"), guest[0].call(0, write("/local/domain/0/evil", "x")))));
        checks.add(check("domu-getdomainpath", () ->
                assertEquals(new Reply.Text(home), guest[0].call(0, new Request.GetDomainPath(DOM)))));
        checks.add(check("domu-introduce-denied", () ->
                assertEquals(new Reply.Error("EACCES"), guest[0].call(0, new Request.Introduce(5, 1, 1)))));
        checks.add(check("domu-watch-event", () -> {
            ok(guest[0].call(0, new Request.Watch("w", "tokw")));
            List<WatchEvent> initial = awaitEvents(guest[0], 1, EVENT_WAIT);
            assertEquals(List.of(new WatchEvent("w", "tokw")), initial, "the event every new watch fires");
            ok(dom0.call(0, write(home + "/w", "value")));
            assertEquals(List.of(new WatchEvent("w", "tokw")), awaitEvents(guest[0], 1, EVENT_WAIT));
        }));
        checks.add(check("shutdown-keeps-domain", () -> {
            ok(watcher.call(0, new Request.Watch("@releaseDomain", "rel")));
            releases.addAll(awaitEvents(watcher, 1, EVENT_WAIT));
            sut.setDomainState(DOM, "shutdown 0");
            sut.fireDomainException();
            releases.addAll(awaitEvents(watcher, 1, EVENT_WAIT));
            assertEquals(new Reply.Text("T"), dom0.call(0, new Request.IsDomainIntroduced(DOM)));
        }));
        checks.add(check("dying-releases-domain", () -> {
            sut.killDomain(DOM); // marks it dying, fires the VIRQ, waits until it is released
            assertEquals(new Reply.Text("F"), dom0.call(0, new Request.IsDomainIntroduced(DOM)));
        }));
        checks.add(check("orphans-removed", () ->
                assertEquals(new Reply.Error("ENOENT"), dom0.call(0, new Request.Read(home + "/x")))));
        checks.add(check("releaseDomain-events", () -> {
            releases.addAll(awaitEvents(watcher, 1, EVENT_WAIT));
            long n = releases.stream().filter(e -> e.equals(new WatchEvent("@releaseDomain", "rel"))).count();
            assertTrue(n >= 3, "initial, shutdown and death events expected, got " + releases);
        }));
        checks.add(check("reintroduce-works", () -> {
            sut.prepareDomain(DOM);
            ok(dom0.call(0, new Request.Mkdir(home)));
            ok(dom0.call(0, new Request.SetPerms(home, List.of(Perm.none(DOM)))));
            ok(dom0.call(0, new Request.Introduce(DOM, XenDaemonSut.mfnOf(DOM), 9)));
            guest[0] = sut.openGuest(DOM);
            open.add(guest[0]);
            assertEquals(new Reply.Ok(), guest[0].call(0, write("y", "1")));
        }));
        checks.add(check("release", () -> assertEquals(new Reply.Ok(), dom0.call(0, new Request.Release(DOM)))));
        checks.add(check("released", () ->
                assertEquals(new Reply.Text("F"), dom0.call(0, new Request.IsDomainIntroduced(DOM)))));
        assertEquals(18, checks.size());
        return checks.stream();
    }

    private static DynamicTest check(String name, Executable body) {
        return DynamicTest.dynamicTest(name, body);
    }

    private static void ok(Reply r) {
        assertEquals(new Reply.Ok(), r);
    }
}
