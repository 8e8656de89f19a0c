package io.xscheck.sut;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Brings a target's tree back to an earlier {@link TreeImage} over a privileged connection, so that
 * one daemon can serve many test cases: removes the nodes the image lacks, rewrites the values
 * and permissions that changed, recreates the nodes that went, then reads the tree again. The
 * reread is the verdict: a tree that still differs, even in the order of a directory (a recreated
 * node is listed last), is not restored, and the caller must not reuse the target.
 */
public final class TreeRestorer {

    /** A tree the size of a long test case; a larger one is cheaper to drop with its daemon. */
    public static final int MAX_NODES = 5000;

    private TreeRestorer() {
    }

    /**
     * @return true when the tree below {@code root} now reads back exactly as {@code pristine}
     * @throws SutException when the target dies, hangs or breaks the protocol meanwhile
     */
    public static boolean restore(SutConnection c, TreeImage pristine, String root) {
        return !repair(c, pristine, root) || pristine.readKnown(c).equals(pristine);
    }

    /**
     * The requests of {@link #restore} without its verdict: the caller reads the tree again itself
     * (after more work that must not change it, so that one read checks both).
     *
     * @return false when the tree read back exactly as {@code pristine} and nothing was sent
     * @throws SutException when the target dies, hangs or breaks the protocol meanwhile
     */
    public static boolean repair(SutConnection c, TreeImage pristine, String root) {
        return repair(c, pristine, root, null);
    }

    /**
     * {@link #repair(SutConnection, TreeImage, String)}, given what the target has now at the image's nodes (as
     * {@link TreeImage#readKnown} gives it) when the caller read that already: one round trip less. A wrong
     * {@code now} only makes the caller's verdict fail.
     *
     * @param now null: read here
     */
    public static boolean repair(SutConnection c, TreeImage pristine, String root, TreeImage now) {
        // Only the image's own nodes are read (one round trip): a node the image lacks is one of their children.
        if (now == null) {
            now = pristine.readKnown(c);
        }
        if (now.equals(pristine)) {
            return false;
        }
        List<Request> fixes = new ArrayList<>();
        for (Map.Entry<String, TreeImage.Node> e : now.nodes().entrySet()) {
            // The topmost extra nodes only: removing one takes its subtree.
            for (String child : e.getValue().children()) {
                String path = e.getKey().equals("/") ? "/" + child : e.getKey() + "/" + child;
                if (!pristine.has(path)) {
                    fixes.add(new Request.Rm(path));
                }
            }
        }
        // Parents come before children in an image, so a recreated parent exists before its children.
        for (Map.Entry<String, TreeImage.Node> e : pristine.nodes().entrySet()) {
            String path = e.getKey();
            TreeImage.Node want = e.getValue();
            TreeImage.Node got = now.nodes().get(path);
            if (got == null || !got.value().equals(want.value())) {
                fixes.add(new Request.Write(path, want.value()));
            }
            if ((got == null || !got.perms().equals(want.perms())) && want.perms() instanceof Reply.Perms p) {
                fixes.add(new Request.SetPerms(path, p.perms()));
            }
        }
        // In one write, which the daemon handles in order, and the last reply awaited first: the connection answers
        // in order, so the others are in by then and are taken without a wake-up each.
        List<CompletableFuture<Reply>> pending = c.sendAll(fixes);
        if (!pending.isEmpty()) {
            TreeImage.await(pending.get(pending.size() - 1), c);
        }
        for (CompletableFuture<Reply> f : pending) {
            TreeImage.await(f, c);
        }
        return true;
    }

    static String parentOf(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }
}
