package io.xscheck.conformance.engine;

import io.xscheck.model.ModelState;
import io.xscheck.model.Node;
import io.xscheck.model.Tree;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;
import io.xscheck.sut.TreeImage;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads the tree under the sandbox root back from a target and compares it with the model's main
 * tree: values, ACLs and children. Every node the model has is asked for at once (DIRECTORY, READ,
 * GET_PERMS, all pipelined: one round trip, not one per level); a node the target has and the
 * model lacks shows in its parent's DIRECTORY. The report is what a level-by-level read of the
 * target's tree would give: the first missing node in path order, else the first node in path
 * order that is extra or differs (a node the target lists but cannot READ counts as absent, with
 * its subtree).
 */
final class TreeCheck {
    /** A bound so that a runaway model tree cannot flood the target with one batch. */
    private static final int MAX_NODES = 5000;
    /** DIRECTORY_PART requests for one listing: a reply holds about 4 KB, MAX_NODES names of up to 2 KB. */
    private static final int MAX_PARTS = 4000;

    private TreeCheck() {
    }

    /** One difference: its kind, the node, and a sentence for the report. */
    record Difference(String kind, String path, String text) {
    }

    /** What the target answered for one node the model has. */
    private record Answers(Reply dir, Reply value, Reply perms) {
    }

    static Optional<Difference> compare(ModelState state, TargetSession target, String root) {
        return compare(state, target, root, null);
    }

    /**
     * {@link #compare(ModelState, TargetSession, String)}, putting into {@code seen} (when not null) every node the
     * walk reached as the target answered it: the target's tree below {@code root}, where the result is empty.
     */
    static Optional<Difference> compare(ModelState state, TargetSession target, String root,
                                        Map<String, TreeImage.Node> seen) {
        Tree tree = state.tree();
        // Looked up by hash and visited in path order, as the model's tree gives its paths (a parent sorts before its
        // children, and the first difference reported, and the signature, do not depend on directory order): sorted
        // maps compared long paths with long common prefixes at every lookup, a third of the engine's own CPU time
        // on C.
        Map<String, Node> expected = new HashMap<>();
        List<String> inOrder = new ArrayList<>();
        for (String p : tree.paths()) { // sorted
            if (under(p, root)) {
                expected.put(p, tree.node(p));
                inOrder.add(p);
            }
        }
        if (!expected.containsKey(root)) {
            expected.put(root, null); // asked for all the same: the target may have it
            inOrder.add(-java.util.Collections.binarySearch(inOrder, root) - 1, root);
        }
        if (expected.size() > MAX_NODES) {
            throw new SutException(SutException.Kind.ENVIRONMENT, target.sut().name(), "the model's tree has "
                    + expected.size() + " nodes, more than a tree check reads (" + MAX_NODES + ")", "");
        }
        SutConnection c = target.inspector();
        // All at once, in one write: one round trip, and the daemon reads the lot in one go.
        List<Request> asks = new java.util.ArrayList<>();
        for (String p : inOrder) {
            asks.add(new Request.Directory(p));
            asks.add(new Request.Read(p));
            asks.add(new Request.GetPerms(p));
        }
        List<CompletableFuture<Reply>> sent = c.sendAll(asks);
        lastOf(sent, c);
        Map<String, Answers> got = new HashMap<>();
        int k = 0;
        for (String p : inOrder) {
            Reply dir = listing(c, p, TreeImage.await(sent.get(k), c));
            got.put(p, new Answers(dir, TreeImage.await(sent.get(k + 1), c), TreeImage.await(sent.get(k + 2), c)));
            k += 3;
        }
        // The nodes a walk from the root over DIRECTORY would reach and READ.
        Set<String> reached = new HashSet<>();
        for (String p : inOrder) {
            boolean readable = !(got.get(p).value() instanceof Reply.Error);
            Answers parent = got.get(parentOf(p));
            // a listing too long for a reply, on a target without DIRECTORY_PART: the node's own answers decide
            boolean unlisted = parent != null && parent.dir() instanceof Reply.Error err && err.name().equals("E2BIG");
            boolean listed = p.equals(root) || reached.contains(parentOf(p))
                    && (unlisted || children(parent).contains(nameOf(p)));
            if (readable && listed) {
                reached.add(p);
            }
        }
        if (seen != null) {
            for (String p : inOrder) {
                Answers a = got.get(p);
                TreeImage.Node n = reached.contains(p) ? TreeImage.nodeOf(a.dir(), a.value(), a.perms()) : null;
                if (n != null) {
                    seen.put(p, n);
                }
            }
        }
        for (String p : inOrder) {
            if (expected.get(p) != null && !reached.contains(p)) {
                return Optional.of(new Difference("missing-on-target", p, "node " + p + " exists in the model, not on the target"));
            }
        }
        // The first, in path order, of: a node the target lists that the model lacks (its subtree sorts after
        // it), a node whose value or ACL differs.
        TreeMap<String, Difference> found = new TreeMap<>();
        for (String p : reached) {
            Node n = expected.get(p);
            Answers a = got.get(p);
            if (n == null) {
                found.put(p, new Difference("extra-on-target", p, "node " + p + " exists on the target, not in the model"));
                continue;
            }
            for (String child : children(a)) {
                String cp = p.equals("/") ? "/" + child : p + "/" + child;
                if (!expected.containsKey(cp) || expected.get(cp) == null) {
                    found.putIfAbsent(cp, new Difference("extra-on-target", cp, "node " + cp
                            + " exists on the target, not in the model"));
                }
            }
            Bytes value = a.value() instanceof Reply.Value v ? v.value() : Bytes.EMPTY;
            if (!n.value().equals(value)) {
                found.put(p, new Difference("value", p, "node " + p + ": model value " + n.value().quoted()
                        + ", target " + value.quoted()));
            } else if (!(a.perms() instanceof Reply.Perms tp) || !tp.perms().equals(n.perms())) {
                found.put(p, new Difference("perms", p, "node " + p + ": model perms " + new Reply.Perms(n.perms())
                        + ", target " + a.perms()));
            }
        }
        return found.isEmpty() ? Optional.empty() : Optional.of(found.firstEntry().getValue());
    }

