package io.xscheck.sut;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A target's tree below a root as a client reads it back: each node's value, its GET_PERMS reply
 * and its children in the order DIRECTORY listed them, parents before children. Two images are
 * equal when no READ, GET_PERMS or DIRECTORY could tell the two trees apart.
 */
public record TreeImage(ImmutableMap<String, Node> nodes) {

    /** Beyond a connection's own timeout, so the connection's clearer error normally wins. */
    private static final long BOUND_SECONDS = 10;

    public record Node(Bytes value, Reply perms, ImmutableList<String> children) {
    }

    /** Whether {@code path} is a node of the image. */
    public boolean has(String path) {
        return nodes.containsKey(path);
    }

    /**
     * Reads the tree below {@code root} level by level, every level's requests pipelined; stops
     * adding levels once {@code maxNodes} nodes are read. A node that vanishes while it is read
     * (its READ fails) is left out.
     *
     * @throws SutException when the target dies, hangs or breaks the protocol
     */
    public static TreeImage read(SutConnection c, String root, int maxNodes) {
        Map<String, Node> out = new LinkedHashMap<>();
        List<String> level = List.of(root);
        while (!level.isEmpty() && out.size() < maxNodes) {
            List<Request> asks = new ArrayList<>();
            for (String p : level) {
                asks.add(new Request.Directory(p));
                asks.add(new Request.Read(p));
                asks.add(new Request.GetPerms(p));
            }
            List<CompletableFuture<Reply>> pending = c.sendAll(asks);
            List<String> next = new ArrayList<>();
            for (int i = 0; i < level.size(); i++) {
                String p = level.get(i);
                Reply dir = await(pending.get(3 * i), c);
                Reply value = await(pending.get(3 * i + 1), c);
                Reply perms = await(pending.get(3 * i + 2), c);
                Node node = nodeOf(dir, value, perms);
                if (node == null) {
                    continue;
                }
                out.put(p, node);
                for (String child : node.children()) {
                    next.add(p.equals("/") ? "/" + child : p + "/" + child);
                }
            }
            level = next;
        }
        return new TreeImage(ImmutableMap.copyOf(out));
    }

    /**
     * What the target has now at every node of this image, asked in one pipelined round trip
     * (DIRECTORY, READ, GET_PERMS per node) instead of one per level: the nodes this image has and
     * the target still READs, each with what the target answered. A node the target lacks is left
     * out; a node the target has and this image lacks shows only in its parent's children. Equal to
     * this image exactly when {@link #read} would give an equal image.
     *
     * @throws SutException when the target dies, hangs or breaks the protocol
     */
    public TreeImage readKnown(SutConnection c) {
        return sendReadKnown(c).image();
    }

    /**
     * The requests of {@link #readKnown} sent and not awaited, so that a caller's next request on
     * {@code c} shares their round trip (and comes after them).
     */
    public KnownRead sendReadKnown(SutConnection c) {
        List<Request> asks = new ArrayList<>();
        for (String p : nodes.keySet()) {
            asks.add(new Request.Directory(p));
            asks.add(new Request.Read(p));
            asks.add(new Request.GetPerms(p));
        }
        return new KnownRead(c, c.sendAll(asks));
    }

    /** The replies of {@link #sendReadKnown}, to come. */
    public final class KnownRead {
        private final SutConnection c;
        private final List<CompletableFuture<Reply>> pending;

        private KnownRead(SutConnection c, List<CompletableFuture<Reply>> pending) {
            this.c = c;
            this.pending = pending;
        }

        /** What {@link #readKnown} returns. */
        public TreeImage image() {
            return collect(c, pending);
        }
    }

    private TreeImage collect(SutConnection c, List<CompletableFuture<Reply>> pending) {
        Map<String, Node> out = new LinkedHashMap<>();
        int i = 0;
        for (String p : nodes.keySet()) {
            Reply dir = await(pending.get(i++), c);
            Reply value = await(pending.get(i++), c);
            Reply perms = await(pending.get(i++), c);
            Node node = nodeOf(dir, value, perms);
            if (node != null) {
                out.put(p, node);
            }
        }
        return new TreeImage(ImmutableMap.copyOf(out));
    }

    /**
     * A node as a client reads it from its DIRECTORY, READ and GET_PERMS replies; null when the READ fails (the node
     * is not there, as a reader sees it).
     */
    public static Node nodeOf(Reply dir, Reply value, Reply perms) {
        if (value instanceof Reply.Error) {
            return null;
        }
        List<String> children = dir instanceof Reply.Names names ? names.names() : List.of();
        return new Node(value instanceof Reply.Value v ? v.value() : Bytes.EMPTY, perms, ImmutableList.copyOf(children));
    }

    /** This image's nodes at {@code paths} (in this image's order): what {@code readKnown} of an image of those paths would give. */
    public TreeImage only(java.util.Set<String> paths) {
        Map<String, Node> out = new LinkedHashMap<>();
        nodes.forEach((p, n) -> {
            if (paths.contains(p)) {
                out.put(p, n);
            }
        });
        return new TreeImage(ImmutableMap.copyOf(out));
    }

    /** The reply, or the failure as a {@link SutException} (a tree check's reads fail the same way). */
    public static Reply await(CompletableFuture<Reply> f, SutConnection c) {
        try {
            return f.get(BOUND_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SutException(SutException.Kind.HUNG, "target", "interrupted while reading the tree", "", e);
        } catch (TimeoutException e) {
            throw new SutException(SutException.Kind.HUNG, "target", "no reply in " + BOUND_SECONDS
                    + " s while reading the tree as dom" + c.domid(), "", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SutException se) {
                throw se;
            }
            throw new SutException(SutException.Kind.PROTOCOL, "target", String.valueOf(e.getCause()), "", e.getCause());
        }
    }
}
