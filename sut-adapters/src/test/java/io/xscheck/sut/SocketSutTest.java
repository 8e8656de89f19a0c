package io.xscheck.sut;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.fakexen.XenDaemon;
import io.xscheck.sut.fakexen.XenDaemonSut;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** An external daemon by socket path: sandboxed writes, guessed dialect, cleanup on close. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SocketSutTest {

    static List<XenDaemon> daemons() {
        return XenDaemon.values();
    }

    private static void requireInstalled(XenDaemon d) {
        if (!d.isInstalled()) {
            if (System.getenv("CI") != null) {
                fail(d.binary() + " is missing; CI must run the real daemons");
            }
            Assumptions.abort(d.binary() + " is missing");
        }
    }

    @ParameterizedTest
    @MethodSource("daemons")
    void anExternalDaemonIsConfinedToItsSandbox(XenDaemon daemon) {
        requireInstalled(daemon);
        try (XenDaemonSut owner = XenDaemonSut.start(daemon, SutOptions.defaults());
             SutConnection ownerConn = owner.openPrivileged()) {
            Path socket = owner.directory().resolve("socket");
            String sandbox;
            try (Sut external = Suts.open(Suts.SOCKET_PREFIX + socket, SutOptions.defaults())) {
                assertEquals("socket:" + socket, external.name());
                assertEquals(daemon.dialect(), external.dialect(), "dialect from the socket's owner process");
                assertTrue(((SocketSut) external).identity().evidence().contains(daemon.binary().toString()),
                        ((SocketSut) external).identity().toString());
                assertTrue(external.version().contains("4.17"), external.version());
                assertFalse(external.supportsGuests());
                assertTrue(external.capabilities().isEmpty(), external.capabilities().toString());
                assertTrue(external.health().isAlive());
                sandbox = external.sandboxRoot();
                assertTrue(sandbox.matches("/xscheck-sandbox-\\d{7}-\\d{6}"), sandbox);
                assertEquals(new Reply.Perms(List.of(Perm.none(0))), ownerConn.call(0, new Request.GetPerms(sandbox)),
                        "the sandbox is dom0's and nobody else may read it");
                String caseRoot = external.claimCaseRoot();
                assertTrue(caseRoot.matches(sandbox + "/c\\d{6}"), caseRoot);
                try (SutConnection c = external.openPrivileged()) {
                    assertThrows(IllegalArgumentException.class, () -> c.call(0, new Request.Write(sandbox + "/a",
                            Bytes.latin1("1"))), "the sandbox itself is not a case root");
                    assertEquals(new Reply.Ok(), c.call(0, new Request.Write(caseRoot + "/a", Bytes.latin1("1"))));
                    assertThrows(IllegalArgumentException.class, () -> c.call(0, new Request.Rm("/")));
                    assertThrows(IllegalArgumentException.class,
                            () -> c.send(0, new Request.Write("/outside", Bytes.latin1("1"))));
                    assertThrows(IllegalArgumentException.class, () -> c.call(0, new Request.Release(0)));
                    assertThrows(IllegalArgumentException.class,
                            () -> c.call(0, new Request.Raw(Op.READ.wire(), Bytes.latin1(caseRoot))));
                    assertEquals(new Reply.Error("ENOENT"), c.call(0, new Request.Read("/outside")),
                            "the refused write never reached the daemon");
                }
                assertFalse(external.reset(java.util.Set.of()), "a case root left in the sandbox fails the reset");
                external.releaseCaseRoot(caseRoot);
                assertEquals(new Reply.Error("ENOENT"), ownerConn.call(0, new Request.Read(caseRoot)));
                assertTrue(external.reset(java.util.Set.of()), "an empty sandbox is ready for the next case");
                assertThrows(UnsupportedOperationException.class, () -> external.openGuest(1));
                assertThrows(UnsupportedOperationException.class, () -> external.killDomain(1));
            }
            assertEquals(new Reply.Error("ENOENT"), ownerConn.call(0, new Request.Read(sandbox)),
                    "closing removes the sandbox");
            assertTrue(ownerConn.call(0, new Request.Directory("/")) instanceof Reply.Names);
        }
    }

    @Test
    void aKilledRunsSandboxIsSweptAndALiveOnesIsKept() {
        requireInstalled(XenDaemon.CXENSTORED);
        try (XenDaemonSut owner = XenDaemonSut.start(XenDaemon.CXENSTORED, SutOptions.defaults());
             SutConnection c = owner.openPrivileged()) {
            long dead = ProcessHandle.current().pid();
            while (ProcessHandle.of(++dead).isPresent()) {
                // find a process id nobody runs
            }
            String stale = String.format("/xscheck-sandbox-%07d-000001", dead % 10_000_000L);
            String live = String.format("/xscheck-sandbox-%07d-000002", ProcessHandle.current().pid());
            String notOurs = "/xscheck-sandbox-notours";
            for (String p : List.of(stale + "/c000001/x", live + "/c000001/x", notOurs)) {
                assertEquals(new Reply.Ok(), c.call(0, new Request.Write(p, Bytes.latin1("1"))));
            }
            try (Sut external = Suts.open(Suts.SOCKET_PREFIX + owner.directory().resolve("socket"), SutOptions.defaults())) {
                assertEquals(new Reply.Error("ENOENT"), c.call(0, new Request.Read(stale)), "a dead run's sandbox goes");
                assertTrue(c.call(0, new Request.Read(live + "/c000001/x")) instanceof Reply.Value, "a live run's stays");
                assertTrue(c.call(0, new Request.Read(notOurs)) instanceof Reply.Value, "other names are not ours");
            }
        }
    }

    @Test
    void badSpecsAreEnvironmentErrors() {
        SutException missing = assertThrows(SutException.class,
                () -> Suts.open("socket:/nonexistent/xscheck.sock", SutOptions.defaults()));
        assertEquals(SutException.Kind.ENVIRONMENT, missing.kind());
        SutException unknown = assertThrows(SutException.class, () -> Suts.open("no-such-target", SutOptions.defaults()));
        assertEquals(SutException.Kind.ENVIRONMENT, unknown.kind());
        assertTrue(unknown.getMessage().contains("cxenstored"), unknown.getMessage());
    }

    @Test
    void installedListsTheDaemonsPresentHere() {
        for (XenDaemon d : XenDaemon.values()) {
            assertEquals(d.isInstalled(), Suts.installed().contains(d.targetName()), d.targetName());
            assertTrue(Suts.known().contains(d.targetName()));
        }
        if (System.getenv("CI") != null) {
            assertTrue(Suts.installed().containsAll(List.of("cxenstored", "oxenstored")), Suts.installed().toString());
        }
    }

    @ParameterizedTest
    @MethodSource("daemons")
    void theRegistryStartsEachDaemonWithItsVersionAndDialect(XenDaemon daemon) {
        requireInstalled(daemon);
        try (Sut sut = Suts.open(daemon.targetName(), SutOptions.defaults())) {
            assertEquals(daemon.targetName(), sut.name());
            assertEquals(daemon.dialect(), sut.dialect());
            assertTrue(sut.version().matches("\\d+\\.\\d+\\..*"), sut.version());
            assertEquals("/", sut.sandboxRoot());
            assertTrue(sut.supportsGuests());
            assertEquals(Health.alive(), sut.health());
        }
    }
}
