package io.xscheck.sut;

import io.xscheck.model.Dialect;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Who serves a socket, from the listening process alone. */
class DaemonIdentityTest {
    @TempDir
    Path dir;

    private static DaemonIdentity of(String exe, String cmdline) {
        return DaemonIdentity.fromProcess(new SocketOwner(42, Path.of(exe), cmdline)).orElseThrow();
    }

    @Test
    void theListeningExecutableNamesTheImplementation() {
        assertEquals("C xenstored", of("/usr/lib/xen-4.17/bin/xenstored", "xenstored").implementation());
        assertEquals(Dialect.CXENSTORED, of("/usr/lib/xen-4.17/bin/xenstored", "xenstored").dialect());
        assertEquals(Dialect.OXENSTORED, of("/usr/lib/xen-4.17/bin/oxenstored", "oxenstored").dialect());
        assertEquals(Dialect.QEMU, of("/tmp/x/qemu-xs-server", "qemu-xs-server").dialect());
        DaemonIdentity model = of("/usr/lib/jvm/java-17-openjdk-amd64/bin/java",
                "java -jar xscheck-cli.jar serve --dialect oxenstored-4.17 --socket /tmp/s");
        assertEquals("xscheck's model server", model.implementation());
        assertEquals(Dialect.OXENSTORED, model.dialect());
        assertTrue(model.evidence().contains("pid 42"), model.evidence());
        assertEquals(Optional.empty(), DaemonIdentity.fromProcess(new SocketOwner(1, Path.of("/usr/bin/socat"), "socat")));
    }

    @Test
    void aDialectForTheVersionIsChosenWhereTheModelHasOne() {
        assertEquals("cxenstored-4.17", DaemonIdentity.closest("cxenstored", "xen-utils-4.17 4.17.7", Path.of("/x")));
        assertEquals("oxenstored-4.17", DaemonIdentity.closest("oxenstored", "unknown", Path.of("/opt/xen-9.9/oxenstored")),
                "a version the model has no dialect for falls back to 4.17's");
    }

    @Test
    void theListeningSocketsInodeIsReadFromTheTable() throws Exception {
        Path table = dir.resolve("unix");
        Files.writeString(table, """
                Num       RefCount Protocol Flags    Type St Inode Path
                0000000000000000: 00000002 00000000 00010000 0001 01 4711 /run/xenstored/socket
                0000000000000000: 00000003 00000000 00000000 0001 03 4712 /run/xenstored/socket
                0000000000000000: 00000002 00000000 00010000 0001 01 99 /other
                """);
        assertEquals(Optional.of(4711L), SocketOwner.listeningInode(Path.of("/run/xenstored/socket"), table));
        assertEquals(Optional.empty(), SocketOwner.listeningInode(Path.of("/nowhere"), table));
    }
}
