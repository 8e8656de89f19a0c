package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Frame;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.WireConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the daemons log reaches the log tail, and never the host's log. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class DaemonLogTest {

    private final Closer open = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        open.close();
    }

    @Test
    void cXenstoredSyslogMessagesAreInTheLogTail() throws Exception {
        XenDaemonSut sut = open.add(Daemons.start(XenDaemon.CXENSTORED));
        SutConnection dom0 = open.add(sut.openPrivileged());
        // An announced payload over XENSTORE_PAYLOAD_MAX: C xenstored logs it and drops the client.
        Frame oversized = new Frame(Op.READ.wire(), 77, 0, Bytes.of(new byte[5000]));
        CompletableFuture<Frame> reply = ((WireConnection) dom0).client().sendRaw(oversized);
        assertThrows(Exception.class, () -> reply.get(5, TimeUnit.SECONDS));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!sut.logTail(20).contains("Client tried to feed us") && System.nanoTime() < deadline) {
            Daemons.sleepMillis(10);
        }
        assertTrue(sut.logTail(20).contains("== syslog.log ==\n"), sut.logTail(20));
        assertTrue(sut.logTail(20).contains("Client tried to feed us 5000"), sut.logTail(20));
        assertTrue(sut.health().isAlive(), "only the client is dropped");
    }

    @Test
    void oxenstoredLogsAreInTheLogTail() {
        XenDaemonSut sut = open.add(Daemons.start(XenDaemon.OXENSTORED));
        SutConnection dom0 = open.add(sut.openPrivileged());
        assertEquals(new Reply.Ok(), dom0.call(0, write("/logged", "1")));
        assertEquals(new Reply.Error("ENOENT"), dom0.call(0, new Request.Read("/missing")));
        String tail = sut.logTail(50);
        assertTrue(tail.contains("== access.log ==") && tail.contains("/logged"), tail);
    }
}