    /**
     * The check between whole-tree checks: reads back only the nodes under {@code root} whose value, ACL or
     * children differ between {@code checked} (the model's tree when the target last agreed with it) and the
     * model's tree now, and for a removed node its parent's listing (where it must no longer be). Of a node that
     * changed it asks what changed: READ for its value, GET_PERMS for its ACL, DIRECTORY for its children (a new
     * node: READ and GET_PERMS, and DIRECTORY where it has children; its parent's listing shows it is there). A
     * node that changed on neither side is not read: what a target
     * does to one on its own shows at the case's end, where the check is whole. Anything that looks different is
     * reported by a whole check ({@link #compare}), so the report is the one a whole check gives at this point.
     */
    static Optional<Difference> compareSince(Tree checked, ModelState state, TargetSession target, String root) {
        Tree tree = state.tree();
        Map<String, Integer> asks = reads(checked, tree, root);
        if (asks.isEmpty()) {
            return Optional.empty();
        }
        if (asks.size() > MAX_NODES) {
            return compare(state, target, root);
        }
        SutConnection c = target.inspector();
        List<Request> requests = new ArrayList<>();
        for (Map.Entry<String, Integer> e : asks.entrySet()) {
            String p = e.getKey();
            if ((e.getValue() & DIR) != 0) {
                requests.add(new Request.Directory(p));
            }
            if ((e.getValue() & READ) != 0) {
                requests.add(new Request.Read(p));
            }
            if ((e.getValue() & PERMS) != 0) {
                requests.add(new Request.GetPerms(p));
            }
        }
        List<CompletableFuture<Reply>> sent = c.sendAll(requests);
        lastOf(sent, c);
        boolean differs = false;
        int k = 0;
        for (Map.Entry<String, Integer> e : asks.entrySet()) {
            String p = e.getKey();
            Node n = tree.node(p);
            if ((e.getValue() & DIR) != 0) {
                Reply dir = listing(c, p, TreeImage.await(sent.get(k++), c));
                differs |= !sameChildren(tree, p, n, dir);
            }
            if ((e.getValue() & READ) != 0) {
                Reply value = TreeImage.await(sent.get(k++), c);
                differs |= n == null ? !(value instanceof Reply.Error)
                        : !(value instanceof Reply.Value v) || !v.value().equals(n.value());
            }
            if ((e.getValue() & PERMS) != 0) {
                Reply perms = TreeImage.await(sent.get(k++), c);
                differs |= !(perms instanceof Reply.Perms tp) || !tp.perms().equals(n.perms());
            }
        }
        return differs ? compare(state, target, root) : Optional.empty();
    }

    /**
     * Waits for the last reply first: a connection answers in order, so then the others are in and are taken
     * without the reply thread waking this one once per reply (which, on a loaded machine, cost more than the
     * requests themselves).
     */
    private static void lastOf(List<CompletableFuture<Reply>> sent, SutConnection c) {
        if (!sent.isEmpty()) {
            TreeImage.await(sent.get(sent.size() - 1), c);
        }
    }

