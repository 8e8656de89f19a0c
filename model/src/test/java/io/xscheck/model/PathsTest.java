package io.xscheck.model;

import static io.xscheck.model.Examples.err;
import static io.xscheck.model.Examples.ok;
import static io.xscheck.model.Examples.value;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Request;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Examples of the path rules ({@link Paths}). */
class PathsTest {

    static List<String> dialects() {
        return Dialect.names();
    }

    private static String pathOfLength(int n) {
        return "/" + "p".repeat(n - 1);
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void emptyDoubleSlashAndBadCharactersAreEinval(String dialect) {
        Session s = Session.dom0(dialect);
        assertEquals(err("EINVAL"), s.send(new Request.Read("")));
        assertEquals(err("EINVAL"), s.send(new Request.Read("/a//b")));
        assertEquals(err("EINVAL"), s.send(new Request.Read("/a b")));
        assertEquals(err("EINVAL"), s.send(new Request.Read("/a.b")));
    }

    @ParameterizedTest
    @MethodSource("dialects")
    void relativePathsAreUnderTheConnectionsHome(String dialect) {
        Session s = Session.dom0(dialect);
        s.send(new Request.Write("x", Bytes.latin1("1")));
        assertEquals(value("1"), s.send(new Request.Read("/local/domain/0/x")));
    }

    @Test
    void trailingSlashIsEinvalExceptInQemu() {
        // probes: C and oxenstored "WRITE /t/ (trailing slash)" EINVAL; qemu-xenstore-impl.txt "WRITE '/a/'" OK
        assertEquals(err("EINVAL"), Session.dom0(Dialect.CXENSTORED).send(new Request.Write("/t/", Bytes.EMPTY)));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.OXENSTORED).send(new Request.Write("/t/", Bytes.EMPTY)));
        Session q = Session.dom0(Dialect.QEMU);
        assertEquals(ok(), q.send(new Request.Write("/t/", Bytes.latin1("v"))));
        assertEquals(value("v"), q.send(new Request.Read("/t")));
    }

    @Test
    void pathLengthLimitIs2048InC() {
        Session s = Session.dom0(Dialect.CXENSTORED);
        assertEquals(ok(), s.send(new Request.Write(pathOfLength(2048), Bytes.EMPTY)));
        assertEquals(err("EINVAL"), s.send(new Request.Write(pathOfLength(2049), Bytes.EMPTY)));
    }

    @Test
    void pathLengthLimitIs1024InOxenstoredEvenForDom0() {
        // probe oxenstored-4.17.7-dom0.txt: 1024 OK, 1025 EINVAL
        Session s = Session.dom0(Dialect.OXENSTORED);
        assertEquals(ok(), s.send(new Request.Write(pathOfLength(1024), Bytes.EMPTY)));
        assertEquals(err("EINVAL"), s.send(new Request.Write(pathOfLength(1025), Bytes.EMPTY)));
    }

    @Test
    void pathLengthIsMeasuredAfterTheDomainPrefix() {
        Session s = Session.dom0(Dialect.OXENSTORED);
        String under = "/local/domain/7" + pathOfLength(1024);
        assertEquals(ok(), s.send(new Request.Write(under, Bytes.EMPTY)));
    }

    @Test
    void pathTooLongIsE2bigInQemu() {
        Session s = Session.dom0(Dialect.QEMU);
        assertEquals(ok(), s.send(new Request.Write(pathOfLength(3072), Bytes.EMPTY)));
        assertEquals(err("E2BIG"), s.send(new Request.Write(pathOfLength(3073), Bytes.EMPTY)));
    }

    @Test
    void specialNamesAreNodesOnlyInOxenstored() {
        // probes: C READ @introduceDomain EINVAL; oxenstored ""
        assertEquals(err("EINVAL"), Session.dom0(Dialect.CXENSTORED).send(new Request.Read("@introduceDomain")));
        assertEquals(value(""), Session.dom0(Dialect.OXENSTORED).send(new Request.Read("@introduceDomain")));
        assertEquals(err("EINVAL"), Session.dom0(Dialect.QEMU).send(new Request.Read("@introduceDomain")));
    }
}
