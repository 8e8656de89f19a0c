package io.xscheck.sut;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Request;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SandboxGuardTest {

    private final SandboxGuard guard = new SandboxGuard("/xscheck-sandbox-42");

    @Test
    void rootIsNeverRemovedOrRePermissioned() {
        assertThrows(IllegalArgumentException.class, () -> guard.check(new Request.Rm("/")));
        assertThrows(IllegalArgumentException.class,
                () -> guard.check(new Request.SetPerms("/", List.of(Perm.none(0)))));
    }

    @Test
    void writesOutsideTheSandboxAreRefused() {
        for (Request r : List.of(new Request.Write("/local/domain/0/x", Bytes.latin1("v")),
                new Request.Mkdir("/xscheck-sandbox-4"), new Request.Mkdir("/xscheck-sandbox-421"),
                new Request.Rm("/tool"), new Request.Write("relative", Bytes.latin1("v")),
                new Request.SetPerms("/xscheck-sandbox", List.of(Perm.none(0))))) {
            assertThrows(IllegalArgumentException.class, () -> guard.check(r), r.toString());
        }
    }

    @Test
    void domainAndControlRequestsAreRefused() {
        for (Request r : List.of(new Request.Introduce(1, 1, 1), new Request.Release(1), new Request.Resume(1),
                new Request.SetTarget(1, 2), new Request.Control(List.of("log", "on")), new Request.ResetWatches(),
                new Request.Raw(Op.RM.wire(), Bytes.latin1("/")))) {
            assertThrows(IllegalArgumentException.class, () -> guard.check(r), r.toString());
        }
    }

    @Test
    void writesInsideAndAllReadsPass() {
        for (Request r : List.of(new Request.Write("/xscheck-sandbox-42/a", Bytes.latin1("v")),
                new Request.Mkdir("/xscheck-sandbox-42"), new Request.Rm("/xscheck-sandbox-42/a/b"),
                new Request.SetPerms("/xscheck-sandbox-42/a", List.of(Perm.none(0))),
                new Request.Read("/"), new Request.Directory("/"), new Request.GetPerms("/"),
                new Request.Watch("/", "t"), new Request.TransactionStart(), new Request.TransactionEnd(false),
                new Request.IsDomainIntroduced(0), new Request.Raw(999, Bytes.EMPTY))) {
            assertDoesNotThrow(() -> guard.check(r), r.toString());
        }
    }
}