    private static final int DIR = 1;
    private static final int READ = 2;
    private static final int PERMS = 4;

    /**
     * What to ask of each node, in path order (DIR, READ, PERMS bits): the nodes that differ between
     * {@code before} and {@code after}, found by walking both trees' child lists from {@code root} (the trees share
     * their nodes, so an unchanged node is the same object).
     */
    static Map<String, Integer> reads(Tree before, Tree after, String root) {
        Map<String, Integer> out = new TreeMap<>();
        if (before == after) {
            return out;
        }
        walk(before, after, root, root, out);
        return out;
    }

    private static void walk(Tree before, Tree after, String path, String root, Map<String, Integer> out) {
        Node b = before.node(path);
        Node a = after.node(path);
        if (b == null && a == null) {
            return;
        }
        if (b != a && !java.util.Objects.equals(b, a)) {
            if (a == null) {
                // removed: its parent's listing must not name it (the root has no listing in the case: read itself)
                String parent = parentOf(path);
                if (path.equals(root) || !after.exists(parent)) {
                    out.merge(path, READ, (x, y) -> x | y);
                } else {
                    out.merge(parent, DIR, (x, y) -> x | y);
                }
            } else if (b == null) {
                // new: its value and ACL, and its listing where it has children (a new leaf is listed by its parent)
                out.merge(path, READ | PERMS | (a.children().isEmpty() ? 0 : DIR), (x, y) -> x | y);
            } else {
                int what = 0;
                if (!b.children().equals(a.children())) {
                    what |= DIR;
                }
                if (!b.perms().equals(a.perms())) {
                    what |= PERMS;
                }
                if (!b.value().equals(a.value()) || what == 0) {
                    what |= READ; // also a node written with its own value: something was done to it
                }
                out.merge(path, what, (x, y) -> x | y);
            }
        }
        if (a != null) {
            for (String child : a.children()) {
                walk(before, after, join(path, child), root, out);
            }
        }
        if (b != null && (a == null || b.children() != a.children())) {
            for (String child : b.children()) {
                if (a == null || !a.children().contains(child)) {
                    walk(before, after, join(path, child), root, out);
                }
            }
        }
    }

    /** Whether the target's listing of {@code path} names exactly the children the model has there. */
    private static boolean sameChildren(Tree tree, String path, Node n, Reply dir) {
        if (dir instanceof Reply.Error err && err.name().equals("E2BIG")) {
            return true; // not listable here: the whole check decides by the nodes themselves
        }
        if (!(dir instanceof Reply.Names names)) {
            return n == null;
        }
        if (n == null) {
            return false;
        }
        Set<String> model = new HashSet<>();
        for (String child : n.children()) {
            if (tree.exists(join(path, child))) {
                model.add(child);
            }
        }
        return model.equals(new HashSet<>(names.names()));
    }

    static String join(String parent, String child) {
        return parent.equals("/") ? "/" + child : parent + "/" + child;
    }

    /**
     * A DIRECTORY answer, or, where it was E2BIG (children whose names fill more than a reply, XSA-72), the same
     * children read in parts, where the target can.
     */
    private static Reply listing(SutConnection c, String path, Reply dir) {
        return dir instanceof Reply.Error err && err.name().equals("E2BIG") ? inParts(c, path).orElse(dir) : dir;
    }

    /**
     * {@code path}'s children read with DIRECTORY_PART, chunk after chunk, until the chunk that ends the list (an
     * empty name); empty when the target refuses it (oxenstored 4.17: ENOSYS).
     */
    private static Optional<Reply> inParts(SutConnection c, String path) {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        for (int parts = 0; parts < MAX_PARTS; parts++) {
            Reply r = c.call(0, new Request.DirectoryPart(path, all.size()));
            if (!(r instanceof Reply.DirectoryChunk chunk)) {
                return Optional.empty();
            }
            byte[] b = chunk.chunk().toArray();
            boolean last = b.length == 0 || b[b.length - 1] == 0 && (b.length == 1 || b[b.length - 2] == 0);
            all.write(b, 0, last ? Math.max(0, b.length - 1) : b.length);
            if (last) {
                String names = new String(all.toByteArray(), java.nio.charset.StandardCharsets.ISO_8859_1);
                return Optional.of(new Reply.Names(names.isEmpty() ? List.of() : List.of(names.split("\u0000"))));
            }
        }
        return Optional.empty();
    }

    private static List<String> children(Answers a) {
        return a != null && a.dir() instanceof Reply.Names names ? names.names() : List.of();
    }

    static boolean under(String path, String root) {
        return root.equals("/") || path.equals(root) || path.startsWith(root + "/");
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    private static String nameOf(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
