package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The node tree: canonical absolute path -> {@link Node}, with the number of nodes each domain
 * owns (the quota counter, kept in step with every change). Immutable with structural sharing
 * ({@link PersistentMap}): a transaction snapshot is one reference, a write copies O(log n) small
 * arrays plus the parent's child list.
 *
 * <p>The tree does not enforce that every listed child exists: C's transactions read nodes lazily
 * from the live tree (see {@link Transactions}), which can list a child the view lacks and vice
 * versa, exactly as the daemon can.
 */
public final class Tree {
    private final PersistentMap<String, Node> nodes;
    private final ImmutableMap<Integer, Integer> owned;

    private Tree(PersistentMap<String, Node> nodes, ImmutableMap<Integer, Integer> owned) {
        this.nodes = nodes;
        this.owned = owned;
    }

    /** A tree holding only the root with {@code rootNode}. */
    public static Tree withRoot(Node rootNode) {
        return new Tree(PersistentMap.<String, Node>empty(), ImmutableMap.of()).put("/", rootNode);
    }

    public Optional<Node> get(String path) {
        return Optional.ofNullable(nodes.get(path));
    }

    /** The node at {@code path}, or null. */
    public Node node(String path) {
        return nodes.get(path);
    }

    public boolean exists(String path) {
        return nodes.get(path) != null;
    }

    public int size() {
        return nodes.size();
    }

    /** Nodes owned by {@code domid} (first ACL entry), root included. */
    public int ownedBy(int domid) {
        return owned.getOrDefault(domid, 0);
    }

    public ImmutableMap<Integer, Integer> ownerCounts() {
        return owned;
    }

    /** Every path, sorted, for comparisons and snapshots. */
    public List<String> paths() {
        List<String> out = new ArrayList<>(nodes.size());
        nodes.forEach((p, n) -> out.add(p));
        out.sort(null);
        return out;
    }

    /** path -> node, sorted by path; O(n), for comparing a whole tree. */
    public Map<String, Node> asSortedMap() {
        Map<String, Node> out = new TreeMap<>();
        nodes.forEach(out::put);
        return out;
    }

    /** Sets the node at {@code path} as is, without touching its parent's child list. */
    public Tree put(String path, Node node) {
        Node old = nodes.get(path);
        ImmutableMap<Integer, Integer> counts = owned;
        if (old == null || old.owner() != node.owner()) {
            counts = adjust(counts, node.owner(), 1);
            if (old != null) {
                counts = adjust(counts, old.owner(), -1);
            }
        }
        return new Tree(nodes.with(path, node), counts);
    }

    /** Removes the node at {@code path} alone (not its children, not its parent's entry). */
    public Tree drop(String path) {
        Node old = nodes.get(path);
        if (old == null) {
            return this;
        }
        return new Tree(nodes.without(path), adjust(owned, old.owner(), -1));
    }

    /** Adds a new node under an existing parent, appending its name to the parent's children. */
    public Tree create(String path, Node node, long gen) {
        String parent = Paths.parent(path);
        Node p = nodes.get(parent);
        if (p == null) {
            throw new IllegalStateException("parent of " + path + " is missing");
        }
        return put(parent, p.withChild(Paths.basename(path), gen)).put(path, node);
    }

    /**
     * Removes {@code path} and every node below it reachable through child lists, and the name from
     * the parent's list. Returns the removed paths, the subtree root first and then depth-first.
     */
    public Tree removeSubtree(String path, long gen, List<String> removed) {
        Tree t = this;
        List<String> order = new ArrayList<>();
        collect(path, order);
        for (String p : order) {
            t = t.drop(p);
        }
        removed.addAll(order);
        if (!path.equals("/")) {
            String parent = Paths.parent(path);
            Node pn = t.nodes.get(parent);
            if (pn != null) {
                t = t.put(parent, pn.withoutChild(Paths.basename(path), gen));
            }
        }
        return t;
    }

    /** The existing nodes of the subtree at {@code path}, the root first, depth-first. */
    public ImmutableList<String> subtree(String path) {
        List<String> order = new ArrayList<>();
        collect(path, order);
        return ImmutableList.copyOf(order);
    }

    private void collect(String path, List<String> out) {
        Node n = nodes.get(path);
        if (n == null) {
            return;
        }
        out.add(path);
        for (String c : n.children()) {
            collect(Paths.child(path, c), out);
        }
    }

    private static ImmutableMap<Integer, Integer> adjust(ImmutableMap<Integer, Integer> m, int domid, int delta) {
        int now = m.getOrDefault(domid, 0) + delta;
        ImmutableMap.Builder<Integer, Integer> b = ImmutableMap.builderWithExpectedSize(m.size() + 1);
        for (Map.Entry<Integer, Integer> e : m.entrySet()) {
            if (e.getKey() != domid) {
                b.put(e);
            }
        }
        if (now != 0) {
            b.put(domid, now);
        }
        return b.buildOrThrow();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Tree t && (t == this || t.nodes.equals(nodes));
    }

    @Override
    public int hashCode() {
        return nodes.hashCode();
    }

    @Override
    public String toString() {
        return "Tree(" + nodes.size() + " nodes)";
    }
}
