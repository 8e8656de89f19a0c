package io.xscheck.conformance.engine;

import io.xscheck.model.ModelState;
import io.xscheck.model.Node;
import io.xscheck.model.Tree;
import io.xscheck.protocol.Reply;
import io.xscheck.sut.TreeImage;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Reads the whole tree under the sandbox root back from a target ({@link TreeImage}: values and
 * ACLs, level by level, pipelined) and compares it with the model's main tree.
 */
final class TreeCheck {
    /** A bound so that a runaway tree cannot exhaust the heap. */
    private static final int MAX_NODES = 5000;

    private TreeCheck() {
    }

    /** One difference: its kind, the node, and a sentence for the report. */
    record Difference(String kind, String path, String text) {
    }

    static Optional<Difference> compare(ModelState state, TargetSession target, String root) {
        // Sorted by path, so that the first difference reported (and the signature) does not depend on directory order.
        Map<String, TreeImage.Node> actual = new TreeMap<>(TreeImage.read(target.inspector(), root, MAX_NODES).nodes());
        Tree tree = state.tree();
        TreeMap<String, Node> expected = new TreeMap<>();
        for (String p : tree.paths()) {
            if (under(p, root)) {
                expected.put(p, tree.node(p));
            }
        }
        for (String p : expected.keySet()) {
            if (!actual.containsKey(p)) {
                return Optional.of(new Difference("missing-on-target", p, "node " + p + " exists in the model, not on the target"));
            }
        }
        for (String p : actual.keySet()) {
            Node n = expected.get(p);
            if (n == null) {
                return Optional.of(new Difference("extra-on-target", p, "node " + p + " exists on the target, not in the model"));
            }
            TreeImage.Node s = actual.get(p);
            if (!n.value().equals(s.value())) {
                return Optional.of(new Difference("value", p, "node " + p + ": model value " + n.value().quoted()
                        + ", target " + s.value().quoted()));
            }
            if (!(s.perms() instanceof Reply.Perms tp) || !tp.perms().equals(n.perms())) {
                return Optional.of(new Difference("perms", p, "node " + p + ": model perms " + new Reply.Perms(n.perms())
                        + ", target " + s.perms()));
            }
        }
        return Optional.empty();
    }

    static boolean under(String path, String root) {
        return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
    }
}
