package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import io.xscheck.protocol.Perm;
import java.util.Map;
import java.util.Optional;

/**
 * The whole state of a xenstore, immutable: the node tree, introduced domains, connections (each
 * with its watches and open transactions), the ACLs of the special watch names (C keeps them
 * apart from the tree), the global generation counter (C's, for conflicts and DIRECTORY_PART) and
 * the number of changes committed to the main tree (QEMU's conflict rule, oxenstored's fast path),
 * and the domains the hypervisor knows ({@code existing}: dom0, every domain introduced or
 * connected; C refuses ACL owners outside it). A dead domain stays in {@code existing}: the test
 * harness's fake hypervisor keeps it as dying, which is what the daemons then see; {@code dead}
 * lists the domains killed so far, so that one introduced again is cleaned up at the next death
 * notification (C check_domains and oxenstored Domains.cleanup look at every introduced domain).
 * {@code domainStructs} says which domains C holds a struct for beyond the introduced ones, and
 * whose struct went (XSA-322). {@code specialWrites} counts the SET_PERMS of each special name (C 4.18+ writes
 * it as a node of its database, so a transaction that read it conflicts at commit once it is set again). The tree is
 * shared structurally between states and transaction snapshots.
 */
public record ModelState(
        Tree tree,
        ImmutableMap<String, Connection> connections,
        ImmutableMap<Integer, Domain> domains,
        ImmutableMap<String, ImmutableList<Perm>> specialAcls,
        long generation,
        long commits,
        ImmutableSet<Integer> existing,
        ImmutableSet<Integer> dead,
        DomainStructs domainStructs,
        long lastTxId,
        ImmutableMap<String, Long> specialWrites) {

    public Optional<Connection> connection(String name) {
        return Optional.ofNullable(connections.get(name));
    }

    public boolean isIntroduced(int domid) {
        return domains.containsKey(domid);
    }

    ModelState withTree(Tree t) {
        return new ModelState(t, connections, domains, specialAcls, generation, commits, existing, dead, domainStructs, lastTxId, specialWrites);
    }

    ModelState withConnection(String name, Connection c) {
        return new ModelState(tree, put(connections, name, c), domains, specialAcls, generation, commits, existing, dead, domainStructs, lastTxId, specialWrites);
    }

    ModelState withoutConnection(String name) {
        return new ModelState(tree, remove(connections, name), domains, specialAcls, generation, commits, existing, dead, domainStructs, lastTxId, specialWrites);
    }

    ModelState withConnections(ImmutableMap<String, Connection> cs) {
        return new ModelState(tree, cs, domains, specialAcls, generation, commits, existing, dead, domainStructs, lastTxId, specialWrites);
    }

    ModelState withDomain(Domain d) {
        ImmutableSet<Integer> ex = existing.contains(d.domid()) ? existing
                : ImmutableSet.<Integer>builder().addAll(existing).add(d.domid()).build();
        return new ModelState(tree, connections, put(domains, d.domid(), d), specialAcls, generation, commits, ex, dead, domainStructs, lastTxId, specialWrites);
    }

    ModelState withDead(int domid) {
        if (dead.contains(domid)) {
            return this;
        }
        return new ModelState(tree, connections, domains, specialAcls, generation, commits, existing,
                ImmutableSet.<Integer>builder().addAll(dead).add(domid).build(), domainStructs, lastTxId, specialWrites);
    }

    /** {@code domid} runs again: a new domain of that id, no longer one a death notification cleans up. */
    ModelState withoutDead(int domid) {
        if (!dead.contains(domid)) {
            return this;
        }
        return new ModelState(tree, connections, domains, specialAcls, generation, commits, existing,
                ImmutableSet.copyOf(dead.stream().filter(x -> x != domid).toList()), domainStructs, lastTxId, specialWrites);
    }

    /** Whether the hypervisor knows {@code domid} (see the class comment). */
    public boolean domainExists(int domid) {
        return domid == 0 || existing.contains(domid);
    }

    ModelState withoutDomain(int domid) {
        return new ModelState(tree, connections, remove(domains, domid), specialAcls, generation, commits, existing, dead, domainStructs, lastTxId, specialWrites);
    }

    /** Sets a special node's ACL; C 4.18+ writes it as a node, so a transaction that read it conflicts at commit. */
    ModelState withSpecialAcl(String name, ImmutableList<Perm> acl) {
        return new ModelState(tree, connections, domains, put(specialAcls, name, acl), generation, commits, existing, dead,
                domainStructs, lastTxId, put(specialWrites, name, specialWrites(name) + 1));
    }

    /** How many times the special node's ACL was set (C 4.18+: a transaction compares it at commit with its read). */
    public long specialWrites(String name) {
        return specialWrites.getOrDefault(name, 0L);
    }

    ModelState withDomainStructs(DomainStructs g) {
        return new ModelState(tree, connections, domains, specialAcls, generation, commits, existing, dead, g, lastTxId, specialWrites);
    }

    /** QEMU numbers transactions across connections: the last id it gave (xenstore_impl.c s->last_tx). */
    ModelState withLastTxId(long id) {
        return new ModelState(tree, connections, domains, specialAcls, generation, commits, existing, dead, domainStructs, id, specialWrites);
    }

    ModelState withGeneration(long g) {
        return new ModelState(tree, connections, domains, specialAcls, g, commits, existing, dead, domainStructs, lastTxId, specialWrites);
    }

    /** The main tree changed: count a commit (QEMU's and oxenstored's notion of "the store moved"). */
    ModelState committed(Tree t, long gen) {
        return new ModelState(t, connections, domains, specialAcls, gen, commits + 1, existing, dead, domainStructs, lastTxId, specialWrites);
    }

    /** A commit that changed no node still moved the store (QEMU: the transaction's tree becomes the main tree). */
    ModelState committedUnchanged() {
        return new ModelState(tree, connections, domains, specialAcls, generation, commits + 1, existing, dead, domainStructs, lastTxId, specialWrites);
    }

    static <K, V> ImmutableMap<K, V> put(ImmutableMap<K, V> m, K key, V value) {
        ImmutableMap.Builder<K, V> b = ImmutableMap.builderWithExpectedSize(m.size() + 1);
        boolean replaced = false;
        for (Map.Entry<K, V> e : m.entrySet()) {
            if (e.getKey().equals(key)) {
                b.put(key, value);
                replaced = true;
            } else {
                b.put(e);
            }
        }
        if (!replaced) {
            b.put(key, value);
        }
        return b.buildOrThrow();
    }

    static <K, V> ImmutableMap<K, V> remove(ImmutableMap<K, V> m, K key) {
        ImmutableMap.Builder<K, V> b = ImmutableMap.builderWithExpectedSize(m.size());
        for (Map.Entry<K, V> e : m.entrySet()) {
            if (!e.getKey().equals(key)) {
                b.put(e);
            }
        }
        return b.buildOrThrow();
    }
}
