package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import java.util.Optional;

/**
 * An open transaction. What it holds depends on the dialect's conflict rule (see {@link Transactions}):
 * <ul>
 * <li>snapshot dialects (oxenstored, QEMU, spec): {@code view}, the tree as of START plus the
 *     transaction's own changes (a reference to the shared persistent tree, not a copy);</li>
 * <li>C: {@code accessed}, each node as the transaction first saw it (lazily, from the live tree)
 *     with the generation to check at commit, and its own changes on top;</li>
 * </ul>
 * plus {@code base}, the main tree at START (oxenstored checks events against it), the main tree's commit count at START (QEMU, spec, oxenstored's "root unchanged" fast
 * path), the watch changes to fire at commit, the recorded requests and replies (oxenstored
 * replays them), whether it wrote anything, whether C marked it failed (END T gives ENOMEM), and
 * oxenstored's lowest common paths of its reads and writes ({@code readLow}, {@code writeLow}; empty
 * string for none; transaction.ml read_lowpath/write_lowpath) for coalescing at commit, and the
 * ACLs of C 4.18+'s special nodes set in it ({@code specialAcls}, applied at commit; SpecialNodes) and the special
 * nodes it read, with how many times each had been set then ({@code specialReads}, checked at commit).
 */
public record Transaction(
        long id,
        Tree base,
        Tree view,
        PersistentMap<String, Accessed> accessed,
        long startCommits,
        ImmutableList<Change> changes,
        ImmutableList<Recorded> recorded,
        boolean wrote,
        boolean failed,
        String readLow,
        String writeLow,
        com.google.common.collect.ImmutableMap<String, ImmutableList<io.xscheck.protocol.Perm>> specialAcls,
        com.google.common.collect.ImmutableMap<String, Long> specialReads) {

    /**
     * C: a node as first accessed in the transaction. {@code node} empty = did not exist then / deleted since.
     * {@code order}: how many nodes the transaction had accessed before it (C keeps its accessed list in that
     * order, and commits and fires node by node along it).
     */
    public record Accessed(Optional<Node> node, long generation, boolean checkGeneration, boolean modified, int order) {
        public static final long NO_GENERATION = -1;
    }

    /** oxenstored: a request made in the transaction and the reply it got. */
    public record Recorded(Request request, Reply reply) {
    }

    Transaction withView(Tree v) {
        return new Transaction(id, base, v, accessed, startCommits, changes, recorded, wrote, failed, readLow, writeLow, specialAcls, specialReads);
    }

    Transaction withAccessed(PersistentMap<String, Accessed> a) {
        return new Transaction(id, base, view, a, startCommits, changes, recorded, wrote, failed, readLow, writeLow, specialAcls, specialReads);
    }

    Transaction plusChanges(ImmutableList<Change> c) {
        if (c.isEmpty()) {
            return this;
        }
        return new Transaction(id, base, view, accessed, startCommits,
                ImmutableList.<Change>builder().addAll(changes).addAll(c).build(), recorded, wrote, failed, readLow, writeLow, specialAcls, specialReads);
    }

    Transaction plusRecorded(Recorded r) {
        return new Transaction(id, base, view, accessed, startCommits, changes,
                ImmutableList.<Recorded>builder().addAll(recorded).add(r).build(), wrote, failed, readLow, writeLow, specialAcls, specialReads);
    }

    Transaction markWrote() {
        return wrote ? this : new Transaction(id, base, view, accessed, startCommits, changes, recorded, true, failed, readLow, writeLow, specialAcls, specialReads);
    }

    Transaction withLowPaths(String read, String write) {
        return new Transaction(id, base, view, accessed, startCommits, changes, recorded, wrote, failed, read, write, specialAcls, specialReads);
    }

    Transaction withSpecialAcl(String name, ImmutableList<io.xscheck.protocol.Perm> acl) {
        java.util.Map<String, ImmutableList<io.xscheck.protocol.Perm>> m = new java.util.LinkedHashMap<>(specialAcls);
        m.put(name, acl);
        return new Transaction(id, base, view, accessed, startCommits, changes, recorded, wrote, failed, readLow, writeLow,
                com.google.common.collect.ImmutableMap.copyOf(m), specialReads);
    }

    /**
     * C 4.18+: the transaction read a special node, which (as any node it reads) is checked at commit: {@code writes}
     * is how many times its ACL had been set then ({@link ModelState#specialWrites}). The first read counts.
     */
    Transaction withSpecialRead(String name, long writes) {
        if (specialReads.containsKey(name)) {
            return this;
        }
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>(specialReads);
        m.put(name, writes);
        return new Transaction(id, base, view, accessed, startCommits, changes, recorded, wrote, failed, readLow, writeLow,
                specialAcls, com.google.common.collect.ImmutableMap.copyOf(m));
    }

    Transaction markFailed() {
        return new Transaction(id, base, view, accessed, startCommits, changes, recorded, wrote, true, readLow, writeLow, specialAcls, specialReads);
    }
}
