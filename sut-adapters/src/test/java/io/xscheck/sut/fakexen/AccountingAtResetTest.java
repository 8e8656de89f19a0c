package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.AccountingAtReset;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.TreeImage;
import io.xscheck.sut.TreeRestorer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A reset puts the tree back, not what a daemon counts beside it. oxenstored's dom0 entries count loses one more
 * entry to an RM of {@code /} than the restore of the same nodes gives back, so after such a case a reset daemon
 * reports one entry fewer than a fresh one for the same tree, and its next live update, which counts the entries
 * anew from the tree, reports the fresh figure again. The adapter reports both figures; C's stay as they were.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AccountingAtResetTest {
    private static final Request DOM0 = new Request.Control(List.of("quota", "0"));

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void anRmOfTheRootLeavesOxenstoredsCountOneShortUntilALiveUpdateCountsAgain(XenDaemon daemon) {
        try (XenDaemonSut sut = Daemons.start(daemon)) {
            assertEquals(Optional.empty(), sut.accountingAtReset(), "a fresh daemon was never reset");
            try (SutConnection a = sut.openPrivileged()) {
                a.call(0, new Request.Rm("/")); // C refuses it, oxenstored removes every node below /
            }
            assertTrue(sut.reset(Set.of()), sut.logTail(20));
            AccountingAtReset seen = sut.accountingAtReset().orElseThrow();
            try (SutConnection a = sut.openPrivileged()) {
                assertEquals(treeCount(daemon, seen.afterReset()), treeCount(daemon, a.call(0, DOM0)),
                        "the figure the reset reported is the daemon's");
                if (daemon.kind() == DaemonKind.OXENSTORED) {
                    assertEquals(entries(seen.fresh()) - 1, entries(seen.afterReset()), seen.toString());
                    assertTrue(io.xscheck.sut.RestartAnswer.wentAhead(sut.liveUpdate(a, false)));
                    assertEquals(seen.fresh(), a.call(0, DOM0), "the live update counted the entries anew");
                } else {
                    assertEquals(nodes(seen.fresh()), nodes(seen.afterReset()), seen.toString());
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("io.xscheck.sut.fakexen.Daemons#everyVersion")
    void nodesMadeAndRemovedBelowTheRootLeaveTheCountAsFresh(XenDaemon daemon) {
        try (XenDaemonSut sut = Daemons.start(daemon)) {
            TreeImage fresh;
            try (SutConnection a = sut.openPrivileged()) {
                fresh = TreeImage.read(a, "/", TreeRestorer.MAX_NODES);
                assertEquals(new Reply.Ok(), a.call(0, write("/x/y/z", "v")));
                assertEquals(new Reply.Ok(), a.call(0, new Request.Mkdir("/local/m/n")));
            }
            assertTrue(sut.reset(Set.of()), sut.logTail(20));
            AccountingAtReset seen = sut.accountingAtReset().orElseThrow();
            assertEquals(treeCount(daemon, seen.fresh()), treeCount(daemon, seen.afterReset()), seen.toString());
            try (SutConnection a = sut.openPrivileged()) {
                assertEquals(fresh, TreeImage.read(a, "/", TreeRestorer.MAX_NODES));
            }
        }
    }

    /** The figure that counts the tree's nodes: oxenstored's entries, C's nodes. */
    private static long treeCount(XenDaemon daemon, Reply r) {
        return daemon.kind() == DaemonKind.OXENSTORED ? entries(r) : nodes(r);
    }

    /** oxenstored's "dom0 quota: 5/1000" ("not set": 0). */
    private static long entries(Reply r) {
        String text = ((Reply.Text) r).text().strip();
        return text.endsWith("not set") ? 0 : Long.parseLong(text.replaceAll("^dom0 quota: (-?\\d+)/\\d+$", "$1"));
    }

    /**
     * C's "nodes : 5" line. Its memory and outstanding figures count the reset's own requests, which were still
     * in flight when it answered, and 4.20's high-water marks ("(max 623)") move with them: not the tree's.
     */
    private static long nodes(Reply r) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^nodes\\s*:\\s*(\\d+)").matcher(((Reply.Text) r).text());
        assertTrue(m.find(), r.toString());
        return Long.parseLong(m.group(1));
    }
}
