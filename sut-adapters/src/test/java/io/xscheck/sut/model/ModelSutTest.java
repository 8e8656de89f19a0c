package io.xscheck.sut.model;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The in-process model target's own behaviour: domain death, events, closing, bad dialects. */
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
