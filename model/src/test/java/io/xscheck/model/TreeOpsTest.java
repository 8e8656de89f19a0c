package io.xscheck.model;

import static io.xscheck.model.Examples.err;
import static io.xscheck.model.Examples.ok;
import static io.xscheck.model.Examples.value;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Examples of the tree rules ({@link TreeOps}): one test per rule, per dialect where they differ. */
class TreeOpsTest {

    static List<String> dialects() {
        return Dialect.names();
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void writeCreatesMissingParentsWithEmptyValues(String dialect) {
        Session s = Session.dom0(dialect);
        assertEquals(ok(), s.send(new Request.Write("/a/b", Bytes.latin1("v"))));
        assertEquals(value("v"), s.send(new Request.Read("/a/b")));
        assertEquals(value(""), s.send(new Request.Read("/a")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void writeKeepsNulBytesInTheValue(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/bin", Bytes.of(new byte[] {'x', 0, 'y'})));
        assertEquals(new Reply.Value(Bytes.of(new byte[] {'x', 0, 'y'})), s.send(new Request.Read("/bin")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void readOfMissingNodeIsEnoentForDom0(String dialect) {
        assertEquals(err("ENOENT"), Session.dom0(dialect).send(new Request.Read("/nope")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void mkdirOfExistingNodeIsOkAndKeepsTheValue(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/a", Bytes.latin1("x")));
        assertEquals(ok(), s.send(new Request.Mkdir("/a")));
        assertEquals("TreeOps.mkdirExisting", s.lastRule);
        assertEquals(value("x"), s.send(new Request.Read("/a")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void mkdirCreatesParents(String dialect) {
        Session s = Session.dom0(dialect);
        assertEquals(ok(), s.send(new Request.Mkdir("/m/n/o")));
        assertEquals(value(""), s.send(new Request.Read("/m/n")));
    }

    @Test
    void directoryListsChildrenInCreationOrderInC() {
        // probe cxenstored-4.17.7-dom0.txt: b, a, c
        Session s = Session.dom0(Dialect.CXENSTORED);
        for (String n : List.of("b", "a", "c")) {
            s.send(new Request.Write("/d/" + n, Bytes.EMPTY));
        }
        assertEquals(new Reply.Names(List.of("b", "a", "c")), s.send(new Request.Directory("/d")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void directoryListsChildrenSortedOutsideC(String dialect) {
        if (dialect.startsWith("cxenstored-")) { // every C release
            return;
        }
        // probe oxenstored-4.17.7-dom0.txt: a, b, c; probe qemu-xenstore-impl.txt: strcmp order
        Session s = Session.dom0(dialect);
        for (String n : List.of("b", "a", "c", "-y", "Alpha")) {
            s.send(new Request.Write("/d/" + n, Bytes.EMPTY));
        }
        assertEquals(new Reply.Names(List.of("-y", "Alpha", "a", "b", "c")), s.send(new Request.Directory("/d")));
    }

    @Test
    void directoryOfRecreatedChildAppendsItInC() {
        Session s = Session.dom0(Dialect.CXENSTORED);
        for (String n : List.of("a", "b", "c")) {
            s.send(new Request.Write("/d/" + n, Bytes.EMPTY));
        }
        s.send(new Request.Rm("/d/a"));
        s.send(new Request.Write("/d/a", Bytes.EMPTY));
        assertEquals(new Reply.Names(List.of("b", "c", "a")), s.send(new Request.Directory("/d")));
    }

    @Test
    void directoryPartGivesTheListFromAByteOffsetWithAFinalNul() {
        Session s = Session.dom0(Dialect.QEMU);
        for (String n : List.of("10", "9", "-y")) {
            s.send(new Request.Write("/dir/" + n, Bytes.EMPTY));
        }
        Reply.DirectoryChunk whole = assertInstanceOf(Reply.DirectoryChunk.class, s.send(new Request.DirectoryPart("/dir", 0)));
        assertEquals(Bytes.latin1("-y\u000010\u00009\u0000\u0000"), whole.chunk());
        Reply.DirectoryChunk part = assertInstanceOf(Reply.DirectoryChunk.class, s.send(new Request.DirectoryPart("/dir", 5)));
        assertEquals(Bytes.latin1("\u00009\u0000\u0000"), part.chunk());
    }

    @Test
    void directoryPartIsEnosysInOxenstored() {
        assertEquals(err("ENOSYS"), Session.dom0(Dialect.OXENSTORED).send(new Request.DirectoryPart("/", 0)));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void rmOfMissingNodeWithExistingParent(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Mkdir("/p"));
        // probes: C and oxenstored OK; QEMU ENOENT
        Reply expected = dialect.equals(Dialect.QEMU) ? err("ENOENT") : ok();
        assertEquals(expected, s.send(new Request.Rm("/p/missing")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void rmOfMissingNodeWithMissingParentIsEnoent(String dialect) {
        assertEquals(err("ENOENT"), Session.dom0(dialect).send(new Request.Rm("/nope/missing")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void rmRemovesTheWholeSubtree(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/a/b/c", Bytes.latin1("1")));
        s.send(new Request.Write("/a/d", Bytes.latin1("2")));
        s.send(new Request.Write("/ab", Bytes.latin1("3")));
        assertEquals(ok(), s.send(new Request.Rm("/a")));
        assertEquals(err("ENOENT"), s.send(new Request.Read("/a/b/c")));
        assertTrue(s.state().tree().paths().stream().noneMatch(p -> p.equals("/a") || p.startsWith("/a/")));
        assertEquals(value("3"), s.send(new Request.Read("/ab")));
    }

    @Test
    void rmOfRootIsEinvalInCAndEmptiesTheRootInOxenstored() {
        assertEquals(err("EINVAL"), Session.dom0(Dialect.CXENSTORED).send(new Request.Rm("/")));
        // probe oxenstored-4.17.7-dom0.txt: RM / -> OK, DIRECTORY / -> empty
        Session o = Session.dom0(Dialect.OXENSTORED);
        o.send(new Request.Write("/x", Bytes.EMPTY));
        assertEquals(ok(), o.send(new Request.Rm("/")));
        assertEquals(List.of("/"), o.state().tree().paths());
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void newNodeCopiesItsParentsPermissions(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/p", Bytes.EMPTY));
        s.send(new Request.SetPerms("/p", List.of(Perm.none(0), Perm.read(0))));
        s.send(new Request.Write("/p/q", Bytes.EMPTY));
        assertEquals(new Reply.Perms(List.of(Perm.none(0), Perm.read(0))), s.send(new Request.GetPerms("/p/q")));
    }

    @Test
    void initialTreeDiffersPerDialect() {
        assertEquals(List.of("/", "/tool", "/tool/xenstored"), Session.dom0(Dialect.CXENSTORED).state().tree().paths());
        assertEquals(List.of("/", "/@introduceDomain", "/@releaseDomain", "/local", "/tool", "/tool/xenstored"),
                Session.dom0(Dialect.OXENSTORED).state().tree().paths());
        assertEquals(List.of("/", "/local"), Session.dom0(Dialect.QEMU).state().tree().paths());
        assertEquals(List.of("/"), Session.dom0(Dialect.SPEC).state().tree().paths());
    }

    @Test
    void unknownTypeIsEnosys() {
        assertEquals(err("ENOSYS"), Session.dom0(Dialect.CXENSTORED).send(new Request.Raw(0xffff, Bytes.EMPTY)));
        assertEquals(err("ENOSYS"), Session.dom0(Dialect.OXENSTORED).send(new Request.Raw(15, Bytes.EMPTY)));
    }

    @Test
    void singlePathOpWithoutTerminatorIsEinvalInOxenstoredAndAStaleErrnoInC() {
        Session o = Session.dom0(Dialect.OXENSTORED);
        assertEquals(err("EINVAL"), o.send(new Request.Raw(2, Bytes.latin1("/tool"))));
        assertEquals(value(""), o.send(new Request.Raw(2, Bytes.latin1("/tool\u0000"))));
        // probes differential/rep-cxenstored-5.trace, rep-cxenstored-4.trace: C answered ENOENT (dom0) and EACCES
        // (guest) to READ "/local/domain/N\0extra\0"; EEXIST after a live update (probe live-update-cxenstored.txt
        // "stale errno after an update"); EIO after a transaction's RM that answered EIO (seen by gate, seed 32010)
        Session c = Session.dom0(Dialect.CXENSTORED);
        Outcome out = c.outcome("dom0", 0, new Request.Raw(2, Bytes.latin1("/local\u0000extra\u0000")));
        assertEquals(java.util.Set.of(err("EINVAL"), err("ENOENT"), err("EACCES"), err("ENOSPC"), err("EEXIST"),
                err("EIO")),
                out.allowed().stream().map(Allowed::reply).collect(java.util.stream.Collectors.toSet()));
    }

    @Test
    void qemuReadsTheFirstStringOfAPayloadWithExtraStrings() {
        // probe run: qemu READ "/\0extra\0" -> ""; WATCH "/local/domain/1\0" (no token) -> OK
        Session q = Session.dom0(Dialect.QEMU);
        assertEquals(value(""), q.send(new Request.Raw(2, Bytes.latin1("/\u0000extra\u0000"))));
        assertEquals(err("EINVAL"), q.send(new Request.Raw(2, Bytes.latin1("/local"))));
        assertEquals(ok(), q.send(new Request.Raw(4, Bytes.latin1("/local/domain/1\u0000"))));
        assertEquals(ok(), q.send(new Request.Unwatch("/local/domain/1", "")));
        assertEquals(ok(), q.send(new Request.Raw(4, Bytes.latin1("/w\u0000tok\u0000more\u0000"))));
        assertEquals(ok(), q.send(new Request.Unwatch("/w", "tok")));
        assertEquals(err("EINVAL"), q.send(new Request.Raw(4, Bytes.latin1("/w\u0000tok"))));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.OXENSTORED).send(new Request.Raw(2, Bytes.latin1("/\u0000extra\u0000"))));
    }

    @Test
    void cTransactionRmOfANodeWhoseParentItSawMissingIsEinval() {
        // probe run: tx RM /local/domain (ENOENT), outside WRITE /local/domain/2/vm, tx RM /local/domain/2 -> EINVAL
        Session s = Session.dom0(Dialect.CXENSTORED).connect("b", 0);
        long tx = s.start("b");
        assertEquals(err("ENOENT"), s.on("b", tx, new Request.Rm("/local/domain")));
        s.send(new Request.Write("/local/domain/2/vm", Bytes.latin1("v")));
        assertEquals(err("EINVAL"), s.on("b", tx, new Request.Rm("/local/domain/2")));
    }

    @Test
    void cTransactionRmOverAChildRemovedOutsideIsEio() {
        // probe run: tx WRITE /local/domain/vm, outside RM /local/domain/1, tx RM /local/domain -> EIO
        Session s = Session.dom0(Dialect.CXENSTORED);
        s.send(new Request.Write("/local/domain/1", Bytes.EMPTY));
        long tx = s.start("dom0");
        s.on("dom0", tx, new Request.Write("/local/domain/vm", Bytes.EMPTY));
        s.send(new Request.Rm("/local/domain/1"));
        assertEquals(err("EIO"), s.on("dom0", tx, new Request.Rm("/local/domain")));
    }

    @Test
    void cTransactionRmOfANodeItsParentCopyDoesNotListIsEio() {
        // probe run: tx READ /, outside WRITE /e-1, tx RM /e-1 -> EIO
        Session s = Session.dom0(Dialect.CXENSTORED).connect("b", 0);
        long tx = s.start("dom0");
        s.on("dom0", tx, new Request.Read("/"));
        s.on("b", new Request.Write("/e-1", Bytes.latin1("v90")));
        assertEquals(err("EIO"), s.on("dom0", tx, new Request.Rm("/e-1")));
    }

    @Test
    void oxenstoredMkdirOfRootIsUncheckedButOtherExistingNodesNeedWrite() {
        // probe run: guest MKDIR / -> OK, guest MKDIR @releaseDomain -> EACCES
        Session o = Session.withGuest(Dialect.OXENSTORED, 2);
        assertEquals(ok(), o.guest(new Request.Mkdir("/")));
        assertEquals(err("EACCES"), o.guest(new Request.Mkdir("@releaseDomain")));
    }

    @Test
    void guestRmOfRootIsEaccesBeforeEinvalInC() {
        // probe run: G2 RM / -> EACCES
        assertEquals(err("EACCES"), Session.withGuest(Dialect.CXENSTORED, 2).guest(new Request.Rm("/")));
    }

    @Test
    void mkdirOfAnExistingNodeNeedsWriteOrInQemuRead() {
        assertEquals(err("EACCES"), Session.withGuest(Dialect.CXENSTORED, 2).guest(new Request.Mkdir("/hidden")));
        assertEquals(err("EACCES"), Session.withGuest(Dialect.OXENSTORED, 2).guest(new Request.Mkdir("/hidden")));
        assertEquals(err("EACCES"), Session.withGuest(Dialect.QEMU, 2).guest(new Request.Mkdir("/hidden")));
        assertEquals(err("EACCES"), Session.withGuest(Dialect.CXENSTORED, 2).guest(new Request.Mkdir("/")));
    }

    @Test
    void oxenstoredChecksTheValueSizeBeforePermissionsAndKeepsParentsOfAFailedWrite() {
        // probe run: G2 WRITE /tool (2049 bytes) -> E2BIG; dom0 too-big WRITE /local/domain/2/_f left /local/domain/2
        Session o = Session.withGuest(Dialect.OXENSTORED, 2);
        assertEquals(err("E2BIG"), o.guest(new Request.Write("/tool", Bytes.latin1("x".repeat(2049)))));
        assertEquals(err("E2BIG"), o.send(new Request.Write("/new/parent/_f", Bytes.latin1("x".repeat(2049)))));
        assertEquals(value(""), o.send(new Request.Read("/new/parent")));
        assertEquals(err("ENOENT"), o.send(new Request.Read("/new/parent/_f")));
        Session c = Session.withGuest(Dialect.CXENSTORED, 2);
        assertEquals(err("EACCES"), c.guest(new Request.Write("/tool", Bytes.latin1("x".repeat(2049)))));
    }
}
