package io.xscheck.sut.fakexen;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import io.xscheck.sut.process.DaemonVersion;
import io.xscheck.sut.process.ElfDynamic;
import io.xscheck.sut.process.PackageVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static io.xscheck.sut.fakexen.Daemons.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --sut cxenstored=PATH}: any daemon binary, launched under the shim like the host's. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BinaryByPathTest {

    @Test
    void aCopyOfTheDebianDaemonElsewhereRunsWithGuestsDeathAndReset(@TempDir Path dir) throws Exception {
        Daemons.requireInstalled(XenDaemon.CXENSTORED);
        Path copy = Files.copy(XenDaemon.CXENSTORED.binary(), dir.resolve("xenstored"));
        Files.setPosixFilePermissions(copy, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        String spec = "cxenstored=" + copy;
        try (Sut sut = Suts.open(spec, SutOptions.defaults())) {
            assertEquals(spec, sut.name());
            assertEquals("4.17 (libxenctrl.so.4.17)", sut.version(), "no package owns the copy: the soname says");
            assertEquals("cxenstored-4.17", sut.dialect());
            try (SutConnection dom0 = sut.openPrivileged()) {
                ConcurrentTrafficTest.makeHome((XenDaemonSut) sut, dom0, 4);
                assertEquals(new Reply.Ok(), dom0.call(0, new Request.Watch("@releaseDomain", "rel")));
                try (SutConnection guest = sut.openGuest(4)) {
                    assertEquals(new Reply.Ok(), guest.call(0, write("data", "v")));
                    assertEquals(Daemons.value("v"), dom0.call(0, new Request.Read("/local/domain/4/data")));
                }
                sut.killDomain(4);
                assertTrue(Daemons.awaitEvents(dom0, 2, Duration.ofSeconds(2)).stream()
                        .anyMatch(e -> e.path().equals("@releaseDomain")), "domain death fired @releaseDomain");
            }
            assertTrue(sut.reset(Set.of(4)), "the copy resets like the original");
        }
    }

    @Test
    void theVersionComesFromThePackageElseFromTheLibxenctrlSoname(@TempDir Path dir) throws Exception {
        Daemons.requireInstalled(XenDaemon.CXENSTORED);
        DaemonVersion installed = DaemonVersion.of(XenDaemon.CXENSTORED.binary());
        assertEquals(PackageVersion.of(XenDaemon.PACKAGE), installed.description());
        assertEquals(Optional.of("4.17"), installed.release());
        Path copy = Files.copy(XenDaemon.OXENSTORED.binary(), dir.resolve("oxenstored"));
        assertEquals(new DaemonVersion("4.17 (libxenctrl.so.4.17)", Optional.of("4.17")), DaemonVersion.of(copy));
        assertEquals(Optional.of("4.20"), DaemonVersion.known("4.20.4+63-g7abfd2bce2-0+deb13u1").release());
        Path text = Files.writeString(dir.resolve("script"), "#!/bin/sh\n");
        assertEquals(Optional.empty(), DaemonVersion.of(text).release());
        assertThrows(IOException.class, () -> ElfDynamic.read(text));
        assertTrue(ElfDynamic.read(copy).needed().contains("libxenctrl.so.4.17"));
    }

    @Test
    void theClosestDialectIsTheNewestAtOrBeforeTheRelease() {
        assertEquals("cxenstored-4.17", DialectChoice.closest(DaemonKind.CXENSTORED, Optional.of("4.17")));
        assertEquals("oxenstored-4.17", DialectChoice.closest(DaemonKind.OXENSTORED, Optional.of("4.9")),
                "older than every dialect: the oldest");
        assertEquals("cxenstored-4.17", DialectChoice.closest(DaemonKind.CXENSTORED, Optional.empty()));
        String newest = DialectChoice.RELEASES.get(DialectChoice.RELEASES.size() - 1);
        assertEquals("oxenstored-" + newest, DialectChoice.closest(DaemonKind.OXENSTORED, Optional.of("4.99")));
        for (String r : DialectChoice.RELEASES) {
            for (DaemonKind k : DaemonKind.values()) {
                io.xscheck.model.Dialect.named(DialectChoice.closest(k, Optional.of(r))); // throws if the model lacks it
            }
        }
    }

    @Test
    void aBinaryNeedingACallTheShimDoesNotAnswerFailsNamingIt(@TempDir Path dir) throws Exception {
        Daemons.requireInstalled(XenDaemon.CXENSTORED); // CI has gcc and libxen-dev wherever it has the daemons
        Path source = dir.resolve("needs-unanswered-call.c");
        try (InputStream in = getClass().getResourceAsStream("/fakexen/needs-unanswered-call.c")) {
            Files.copy(in, source);
        }
        Path binary = dir.resolve("newer-xenstored");
        Process gcc = new ProcessBuilder("gcc", "-o", binary.toString(), source.toString(), "-lxenctrl")
                .redirectErrorStream(true).start();
        String gccOut = new String(gcc.getInputStream().readAllBytes());
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, gccOut);

        SutOptions quick = SutOptions.defaults().withStartTimeout(Duration.ofSeconds(3));
        SutException e = assertThrows(SutException.class, () -> Suts.open("cxenstored=" + binary, quick));
        assertTrue(e.kind() == SutException.Kind.DIED || e.kind() == SutException.Kind.HUNG, e.getMessage());
        assertTrue(e.detail().contains("does not answer") && e.detail().contains("xc_domain_set_time_offset"),
                e.detail());
        assertTrue(!e.detail().contains("xc_interface_open"), "the shim answers xc_interface_open: " + e.detail());
    }

    @Test
    void theDebianDaemonsImportNoCallTheShimLeavesUnanswered() {
        Path shim = Path.of(getClass().getResource(Shim.RESOURCE).getPath());
        for (XenDaemon d : XenDaemon.values()) {
            Daemons.requireInstalled(d);
            assertEquals(Set.of(), ShimCoverage.unanswered(List.of(d.binary()), shim), d.targetName());
        }
    }
}
