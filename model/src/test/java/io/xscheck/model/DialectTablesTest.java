package io.xscheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.xscheck.protocol.XsError;
import org.junit.jupiter.api.Test;

/** The knob tables: a row per dialect in every room, and the 4.20 rows differ from 4.17 only where docs/versions.md says. */
class DialectTablesTest {

    @Test
    void everyDialectHasARowInEveryRoom() {
        for (String name : Dialect.names()) {
            Dialect d = Dialect.named(name);
            assertEquals(name, d.name());
        }
        assertThrows(IllegalArgumentException.class, () -> PathKnobs.of("xenstored-3"));
    }

    @Test
    void cxenstored420DiffersFrom417InPathsSetPermsWatchesAndRequestsOnly() {
        Dialect c417 = Dialect.named(Dialect.CXENSTORED);
        Dialect c420 = Dialect.named(Dialect.CXENSTORED_420);
        assertEquals(c417.initialNodes(), c420.initialNodes());
        assertEquals(c417.acls(), c420.acls());
        assertEquals(c417.tree(), c420.tree());
        assertEquals(c417.transactions(), c420.transactions());
        assertEquals(c417.domains(), c420.domains());
        assertEquals(c417.quotas(), c420.quotas());
        // the restart rows differ in C's own accounting only (probe live-update-quota.txt)
        assertEquals(34, c417.restartKnobs().dom0MemoryGrowthAtFirstRestart());
        assertEquals(26, c420.restartKnobs().dom0MemoryGrowthAtFirstRestart());
        assertEquals(c417.restartKnobs().liveUpdate(), c420.restartKnobs().liveUpdate());
        assertEquals(c417.restartKnobs().afterRestart(), c420.restartKnobs().afterRestart());
        assertEquals(new PathKnobs(false, PathKnobs.PathLengthRule.AFTER_DOMAIN_PREFIX, 2048, 2048, XsError.EINVAL,
                true, false, false, true), c420.paths());
        assertNotEquals(c417.setPerms(), c420.setPerms());
        assertNotEquals(c417.watches(), c420.watches());
        assertNotEquals(c417.requests(), c420.requests());
    }

    @Test
    void oxenstored420DiffersFrom417InTheExecutablePathAndControlCompactOnly() {
        Dialect o417 = Dialect.named(Dialect.OXENSTORED);
        Dialect o420 = Dialect.named(Dialect.OXENSTORED_420);
        assertEquals(o417.withExecutablePath(o420.initialNodes().get(Dialect.TOOL_XENSTORED)).initialNodes(), o420.initialNodes());
        for (var pair : java.util.List.of(
                java.util.List.of(o417.paths(), o420.paths()), java.util.List.of(o417.acls(), o420.acls()),
                java.util.List.of(o417.setPerms(), o420.setPerms()), java.util.List.of(o417.tree(), o420.tree()),
                java.util.List.of(o417.watches(), o420.watches()), java.util.List.of(o417.transactions(), o420.transactions()),
                java.util.List.of(o417.domains(), o420.domains()))) {
            assertEquals(pair.get(0), pair.get(1));
        }
        assertEquals(new RequestKnobs(false, false, true, true, true), o420.requests());
        assertEquals(new RequestKnobs(false, false, true, true, false), o417.requests());
    }

    @Test
    void formerDoubleDutyKnobsAreOneKnobEach() {
        Dialect o = Dialect.named(Dialect.OXENSTORED);
        Dialect c = Dialect.named(Dialect.CXENSTORED);
        // MKDIR / unchecked and SET_PERMS / without ownership: both oxenstored's, now two columns.
        assertEquals(true, o.tree().mkdirOfRootUnchecked());
        assertEquals(true, o.setPerms().rootSetPermsNeedsNoOwnership());
        assertEquals(false, c.setPerms().rootSetPermsNeedsNoOwnership());
        // RELEASE of an unknown domain resets it; RESUME of one is EINVAL: two columns.
        assertEquals(true, o.domains().releaseOfUnknownDomainResetsIt());
        assertEquals(XsError.EINVAL, o.domains().resumeOfUnknownDomainError());
        assertEquals(XsError.ENOENT, c.domains().resumeOfUnknownDomainError());
    }
}
