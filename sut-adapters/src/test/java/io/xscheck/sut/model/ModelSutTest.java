package io.xscheck.sut.model;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.Capability;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process model target's own behaviour: domain death, events, restarts, closing, bad dialects. */
class ModelSutTest {

    @Test
    void killDomainFiresReleaseDomainAndDropsTheGuestsConnection() {
        try (ModelSut sut = ModelSut.start("cxenstored-4.17")) {
            assertEquals("cxenstored-4.17", sut.dialect());
            SutConnection dom0 = sut.openPrivileged();
            SutConnection guest = sut.openGuest(5);
            assertEquals(new Reply.Ok(), dom0.call(0, new Request.Watch("@releaseDomain", "r")));
            assertEquals(List.of(new WatchEvent("@releaseDomain", "r")), dom0.drainEvents());
            assertTrue(sut.state().connection(((ModelConnection) guest).name()).isPresent());
            sut.killDomain(5);
            assertEquals(List.of(new WatchEvent("@releaseDomain", "r")), dom0.drainEvents());
            assertFalse(sut.state().connection(((ModelConnection) guest).name()).isPresent(),
                    "the dead domain's connection is gone from the model");
        }
    }

    @Test
    void eventsForOtherConnectionsAreQueuedBeforeTheWritersReplyReturns() {
        try (ModelSut sut = ModelSut.start("spec")) {
            SutConnection watcher = sut.openPrivileged();
            SutConnection writer = sut.openPrivileged();
            watcher.call(0, new Request.Watch("/a", "t"));
            watcher.drainEvents();
            assertEquals(new Reply.Ok(), writer.call(0, new Request.Write("/a/b", Bytes.latin1("x"))));
            assertEquals(List.of(new WatchEvent("/a/b", "t")), watcher.drainEvents());
            assertEquals(List.of(), writer.drainEvents());
        }
    }

    @Test
    void restartsAreTheDialectsAndKeepTheStoreAsTheModelSays() {
        try (ModelSut c = ModelSut.start("cxenstored-4.17"); ModelSut qemu = ModelSut.start("qemu")) {
            assertTrue(c.capabilities().contains(Capability.LIVE_UPDATE));
            assertFalse(c.capabilities().contains(Capability.MIGRATE));
            assertTrue(qemu.capabilities().contains(Capability.MIGRATE));
            assertFalse(qemu.capabilities().contains(Capability.LIVE_UPDATE));

            SutConnection dom0 = c.openPrivileged();
            SutConnection guest = c.openGuest(1);
            dom0.call(0, new Request.Write("/kept", Bytes.latin1("v")));
            dom0.call(0, new Request.SetPerms("/kept", List.of(io.xscheck.protocol.Perm.none(0), io.xscheck.protocol.Perm.read(1))));
            guest.call(0, new Request.Watch("/kept", "w"));
            guest.drainEvents();
            assertEquals(new Reply.Text("OK"), c.liveUpdate(dom0, false));
            assertEquals(new Reply.Value(Bytes.latin1("v")), dom0.call(0, new Request.Read("/kept")));
            assertEquals(List.of(), guest.drainEvents(), "nothing fires for the restart itself");
            dom0.call(0, new Request.Write("/kept", Bytes.latin1("w")));
            assertEquals(List.of(new WatchEvent("/kept", "w")), guest.drainEvents(), "the watch fires as before");

            SutConnection qemuDom0 = qemu.openPrivileged();
            qemuDom0.call(0, new Request.Write("/kept", Bytes.latin1("v")));
            assertEquals(new Reply.Text("OK"), qemu.migrate(qemuDom0));
            assertEquals(new Reply.Value(Bytes.latin1("v")), qemuDom0.call(0, new Request.Read("/kept")));
            assertEquals(Reply.Error.of(io.xscheck.protocol.XsError.EINVAL),
                    dom0.call(0, new Request.Control(List.of("quota", "0"))),
                    "a daemon's own diagnostics: the model target has none");
        }
    }

    @Test
    void closedConnectionsAndTargetsRefuseWork() throws Exception {
        ModelSut sut = ModelSut.start("qemu");
        SutConnection c = sut.openPrivileged();
        c.close();
        assertThrows(SutException.class, () -> c.call(0, new Request.Read("/")));
        assertTrue(c.send(0, new Request.Read("/")).isCompletedExceptionally());
        sut.close();
        sut.close();
        assertFalse(sut.health().isAlive());
        assertThrows(SutException.class, sut::openPrivileged);
        SutException e = assertThrows(SutException.class, () -> ModelSut.start("nonesuch"));
        assertEquals(SutException.Kind.ENVIRONMENT, e.kind());
    }
}
