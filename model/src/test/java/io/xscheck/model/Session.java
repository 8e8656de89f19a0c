package io.xscheck.model;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import java.util.ArrayList;
import java.util.List;

/** A test helper: a model and its current state, following the single allowed outcome of each step. */
final class Session {
    final Model model;
    private ModelState state;
    private final List<Delivery> events = new ArrayList<>();
    String lastRule;

    Session(Dialect d) {
        this.model = new Model(d);
        this.state = model.initial();
    }

    static Session dom0(String dialect) {
        Session s = new Session(Dialect.named(dialect));
        s.connect("dom0", 0);
        return s;
    }

    /**
     * dom0 on "dom0" and guest {@code domid} on "g": the guest's home /local/domain/N owned by it,
     * /pub owned by dom0 and writable by the guest ("n0 bN"), /hidden readable by nobody ("n0").
     */
    static Session withGuest(String dialect, int domid) {
        Session s = dom0(dialect);
        s.send(new Request.Introduce(domid, 4711, 9));
        s.send(new Request.Mkdir("/local/domain/" + domid));
        s.send(new Request.SetPerms("/local/domain/" + domid, java.util.List.of(io.xscheck.protocol.Perm.none(domid))));
        s.send(new Request.Write("/pub", io.xscheck.protocol.Bytes.EMPTY));
        s.send(new Request.SetPerms("/pub", java.util.List.of(io.xscheck.protocol.Perm.none(0), io.xscheck.protocol.Perm.both(domid))));
        s.send(new Request.Write("/hidden", io.xscheck.protocol.Bytes.EMPTY));
        s.connect("g", domid);
        s.drain("dom0");
        return s;
    }

    Reply guest(Request r) {
        return on("g", 0, r);
    }

    Session connect(String conn, int domid) {
        state = model.connect(state, conn, domid);
        return this;
    }

    ModelState state() {
        return state;
    }

    Reply send(Request r) {
        return on("dom0", 0, r);
    }

    Reply on(String conn, Request r) {
        return on(conn, 0, r);
    }

    Reply on(String conn, long tx, Request r) {
        Outcome o = model.step(state, conn, tx, r);
        lastRule = o.rule().id();
        Allowed a = o.single();
        state = a.next();
        events.addAll(a.events());
        return a.reply();
    }

    Outcome outcome(String conn, long tx, Request r) {
        return model.step(state, conn, tx, r);
    }

    void follow(Allowed a) {
        state = a.next();
        events.addAll(a.events());
    }

    long start(String conn) {
        return ((Reply.TransactionId) on(conn, new Request.TransactionStart())).id();
    }

    /** Events delivered to {@code conn} since the last call, in the order the model listed them. */
    List<WatchEvent> drain(String conn) {
        List<WatchEvent> out = new ArrayList<>();
        events.removeIf(d -> {
            if (d.conn().equals(conn)) {
                out.add(d.event());
                return true;
            }
            return false;
        });
        return out;
    }
}
