package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableMultiset;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.XsError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * <h2>Domains</h2>
 * INTRODUCE tells the store about a domain (its ring and event channel) and fires
 * {@code @introduceDomain}; RELEASE and the domain's death forget it, clean up its nodes and fire
 * {@code @releaseDomain}; IS_DOMAIN_INTRODUCED answers T or F; GET_DOMAIN_PATH answers
 * {@code /local/domain/<domid>} for anyone; RESUME clears the shut-down latch; SET_TARGET lets a
 * domain act with another's rights (xenstore.txt "Domain management"). All but GET_DOMAIN_PATH are
 * privileged: EACCES for anyone else, checked before the transaction id (C process_message).
 *
 * <p>Where the dialects differ: a dead domain's nodes are removed with events (C) or silently
 * (oxenstored) ({@link Dialect#domainDeathNodes()}); RELEASE of an unknown domain is ENOENT (C)
 * or EINVAL (oxenstored); QEMU implements none of these (EACCES, GET_DOMAIN_PATH ENOSYS).
 */
final class Domains {
    private Domains() {
    }

    /** DOMID_SELF (xen/include/public/xen.h): IS_DOMAIN_INTRODUCED answers T for it (C do_is_domain_introduced). */
    static final int DOMID_SELF = 0x7FF0;

    static Outcome introduce(Dialect d, ModelState s, int domid, long mfn, int port) {
        if (port <= 0 && d.domains().introduceRejectsBadPort()) {
            // C do_introduce: port <= 0 -> EINVAL.
            return Model.error(s, XsError.EINVAL, Rule.DOMAINS_INTRODUCE_BAD_PORT);
        }
        Domain existing = s.domains().get(domid);
        if (existing != null) {
            if (d.domains().introduceOfKnownDomainChecksRing() && existing.mfn() != mfn) {
                // oxenstored do_introduce: an existing domid with another mfn/port -> EINVAL.
                return Model.error(s, XsError.EINVAL, Rule.DOMAINS_INTRODUCE_CONFLICTING);
            }
            ModelState next = s;
            if (d.domains().reintroduceResetsConnection()) {
                // C do_introduce on a known domain: domain_conn_reset drops the connection's watches and transactions.
                for (Map.Entry<String, Connection> e : s.connections().entrySet()) {
                    if (e.getValue().domid() == domid) {
                        next = next.withConnection(e.getKey(),
                                e.getValue().withWatches(ImmutableList.of()).withTransactions(ImmutableMap.of()));
                    }
                }
            }
            // C introduce_domain: a known domain is only rebound, no @introduceDomain.
            return Outcome.of(Allowed.of(new Reply.Ok(), next), Rule.DOMAINS_INTRODUCE_AGAIN);
        }
        ModelState allocated = d.acls().deadDomainAclEntriesKept() ? DomainStructs.allocate(s, domid, true) : s;
        ModelState next = allocated.withDomain(new Domain(domid, mfn, port, -1, false));
        // xenstore.txt "INTRODUCE": fires @introduceDomain.
        return Outcome.of(new Allowed(new Reply.Ok(), next, Watches.fireSpecial(d, next, "@introduceDomain")),
                Rule.DOMAINS_INTRODUCE);
    }

    static Outcome release(Dialect d, ModelState s, int domid) {
        if (domid == 0 && d.domains().dom0IsADomain()) {
            // C do_release (domid 0 cannot be released) -> EINVAL.
            return Model.error(s, XsError.EINVAL, Rule.DOMAINS_RELEASE_DOM0);
        }
        if (!s.domains().containsKey(domid)) {
            if (d.domains().releaseOfUnknownDomainResetsIt()) {
                // oxenstored do_release: Store.reset_permissions runs first (nodes owned by domid go, silently), then the lookup fails.
                Gone g = gone(d, s, domid);
                XsError e = domid == 0 ? XsError.ENOENT : XsError.EINVAL;
                return Outcome.of(new Allowed(Reply.Error.of(e), g.state, ImmutableMultiset.of()), Rule.DOMAINS_RELEASE_UNKNOWN_RESETS);
            }
            // C do_release: unknown domain -> ENOENT.
            return Model.error(s, XsError.ENOENT, Rule.DOMAINS_RELEASE_UNKNOWN);
        }
        Gone g = gone(d, s, domid);
        return Outcome.of(new Allowed(new Reply.Ok(), g.state, g.events), Rule.DOMAINS_RELEASE);
    }

    /** The domain died: the same cleanup as RELEASE (C domain_cleanup / oxenstored Domains.cleanup). */
    static Outcome death(Dialect d, ModelState s, int domid) {
        ModelState cur = s.withDead(domid);
        ImmutableMultiset.Builder<Delivery> events = ImmutableMultiset.builder();
        boolean any = false;
        // C check_domains / oxenstored Domains.cleanup: every introduced domain the hypervisor reports dying is
        // cleaned up, one killed earlier and introduced again included (probe differential/rep6-cxenstored-4.trace: kill 2,
        // introduce 2, kill 1 -> @releaseDomain for domain 2).
        boolean onePerScan = d.domains().releaseEventOncePerScan();
        for (int x : com.google.common.collect.ImmutableSortedSet.copyOf(cur.dead())) {
            if (cur.domains().containsKey(x)) {
                Gone g = gone(d, cur, x);
                cur = g.state;
                if (!onePerScan) {
                    events.addAll(g.events);
                }
                any = true;
            }
        }
        if (onePerScan && any) {
            // oxenstored xenstored.ml process_special_fds: after Domains.cleanup, "if deaddom <> [] || notify then
            // fire_spec_watches ... release_domain": one event per VIRQ_DOM_EXC however many domains died (4.17.7 and
            // 4.20.4; probes differential/rep-oxenstored-4.20-release-once.trace and oxenstored-4.17.7-release-once.txt: watch @releaseDomain, kill 2,
            // introduce 2, kill 1 -> one event, on 4.17.7 too).
            events.addAll(Watches.fireSpecial(d, cur, "@releaseDomain"));
        }
        // A connection of a domain this notification cleans up is gone with it: what the cleanup of another domain
        // fired to it first is never read (gate seed 41079: kill 1, introduce 1, G2 watch /, SET_PERMS /e-1 owned by 1,
        // kill 2 -> domain 1's cleanup fires /e-1, but G2 dies in the same scan; 4.17.7 and 4.20.4 send it nothing).
        ModelState after = cur;
        ImmutableMultiset<Delivery> read = events.build().stream().filter(e -> after.connections().containsKey(e.conn()))
                .collect(ImmutableMultiset.toImmutableMultiset());
        return Outcome.of(new Allowed(new Reply.Ok(), cur, read), any ? Rule.DOMAINS_DEATH : Rule.DOMAINS_DEATH_OF_UNKNOWN_DOMAIN);
    }

    private record Gone(ModelState state, ImmutableMultiset<Delivery> events) {
    }

    private static Gone gone(Dialect d, ModelState s, int domid) {
        ImmutableMap.Builder<String, Connection> keep = ImmutableMap.builder();
        for (Map.Entry<String, Connection> e : s.connections().entrySet()) {
            // The domain's own connection goes with it (C talloc_free(domain->conn); oxenstored Connections.del_domain).
            // dom0's clients are socket connections, which del_domain does not look at: oxenstored's RELEASE 0 keeps them.
            if (e.getValue().domid() != domid || domid == 0) {
                keep.put(e);
            }
        }
        ModelState next = s.withConnections(keep.buildOrThrow()).withoutDomain(domid);
        if (d.domains().domainDeathNodes() == DomainKnobs.DomainDeathNodes.KEPT) {
            return new Gone(next, Watches.fireSpecial(d, next, "@releaseDomain"));
        }
        Gone g = finish(d, next, next.tree(), next.generation() + 1, new ArrayList<>(), domid);
        if (!d.acls().deadDomainAclEntriesKept()) {
            return g;
        }
        return new Gone(DomainStructs.freed(g.state, domid), g.events);
    }

    /** Removes the dead domain's nodes one subtree at a time, then fires @releaseDomain. */
    private static Gone finish(Dialect d, ModelState s, Tree t, long gen, List<Change> changes, int domid) {
        Tree cur = t;
        String lastRemoved = null;
        for (String p : t.paths()) {
            if (lastRemoved != null && Paths.isAtOrBelow(p, lastRemoved)) {
                continue;
            }
            Node n = cur.node(p);
            if (n == null || n.owner() != domid || p.equals("/")) {
                continue;
            }
            Node parent = cur.node(Paths.parent(p));
            Tree before = cur;
            ImmutableList<Change.Removed> below = before.subtree(p).stream().skip(1)
                    .map(x -> new Change.Removed(x, before.node(x).access())).collect(ImmutableList.toImmutableList());
            cur = cur.removeSubtree(p, gen, new ArrayList<>());
            changes.add(new Change(p, false, true,
                    parent == null ? ImmutableList.of(n.access()) : ImmutableList.of(n.access(), parent.access()), below));
            lastRemoved = p;
        }
        if (d.domains().domainDeathNodes() == DomainKnobs.DomainDeathNodes.REMOVED_SILENTLY) {
            // oxenstored store.ml reset_permissions (Perms.Node.remove_domid): the domain's ACL entries go from every node.
            // Node.recurse_filter_map rebuilds every node, so each is new to a transaction's coalescing check (physical
            // equality): every node takes the new generation (store.ml reset_permissions at RELEASE-4.17.7: a transaction open across a death then fails with EAGAIN).
            for (String p : cur.paths()) {
                Node n = cur.node(p);
                ImmutableList<io.xscheck.protocol.Perm> kept = n.perms();
                if (n.perms().subList(1, n.perms().size()).stream().anyMatch(x -> x.domid() == domid)) {
                    kept = ImmutableList.<io.xscheck.protocol.Perm>builder()
                            .add(n.perms().get(0))
                            .addAll(n.perms().subList(1, n.perms().size()).stream().filter(x -> x.domid() != domid).iterator())
                            .build();
                }
                cur = cur.put(p, n.withPerms(kept, gen));
            }
        }
        if (!d.acls().deadDomainAclEntriesKept() && d.domains().domainDeathNodes() == DomainKnobs.DomainDeathNodes.REMOVED_WITH_EVENTS) {
            // XSA-322 (spec): the dead domain's ACL entries go, so a new domain with its id inherits nothing (oxenstored
            // does so above). Only the nodes that named it change.
            for (String p : cur.paths()) {
                Node n = cur.node(p);
                if (n.perms().subList(1, n.perms().size()).stream().anyMatch(x -> x.domid() == domid)) {
                    cur = cur.put(p, n.withPerms(withoutEntriesOf(n.perms(), domid), gen));
                }
            }
        }
        ModelState next = s.committed(cur, gen);
        if (d.acls().deadDomainAclEntriesKept() && !d.setPerms().specialNamesArePermNodes()) {
            next = specialAclsWithout(next, domid);
        }
        ImmutableMultiset.Builder<Delivery> events = ImmutableMultiset.builder();
        if (d.domains().domainDeathNodes() == DomainKnobs.DomainDeathNodes.REMOVED_WITH_EVENTS) {
            // C 4.17 domain cleanup deletes the domain's nodes through the normal RM path, firing watches (XSA-419).
            events.addAll(Watches.fire(d, next, ImmutableList.copyOf(changes)));
        }
        // oxenstored store.ml reset_permissions removes them without events.
        events.addAll(Watches.fireSpecial(d, next, "@releaseDomain"));
        return new Gone(next, events.build());
    }

    /**
     * C 4.17 keeps the special nodes' ACLs outside the tree, and a domain's destruction takes it out of them before
     * @releaseDomain fires: the owner becomes dom0 if it was the domain, and the other entries naming it go
     * (xenstored_domain.c remove_domid_from_perm, from domain_tree_remove, at RELEASE-4.17.7; 4.18+ has no such step).
     * Default gate seed 79116: {@code A setperms @releaseDomain w1 n1 r0}, {@code A kill 1}, and the next domain 1's
     * SET_PERMS of it is refused (a stale ENOENT), where it would have been the owner.
     */
    private static ModelState specialAclsWithout(ModelState s, int domid) {
        ModelState out = s;
        for (Map.Entry<String, ImmutableList<io.xscheck.protocol.Perm>> e : s.specialAcls().entrySet()) {
            ImmutableList<io.xscheck.protocol.Perm> acl = e.getValue();
            if (acl.isEmpty() || acl.get(0).domid() != domid && !acl.subList(1, acl.size()).stream().anyMatch(x -> x.domid() == domid)) {
                continue;
            }
            io.xscheck.protocol.Perm owner = acl.get(0).domid() == domid
                    ? new io.xscheck.protocol.Perm(acl.get(0).access(), 0) : acl.get(0);
            ImmutableList<io.xscheck.protocol.Perm> kept = withoutEntriesOf(acl, domid);
            out = out.withSpecialAcl(e.getKey(), ImmutableList.<io.xscheck.protocol.Perm>builder().add(owner)
                    .addAll(kept.subList(1, kept.size())).build());
        }
        return out;
    }

    /** The ACL without the entries (after the owner's) that name {@code domid}. */
    private static ImmutableList<io.xscheck.protocol.Perm> withoutEntriesOf(ImmutableList<io.xscheck.protocol.Perm> acl, int domid) {
        return ImmutableList.<io.xscheck.protocol.Perm>builder()
                .add(acl.get(0))
                .addAll(acl.subList(1, acl.size()).stream().filter(x -> x.domid() != domid).iterator())
                .build();
    }

    static Outcome isIntroduced(Dialect d, ModelState s, int domid) {
        // C do_is_domain_introduced: dom0 and DOMID_SELF are T; oxenstored has no dom0 entry (probe: F).
        // C do_is_domain_introduced: DOMID_SELF is the caller (dom0 here).
        boolean known = domid == 0 || (d.domains().dom0IsADomain() && domid == DOMID_SELF) || s.domains().containsKey(domid);
        return Outcome.of(Allowed.of(new Reply.Text(known ? "T" : "F"), s), Rule.DOMAINS_IS_INTRODUCED);
    }

    static Outcome domainPath(Dialect d, ModelState s, int domid) {
        if (!d.domains().getDomainPathSupported()) {
            // QEMU: GET_DOMAIN_PATH is not in xsd_reqs -> ENOSYS (QEMU hw/i386/kvm/xen_xenstore.c).
            return Model.error(s, XsError.ENOSYS, Rule.DOMAINS_GET_DOMAIN_PATH_UNSUPPORTED);
        }
        // C do_get_domain_path / oxenstored: "/local/domain/<domid>" with no check that the domain exists.
        return Outcome.of(Allowed.of(new Reply.Text(Paths.DOMAIN_PREFIX + Integer.toUnsignedString(domid)), s),
                Rule.DOMAINS_GET_DOMAIN_PATH);
    }

    static Outcome resume(Dialect d, ModelState s, int domid) {
        Domain dom = s.domains().get(domid);
        if (domid == 0) {
            // probes: C RESUME 0 -> EINVAL; oxenstored RESUME 0 -> OK.
            return d.domains().dom0IsADomain() ? Model.error(s, XsError.EINVAL, Rule.DOMAINS_RESUME_DOM0)
                    : Outcome.of(Allowed.of(new Reply.Ok(), s), Rule.DOMAINS_RESUME_DOM0);
        }
        if (dom == null) {
            // C do_resume: unknown domain -> ENOENT; oxenstored: EINVAL (probe "RESUME 9" after RELEASE 9).
            return Model.error(s, d.domains().resumeOfUnknownDomainError(), Rule.DOMAINS_RESUME_UNKNOWN);
        }
        return Outcome.of(Allowed.of(new Reply.Ok(), s.withDomain(dom.withShutDown(false))), Rule.DOMAINS_RESUME);
    }

    static Outcome setTarget(Dialect d, ModelState s, int domid, int target) {
        Domain dom = s.domains().get(domid);
        if (dom == null) {
            // C do_set_target / oxenstored: the domain must be introduced -> ENOENT.
            return Model.error(s, XsError.ENOENT, Rule.DOMAINS_SET_TARGET_UNKNOWN_DOMAIN);
        }
        if (d.domains().setTargetNeedsIntroducedTarget() && !s.domains().containsKey(target) && target != 0) {
            // C do_set_target: the target must be introduced too -> ENOENT; oxenstored does not check.
            return Model.error(s, XsError.ENOENT, Rule.DOMAINS_SET_TARGET_UNKNOWN_TARGET);
        }
        return Outcome.of(Allowed.of(new Reply.Ok(), s.withDomain(dom.withTarget(target))), Rule.DOMAINS_SET_TARGET);
    }
}
