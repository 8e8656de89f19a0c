package io.xscheck.model;

import com.google.common.collect.ImmutableSet;

/**
 * <h2>A re-used domain id inherits nothing (XSA-322), where C keeps dead domains' ACL entries</h2>
 * C keeps a dead domain's ACL entries listed and decides at each read of a node whether one grants:
 * not if xenstored holds no {@code struct domain} for the id, not if that struct is younger than the
 * node's last change, and never again once the node was written with the entry flagged
 * {@code XS_PERM_IGNORE} (tools/xenstore/xenstored_domain.c chk_domain_generation,
 * domain_adjust_node_perms, domain_alloc_permrefs; the same at RELEASE-4.20.4 in tools/xenstored/domain.c).
 * An entry naming a domain the hypervisor does not know is flagged as it is written.
 *
 * <p>What the model promises is the advisory's: once a domain's struct is gone, a later struct for
 * its id (a new domain introduced with it, or a SET_PERMS naming it while the hypervisor still knows
 * it) is younger than every entry naming it, so none of them grants. C deviates in one narrow
 * window: its age test compares a counter that only node writes and transaction starts move, so
 * when nothing at all was written between the node's last change and the new struct, the entry on
 * the node written last still grants (xsa/xsa-322-domid-reuse.trace: C 4.17.7 and 4.20.4 answer the
 * new domain's READ; with one write in between, EACCES). That is a bug entry (docs/divergences.md),
 * not a knob. Only dialects with {@link Dialect#deadDomainAclEntriesKept()} keep this state.
 *
 * @param notIntroduced domains C holds a struct for without an INTRODUCE (SET_PERMS named them while
 *                      the hypervisor knew them; freed only when the hypervisor forgets them)
 * @param freed         domains whose struct went at their RELEASE or death
 */
public record DomainStructs(ImmutableSet<Integer> notIntroduced, ImmutableSet<Integer> freed) {

    public static final DomainStructs NONE = new DomainStructs(ImmutableSet.of(), ImmutableSet.of());

    /** Whether C holds a {@code struct domain} for {@code domid}: dom0, an introduced domain, or one SET_PERMS named. */
    public static boolean hasStruct(ModelState s, int domid) {
        return domid == 0 || s.isIntroduced(domid) || s.domainStructs().notIntroduced().contains(domid);
    }

    /** The domain's struct went (C destroy_domain, at RELEASE or at its death). */
    static ModelState freed(ModelState s, int domid) {
        DomainStructs g = s.domainStructs();
        return s.withDomainStructs(new DomainStructs(without(g.notIntroduced, domid), with(g.freed, domid)));
    }

    /**
     * C's live update carries a struct across only with its domain's connection (xenstored_domain.c
     * dump_state_connections, read_state_connection), and gives every restored node a new generation
     * (xenstored_core.c read_state_node: {@code ++generation}): a struct SET_PERMS made without an INTRODUCE is
     * gone, and the next one for its id is younger than every node, as after a release (probe
     * live-update-cxenstored.txt "struct of a domain never introduced": C 4.17.7 and 4.20.4 skip the entries).
     */
    static ModelState liveUpdated(ModelState s) {
        DomainStructs g = s.domainStructs();
        if (g.notIntroduced.isEmpty()) {
            return s;
        }
        return s.withDomainStructs(new DomainStructs(ImmutableSet.of(), ImmutableSet.<Integer>builder().addAll(g.freed)
                .addAll(g.notIntroduced).build()));
    }

    /**
     * C allocates a struct for a domain that has none; a freed domain's entries are all older than it
     * and are flagged. {@code introduced}: by INTRODUCE (the domain map records it), else by SET_PERMS.
     */
    static ModelState allocate(ModelState s, int domid, boolean introduced) {
        if (hasStruct(s, domid)) {
            return s;
        }
        DomainStructs g = s.domainStructs();
        Tree t = s.tree();
        if (g.freed.contains(domid)) {
            for (String p : s.tree().paths()) {
                Node n = t.node(p);
                if (n.names(domid) && !n.ignored().contains(domid)) {
                    t = t.put(p, n.withIgnored(with(n.ignored(), domid)));
                }
            }
        }
        DomainStructs next = new DomainStructs(introduced ? g.notIntroduced : with(g.notIntroduced, domid),
                without(g.freed, domid));
        return s.withTree(t).withDomainStructs(next);
    }

    /**
     * C writes a transaction's copy of every node the transaction touches, a read one too (transaction.c access_node:
     * write_node_raw), and domain_adjust_node_perms flags each entry naming a domain it holds no struct for then: for
     * good, and into the main tree when the commit moves the copy there without looking again. {@link #allocate} flags
     * the main tree's nodes only, so the copies this step made or changed are flagged here (4.20 gate seed 79037,
     * 4.17.7 and 4.20.4: a transaction wrote /local/domain/1, whose b2 named the dead domain 2, then a new domain 2
     * came, and after the commit it was refused EACCES; committed before the new domain came, the same).
     */
    static Transaction flagCopies(ModelState s, Transaction before, Transaction after) {
        PersistentMap<String, Transaction.Accessed> acc = after.accessed();
        PersistentMap<String, Transaction.Accessed> out = acc;
        for (java.util.Map.Entry<String, Transaction.Accessed> e : acc.entries()) {
            Transaction.Accessed a = e.getValue();
            // an entry this step left alone is the same object in the persistent map: not compared field by field
            if (a.node().isEmpty() || a == before.accessed().get(e.getKey())) {
                continue;
            }
            Node n = a.node().get();
            ImmutableSet<Integer> ignored = n.ignored();
            for (int i = 1; i < n.perms().size(); i++) {
                int id = n.perms().get(i).domid();
                if (!hasStruct(s, id) && !ignored.contains(id)) {
                    ignored = with(ignored, id);
                }
            }
            if (ignored != n.ignored()) {
                out = out.with(e.getKey(), new Transaction.Accessed(java.util.Optional.of(n.withIgnored(ignored)),
                        a.generation(), a.checkGeneration(), a.modified(), a.order()));
            }
        }
        return out == acc ? after : after.withAccessed(out);
    }

    private static ImmutableSet<Integer> with(ImmutableSet<Integer> set, int x) {
        return ImmutableSet.<Integer>builder().addAll(set).add(x).build();
    }

    private static ImmutableSet<Integer> without(ImmutableSet<Integer> set, int x) {
        return set.stream().filter(y -> y != x).collect(ImmutableSet.toImmutableSet());
    }
}
