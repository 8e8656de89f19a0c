package io.xscheck.model;

import static io.xscheck.model.Examples.err;
import static io.xscheck.model.Examples.ok;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Request;
import org.junit.jupiter.api.Test;

/** Examples of the quota rules ({@link Quotas}). */
class QuotasTest {

    private static Request write(String path, int size) {
        return new Request.Write(path, Bytes.latin1("a".repeat(size)));
    }

    @Test
    void oxenstoredLimitsValuesTo2048BytesEvenForDom0() {
        // probe oxenstored-4.17.7-dom0.txt: 2048 OK, 2049 E2BIG; C dom0: 3000 OK
        Session o = Session.dom0(Dialect.OXENSTORED);
        assertEquals(ok(), o.send(write("/big", 2048)));
        assertEquals(err("E2BIG"), o.send(write("/big", 2049)));
        assertEquals(ok(), Session.dom0(Dialect.CXENSTORED).send(write("/big", 3000)));
    }

    @Test
    void cLimitsAGuestsWholeNodeRecordTo2048Bytes() {
        // probe cxenstored-4.17.7-domU.txt: x has 5 perms; 1900 OK, 2000 ENOSPC (24 + 5*8 + 2000 >= 2048)
        Session c = Session.withGuest(Dialect.CXENSTORED, 2);
        c.guest(write("x", 0));
        c.guest(new Request.SetPerms("x", java.util.List.of(io.xscheck.protocol.Perm.none(2), io.xscheck.protocol.Perm.read(1),
                io.xscheck.protocol.Perm.read(3), io.xscheck.protocol.Perm.read(4), io.xscheck.protocol.Perm.read(5))));
        assertEquals(ok(), c.guest(write("x", 1900)));
        assertEquals(err("ENOSPC"), c.guest(write("x", 2000)));
        Session o = Session.withGuest(Dialect.OXENSTORED, 2);
        assertEquals(ok(), o.guest(write("x", 2000)));
        assertEquals(err("E2BIG"), o.guest(write("x", 2049)));
    }

    @Test
    void oxenstoredChecksTheOwnersEntryQuotaBeforeThePermissionToCreate() {
        // store.ml mkdir/write: Quota.check of the deepest existing node's owner, then check_perm
        // (traces/quota-before-permission-ox.trace, with the default 1000; here a quota of 3)
        for (String dialect : java.util.List.of(Dialect.OXENSTORED, Dialect.CXENSTORED)) {
            Quotas q = Dialect.named(dialect).quotas();
            Dialect small = Dialect.named(dialect).withQuotas(q.withLimits(3, q.watchesPerConnection(), q.transactionsPerConnection()));
            Session s = new Session(small).connect("dom0", 0);
            s.send(new Request.Introduce(1, 1, 9));
            s.send(new Request.Introduce(2, 2, 9));
            s.send(new Request.Mkdir("/local/domain/1"));
            s.send(new Request.SetPerms("/local/domain/1", java.util.List.of(io.xscheck.protocol.Perm.none(1))));
            s.connect("g1", 1).connect("g2", 2);
            assertEquals(err("EACCES"), s.on("g2", new Request.Mkdir("/local/domain/1/early")), dialect);
            assertEquals(ok(), s.on("g1", new Request.Write("a", Bytes.EMPTY)));
            assertEquals(ok(), s.on("g1", new Request.Write("b", Bytes.EMPTY)));
            // domain 1 owns its three nodes: oxenstored refuses domain 2 for the quota, C for the permission
            assertEquals(dialect.equals(Dialect.OXENSTORED) ? err("EQUOTA") : err("EACCES"),
                    s.on("g2", new Request.Mkdir("/local/domain/1/late")), dialect);
        }
    }

    @Test
    void guestNodeQuota() {
        Dialect small = Dialect.named(Dialect.CXENSTORED).withQuotas(Quotas.CXENSTORED_DEFAULTS.withLimits(5, 129, 11));
        Session s = new Session(small).connect("dom0", 0);
        s.send(new Request.Introduce(2, 1, 9));
        s.send(new Request.Mkdir("/local/domain/2"));
        s.send(new Request.SetPerms("/local/domain/2", java.util.List.of(io.xscheck.protocol.Perm.none(2))));
        s.connect("g", 2);
        // the home counts as one of domain 2's nodes
        for (int i = 0; i < 4; i++) {
            assertEquals(ok(), s.guest(new Request.Write("n" + i, Bytes.EMPTY)));
        }
        assertEquals(err("ENOSPC"), s.guest(new Request.Write("n4", Bytes.EMPTY)));
        assertEquals(5, s.state().tree().ownedBy(2));
    }

    @Test
    void guestWatchQuota() {
        Session q = Session.withGuest(Dialect.QEMU, 2);
        for (int i = 0; i < 128; i++) {
            assertEquals(ok(), q.guest(new Request.Watch("/w" + i, "t")));
        }
        assertEquals(err("E2BIG"), q.guest(new Request.Watch("/w128", "t")));
    }
}
