package io.xscheck.conformance.engine;

import io.xscheck.model.ModelState;
import io.xscheck.model.Node;
import io.xscheck.model.Tree;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the whole tree under the sandbox root back from a target (values and ACLs, level by level,
 * pipelined) and compares it with the model's main tree.
 */
final class TreeCheck {
    /** A bound so that a runaway tree cannot exhaust the heap. */
    private static final int MAX_NODES = 5000;

    private TreeCheck() {
    }

    record Seen(Bytes value, Reply perms) {
    }

    static Optional<String> compare(ModelState state, TargetSession target, String root) {
        TreeMap<String, Seen> actual = read(target, root);
        Tree tree = state.tree();
        TreeMap<String, Node> expected = new TreeMap<>();
        for (String p : tree.paths()) {
            if (under(p, root)) {
                expected.put(p, tree.node(p));
            }
        }
        for (String p : expected.keySet()) {
            if (!actual.containsKey(p)) {
                return Optional.of("node " + p + " exists in the model, not on the target");
            }
        }
        for (String p : actual.keySet()) {
            Node n = expected.get(p);
            if (n == null) {
                return Optional.of("node " + p + " exists on the target, not in the model");
            }
            Seen s = actual.get(p);
            if (!n.value().equals(s.value())) {
                return Optional.of("node " + p + ": model value " + n.value().quoted() + ", target "
                        + s.value().quoted());
            }
            if (!(s.perms() instanceof Reply.Perms tp) || !tp.perms().equals(n.perms())) {
                return Optional.of("node " + p + ": model perms " + new Reply.Perms(n.perms()) + ", target "
                        + s.perms());
            }
        }
        return Optional.empty();
    }

    static boolean under(String path, String root) {
        return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
    }

    private static TreeMap<String, Seen> read(TargetSession target, String root) {
        SutConnection c = target.inspector();
        TreeMap<String, Seen> out = new TreeMap<>();
        List<String> level = List.of(root);
        while (!level.isEmpty() && out.size() < MAX_NODES) {
            List<CompletableFuture<Reply>> dirs = new ArrayList<>();
            List<CompletableFuture<Reply>> values = new ArrayList<>();
            List<CompletableFuture<Reply>> perms = new ArrayList<>();
            for (String p : level) {
                dirs.add(c.send(0, new Request.Directory(p)));
                values.add(c.send(0, new Request.Read(p)));
                perms.add(c.send(0, new Request.GetPerms(p)));
            }
            List<String> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                String p = level.get(i);
                Reply d = Awaits.reply(dirs.get(i), target.sut());
                Reply v = Awaits.reply(values.get(i), target.sut());
                Reply pr = Awaits.reply(perms.get(i), target.sut());
                if (v instanceof Reply.Error) {
                    continue;
                }
                out.put(p, new Seen(v instanceof Reply.Value val ? val.value() : Bytes.EMPTY, pr));
                if (d instanceof Reply.Names names) {
                    for (String child : names.names()) {
                        next.add(p.equals("/") ? "/" + child : p + "/" + child);
                    }
                }
            }
            level = next;
        }
        return out;
    }
}
