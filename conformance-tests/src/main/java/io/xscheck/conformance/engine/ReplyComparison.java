package io.xscheck.conformance.engine;

import com.google.common.collect.HashMultiset;
import com.google.common.collect.ImmutableMultiset;
import io.xscheck.model.Delivery;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.WatchEvent;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The one place that knows how dialects may differ in the form of a reply: a DIRECTORY is an
 * ordered list when the dialect fixes an order and a set otherwise; a GET_PERMS reply is compared
 * entry by entry (the model prints the ACL as the dialect does); transaction ids and
 * DIRECTORY_PART generation counts are opaque, and so are the transaction ages in C's refusal of a live update;
 * error names are exact. Events are compared per connection as multisets, never across connections.
 */
public final class ReplyComparison {
    private final boolean orderedDirectories;
    private final boolean chunksClipNames;

    public ReplyComparison(Dialect dialect) {
        this.orderedDirectories = !dialect.name().equals(Dialect.SPEC);
        this.chunksClipNames = dialect.tree().directoryPartClipsNames();
    }

    public boolean orderedDirectories() {
        return orderedDirectories;
    }

    public boolean sameReply(Reply model, Reply target) {
        if (model.equals(target)) {
            return true;
        }
        if (model instanceof Reply.TransactionId && target instanceof Reply.TransactionId) {
            return true;
        }
        // A generation count means something only between two calls on one daemon (C: the node's
        // global generation, QEMU: a per-node counter; xenstore.txt "DIRECTORY_PART"), so only the chunk is compared.
        if (model instanceof Reply.DirectoryChunk m && target instanceof Reply.DirectoryChunk t) {
            return m.chunk().equals(t.chunk()) || chunksClipNames && sameCut(m, t);
        }
        if (!orderedDirectories && model instanceof Reply.Names m && target instanceof Reply.Names t) {
            return HashMultiset.create(m.names()).equals(HashMultiset.create(t.names()));
        }
        // C's refusal of a live update names each domain holding a transaction with the transaction's age in whole
        // seconds (xenstored_control.c lu_reject_reason): wall-clock time, which the model cannot know, so only the
        // domains are compared (gate seed 79106: "Domain 2: 2 s" after a slow case, where the model had 0 s or 1 s).
        if (model instanceof Reply.Text m && target instanceof Reply.Text t && m.text().startsWith(LONG_RUNNING)
                && t.text().startsWith(LONG_RUNNING)) {
            return AGE.matcher(m.text()).replaceAll(": ? s").equals(AGE.matcher(t.text()).replaceAll(": ? s"));
        }
        return false;
    }

    private static final String LONG_RUNNING = "Domains with long running transactions:";
    private static final java.util.regex.Pattern AGE = java.util.regex.Pattern.compile(": [0-9]+ s(?=\n|$)");

    /**
     * Where a chunk is the rest of the listing cut at the payload limit (QEMU, TreeKnobs.directoryPartClipsNames),
     * a longer generation count leaves room for fewer bytes: two chunks cut at their limits are the same when the
     * shorter is the start of the longer (gate seed 63014: QEMU's count "3" against the model's "10").
     */
    private static boolean sameCut(Reply.DirectoryChunk m, Reply.DirectoryChunk t) {
        boolean mCut = m.chunk().length() == PAYLOAD_MAX - m.generation().length() - 1;
        boolean tCut = t.chunk().length() == PAYLOAD_MAX - t.generation().length() - 1;
        if (!mCut || !tCut) {
            return false;
        }
        byte[] a = m.chunk().toArray();
        byte[] b = t.chunk().toArray();
        int n = Math.min(a.length, b.length);
        return java.util.Arrays.equals(a, 0, n, b, 0, n);
    }

    private static final int PAYLOAD_MAX = 4096;

    /** Per connection, the model's deliveries against the events the target delivered. */
    public boolean sameEvents(ImmutableMultiset<Delivery> model, Map<String, List<WatchEvent>> target) {
        Set<String> conns = new TreeSet<>(target.keySet());
        model.forEach(d -> conns.add(d.conn()));
        for (String conn : conns) {
            if (!expected(model, conn).equals(HashMultiset.create(target.getOrDefault(conn, List.of())))) {
                return false;
            }
        }
        return true;
    }

    static HashMultiset<WatchEvent> expected(ImmutableMultiset<Delivery> model, String conn) {
        HashMultiset<WatchEvent> out = HashMultiset.create();
        model.forEach(d -> {
            if (d.conn().equals(conn)) {
                out.add(d.event());
            }
        });
        return out;
    }

    /** True when two ACLs say the same thing: owner first, entries in the same order. */
    public boolean samePerms(List<Perm> model, List<Perm> target) {
        return model.equals(target);
    }
}
