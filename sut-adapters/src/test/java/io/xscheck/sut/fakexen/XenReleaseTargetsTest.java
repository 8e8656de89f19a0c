package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The Xen 4.20 targets from Debian trixie's packages: registry, version, dialect, shim coverage, fetch failure. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class XenReleaseTargetsTest {

    private static final XenRelease RELEASE = XenRelease.XEN_4_20;

    private static void requireInstalled() {
        if (RELEASE.isInstalled()) {
            return;
        }
        if (System.getenv("CI") != null) {
            fail(RELEASE.describe() + "; CI must run the Xen 4.20 targets");
        }
        Assumptions.abort(RELEASE.describe());
    }

    @Test
    void theRegistryListsThemExactlyWhenFetched() {
        for (DaemonKind k : DaemonKind.values()) {
            String name = RELEASE.targetName(k);
            assertTrue(Suts.known().contains(name), name);
            assertEquals(RELEASE.isInstalled(), Suts.installed().contains(name), name + ": " + RELEASE.describe());
        }
    }

    @ParameterizedTest
    @EnumSource(DaemonKind.class)
    void eachStartsWithItsDebianVersionAndDialect(DaemonKind kind) {
        requireInstalled();
        try (Sut sut = Suts.open(RELEASE.targetName(kind), SutOptions.defaults());
             SutConnection dom0 = sut.openPrivileged()) {
            assertEquals(RELEASE.debianVersion(), sut.version());
            assertTrue(sut.version().startsWith("4.20."), sut.version());
            assertEquals(kind.family() + "-4.20", sut.dialect());
            // oxenstored records Sys.executable_name: the shim's path map shows it the package's installed path.
            String tool = kind == DaemonKind.OXENSTORED ? "/usr/lib/xen-4.20/bin/oxenstored" : "";
            assertEquals(new Reply.Value(io.xscheck.protocol.Bytes.latin1(tool)), dom0.call(0, new Request.Read("/tool/xenstored")));
            // C 4.18+ answers GET_PERMS of a special node (4.17: EINVAL); oxenstored has it as a node anyway.
            assertTrue(dom0.call(0, new Request.GetPerms("@introduceDomain")) instanceof Reply.Perms);
        }
    }

    @ParameterizedTest
    @EnumSource(DaemonKind.class)
    void theShimAnswersEveryHypervisorCallTheyAndTheirPluginsImport(DaemonKind kind) {
        requireInstalled();
        XenDaemon d = RELEASE.daemon(kind);
        Path shim = Path.of(getClass().getResource(Shim.RESOURCE).getPath());
        List<Path> files = ShimCoverage.filesOf(d);
        if (kind == DaemonKind.OXENSTORED) {
            assertTrue(files.stream().anyMatch(f -> f.toString().endsWith(".cmxs")), "the plugin is scanned: " + files);
        }
        assertEquals(java.util.Set.of(), ShimCoverage.unanswered(files, shim), d.targetName());
    }

    @Test
    void anUnreachableArchiveLeavesTheTargetsMissingAndTheBuildGoingOn(@TempDir Path dir) throws Exception {
        Path script = Path.of("src/main/sh/fetch-xen-debs.sh");
        Assumptions.assumeTrue(Files.isRegularFile(script), "runs from the sut-adapters module directory");
        ProcessBuilder pb = new ProcessBuilder("bash", script.toString(), dir.resolve("work").toString(),
                dir.resolve("native").toString()).redirectErrorStream(true);
        pb.environment().put("DEBIAN_MIRROR", "http://127.0.0.1:9/debian"); // discard port: nothing answers
        pb.environment().put("XSCHECK_CACHE", dir.resolve("cache").toString());
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(90, TimeUnit.SECONDS), out);
        assertEquals(0, p.exitValue(), out);
        Properties record = new Properties();
        try (var in = Files.newInputStream(dir.resolve("native/xen-4.20.properties"))) {
            record.load(in);
        }
        assertEquals("missing", record.getProperty("status"), out);
        assertFalse(record.getProperty("reason", "").isEmpty(), out);
        assertFalse(Files.exists(dir.resolve("cache/xen")) && Files.list(dir.resolve("cache/xen")).findAny().isPresent(),
                "nothing half-fetched is left in the cache");
    }
}
