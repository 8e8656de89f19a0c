package io.xscheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Examples of the tree rules: each test is one rule, per dialect where the dialects differ. */
class TreeOpsTest {

    static List<String> dialects() {
        return Dialect.names();
    }

    private static Reply ok() {
        return new Reply.Ok();
    }

    private static Reply err(String name) {
        return new Reply.Error(name);
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void writeThenReadGivesTheValue(String dialect) {
        Session s = Session.dom0(dialect);
        assertEquals(ok(), s.send(new Request.Write("/a/b", Bytes.latin1("v"))));
        assertEquals(new Reply.Value(Bytes.latin1("v")), s.send(new Request.Read("/a/b")));
        // the implicit parent exists with an empty value
        assertEquals(new Reply.Value(Bytes.EMPTY), s.send(new Request.Read("/a")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void readOfMissingNodeIsEnoent(String dialect) {
        Session s = Session.dom0(dialect);
        assertEquals(err("ENOENT"), s.send(new Request.Read("/nope")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void mkdirOfExistingNodeIsOkAndKeepsTheValue(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/a", Bytes.latin1("x")));
        assertEquals(ok(), s.send(new Request.Mkdir("/a")));
        assertEquals(new Reply.Value(Bytes.latin1("x")), s.send(new Request.Read("/a")));
    }

    @Test
    void directoryOrderIsCreationOrderInC() {
        Session s = Session.dom0(Dialect.CXENSTORED);
        s.send(new Request.Write("/d/b", Bytes.EMPTY));
        s.send(new Request.Write("/d/a", Bytes.EMPTY));
        s.send(new Request.Write("/d/c", Bytes.EMPTY));
        assertEquals(new Reply.Names(List.of("b", "a", "c")), s.send(new Request.Directory("/d")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void directoryOrderIsSortedElsewhere(String dialect) {
        if (dialect.equals(Dialect.CXENSTORED)) {
            return;
        }
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/d/b", Bytes.EMPTY));
        s.send(new Request.Write("/d/a", Bytes.EMPTY));
        s.send(new Request.Write("/d/c", Bytes.EMPTY));
        assertEquals(new Reply.Names(List.of("a", "b", "c")), s.send(new Request.Directory("/d")));
    }

    @Test
    void rmOfMissingNodeDependsOnTheDialect() {
        assertEquals(ok(), Session.dom0(Dialect.CXENSTORED).send(new Request.Rm("/tool/missing")));
        assertEquals(err("ENOENT"), Session.dom0(Dialect.CXENSTORED).send(new Request.Rm("/nope/missing")));
        assertEquals(ok(), Session.dom0(Dialect.OXENSTORED).send(new Request.Rm("/nope/missing")));
        assertEquals(err("ENOENT"), Session.dom0(Dialect.QEMU).send(new Request.Rm("/local/missing")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void rmRemovesTheWholeSubtree(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/a/b/c", Bytes.latin1("1")));
        s.send(new Request.Write("/a/d", Bytes.latin1("2")));
        assertEquals(ok(), s.send(new Request.Rm("/a")));
        assertEquals(err("ENOENT"), s.send(new Request.Read("/a/b/c")));
        assertTrue(s.state().tree().paths().stream().noneMatch(p -> p.startsWith("/a")));
    }

    @Test
    void rmOfRootIsEinvalInCButEmptiesTheTreeInOxenstored() {
        Session c = Session.dom0(Dialect.CXENSTORED);
        assertEquals(err("EINVAL"), c.send(new Request.Rm("/")));
        Session o = Session.dom0(Dialect.OXENSTORED);
        o.send(new Request.Write("/x", Bytes.EMPTY));
        assertEquals(ok(), o.send(new Request.Rm("/")));
        assertEquals(List.of("/"), o.state().tree().paths());
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void getPermsOfANewNodeCopiesTheParent(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("/p", Bytes.EMPTY));
        s.send(new Request.SetPerms("/p", List.of(Perm.none(0), Perm.read(3))));
        s.send(new Request.Write("/p/q", Bytes.EMPTY));
        assertEquals(new Reply.Perms(List.of(Perm.none(0), Perm.read(3))), s.send(new Request.GetPerms("/p/q")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void invalidPathsAreEinval(String dialect) {
        Session s = Session.dom0(dialect);
        assertEquals(err("EINVAL"), s.send(new Request.Read("")));
        assertEquals(err("EINVAL"), s.send(new Request.Read("/a//b")));
        assertEquals(err("EINVAL"), s.send(new Request.Read("/a b")));
    }
}
