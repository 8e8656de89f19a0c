package io.xscheck.model;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.util.ArrayList;
import java.util.List;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

/**
 * Random command sequences for the property tests: each command is a few integers resolved
 * against a small pool of paths and the connections "a" (dom0), "b" (dom0) and "g" (guest 2), so
 * sequences hit the same nodes often. Transactions are opened and ended per connection.
 */
final class Scenarios {
    private Scenarios() {
    }

    static final String[] CONNS = {"a", "b", "g"};
    static final String[] PATHS = {"/a", "/a/b", "/a/b/c", "/a/bb", "/d", "/d/e", "/local/domain/2/x",
        "/local/domain/2/x/y", "/pub/p", "/pub/p/q", "/hidden/h", "x", "/nope/n", "@introduceDomain", "/"};

    /** One command: conn, kind, path, value/perm choice, in-transaction flag. */
    record Cmd(int conn, int kind, int path, int arg, boolean inTx) {
    }

    static Gen<List<Cmd>> sequences(int maxLength) {
        Gen<int[]> four = SourceDSL.integers().between(0, CONNS.length - 1)
                .zip(SourceDSL.integers().between(0, 13), SourceDSL.integers().between(0, PATHS.length - 1),
                        SourceDSL.integers().between(0, 5), (c, k, p, a) -> new int[] {c, k, p, a});
        Gen<Cmd> cmd = four.zip(SourceDSL.booleans().all(), (x, tx) -> new Cmd(x[0], x[1], x[2], x[3], tx));
        return SourceDSL.lists().of(cmd).ofSizeBetween(1, maxLength);
    }

    /** The starting state: dom0 connections a and b, guest 2 on g with its home, /pub writable by it, /hidden not. */
    static ModelState start(Model m) {
        ModelState s = m.initial();
        s = m.connect(s, "a", 0);
        s = m.connect(s, "b", 0);
        s = follow(m, s, "a", 0, new Request.Introduce(2, 1, 9));
        s = follow(m, s, "a", 0, new Request.Mkdir("/local/domain/2"));
        s = follow(m, s, "a", 0, new Request.SetPerms("/local/domain/2", List.of(Perm.none(2))));
        s = follow(m, s, "a", 0, new Request.Write("/pub", Bytes.EMPTY));
        s = follow(m, s, "a", 0, new Request.SetPerms("/pub", List.of(Perm.none(0), Perm.both(2))));
        s = follow(m, s, "a", 0, new Request.Write("/hidden", Bytes.EMPTY));
        return m.connect(s, "g", 2);
    }

    private static ModelState follow(Model m, ModelState s, String conn, long tx, Request r) {
        return m.step(s, conn, tx, r).allowed().iterator().next().next();
    }

    /** The request a command stands for in state {@code s}, and the transaction it runs in. */
    record Resolved(String conn, long tx, Request request) {
    }

    static Resolved resolve(ModelState s, Cmd c) {
        String conn = CONNS[c.conn()];
        String path = PATHS[c.path()];
        Connection cs = s.connections().get(conn);
        long open = cs == null || cs.transactions().isEmpty() ? 0 : cs.transactions().keySet().asList().get(cs.transactions().size() - 1);
        long tx = c.inTx() ? open : 0;
        Request r = switch (c.kind()) {
            case 0, 1 -> new Request.Write(path, Bytes.latin1("v" + c.arg()));
            case 2 -> new Request.Read(path);
            case 3 -> new Request.Mkdir(path);
            case 4 -> new Request.Rm(path);
            case 5 -> new Request.Directory(path);
            case 6 -> new Request.GetPerms(path);
            case 7 -> new Request.SetPerms(path, List.of(new Perm(Perm.Access.values()[c.arg() % 4], c.arg() < 3 ? 0 : 2),
                    Perm.read(c.arg() % 3)));
            case 8 -> new Request.Watch(path, "t" + c.arg() % 2);
            case 9 -> cs != null && !cs.watches().isEmpty() && c.arg() < 4
                    ? new Request.Unwatch(cs.watches().get(cs.watches().size() - 1).given(), cs.watches().get(cs.watches().size() - 1).token())
                    : new Request.Unwatch(path, "t" + c.arg() % 2);
            case 10 -> new Request.TransactionStart();
            case 11 -> new Request.TransactionEnd(c.arg() % 3 != 0);
            case 12 -> new Request.DirectoryPart(path, c.arg());
            default -> new Request.ResetWatches();
        };
        if (r instanceof Request.TransactionEnd) {
            tx = open;
        }
        return new Resolved(conn, tx, r);
    }

    /** Runs the commands, following the first allowed outcome; returns the states after each step. */
    static List<ModelState> run(Model m, ModelState s, List<Cmd> cmds, List<Allowed> taken) {
        List<ModelState> states = new ArrayList<>();
        for (Cmd c : cmds) {
            Resolved r = resolve(s, c);
            if (!s.connections().containsKey(r.conn())) {
                states.add(s);
                continue;
            }
            Allowed a = m.step(s, r.conn(), r.tx(), r.request()).allowed().iterator().next();
            if (taken != null) {
                taken.add(a);
            }
            s = a.next();
            states.add(s);
        }
        return states;
    }

    static boolean isOk(Reply r) {
        return r instanceof Reply.Ok;
    }
}
