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

    private static final String CASE = "/xscheck-sandbox-42/c000001";

    private static SandboxGuard guard(boolean malformed) {
        SandboxGuard g = new SandboxGuard("/xscheck-sandbox-42", malformed);
        g.allow(CASE);
        return g;
    }

    private final SandboxGuard guard = guard(false);

    @Test
    void rootIsNeverRemovedOrRePermissioned() {
        assertThrows(IllegalArgumentException.class, () -> guard.check(new Request.Rm("/")));
        assertThrows(IllegalArgumentException.class,
                () -> guard.check(new Request.SetPerms("/", List.of(Perm.none(0)))));
    }

    @Test
    void writesOutsideAClaimedCaseRootAreRefused() {
        for (Request r : List.of(new Request.Write("/local/domain/0/x", Bytes.latin1("v")),
                new Request.Mkdir("/xscheck-sandbox-4"), new Request.Mkdir("/xscheck-sandbox-421"),
                new Request.Rm("/tool"), new Request.Write("relative", Bytes.latin1("v")),
                new Request.SetPerms("/xscheck-sandbox", List.of(Perm.none(0))),
                new Request.Rm("/xscheck-sandbox-42"), new Request.Write("/xscheck-sandbox-42/c000002", Bytes.EMPTY),
                new Request.Mkdir("/xscheck-sandbox-42/c0000011"))) {
            assertThrows(IllegalArgumentException.class, () -> guard.check(r), r.toString());
        }
    }

    @Test
    void aRevokedCaseRootIsNoLongerWritable() {
        SandboxGuard g = guard(false);
        g.revoke(CASE);
        assertThrows(IllegalArgumentException.class, () -> g.check(new Request.Mkdir(CASE + "/a")));
    }

    @Test
    void onlyCaseRootsBelowTheSandboxCanBeAllowed() {
        assertThrows(IllegalArgumentException.class, () -> guard.allow("/local/domain/0"));
        assertThrows(IllegalArgumentException.class, () -> guard.allow("/xscheck-sandbox-42"));
        assertThrows(IllegalArgumentException.class, () -> guard.allow("/xscheck-sandbox-421/c1"));
    }

    @Test
    void domainAndControlRequestsAreRefused() {
        for (Request r : List.of(new Request.Introduce(1, 1, 1), new Request.Release(1), new Request.Resume(1),
                new Request.SetTarget(1, 2), new Request.Control(List.of("log", "on")),
                new Request.Raw(Op.RM.wire(), Bytes.latin1("/")))) {
            assertThrows(IllegalArgumentException.class, () -> guard(true).check(r), r.toString());
        }
    }

    @Test
    void malformedFramesOnlyWhenAsked() {
        Request raw = new Request.Raw(Op.READ.wire(), Bytes.latin1(CASE));
        assertThrows(IllegalArgumentException.class, () -> guard(false).check(raw));
        assertDoesNotThrow(() -> guard(true).check(raw));
        assertDoesNotThrow(() -> guard(true).check(new Request.Raw(999, Bytes.EMPTY)));
    }

    @Test
    void writesInsideAndAllReadsPass() {
        for (Request r : List.of(new Request.Write(CASE + "/a", Bytes.latin1("v")),
                new Request.Mkdir(CASE), new Request.Rm(CASE + "/a/b"),
                new Request.SetPerms(CASE + "/a", List.of(Perm.none(0))),
                new Request.Read("/"), new Request.Directory("/"), new Request.GetPerms("/"),
                new Request.Watch("/", "t"), new Request.TransactionStart(), new Request.TransactionEnd(false),
                new Request.IsDomainIntroduced(0), new Request.ResetWatches())) {
            assertDoesNotThrow(() -> guard.check(r), r.toString());
        }
    }
}
