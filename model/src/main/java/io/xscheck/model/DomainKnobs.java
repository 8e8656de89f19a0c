package io.xscheck.model;

import static io.xscheck.model.DomainKnobs.DomainDeathNodes.KEPT;
import static io.xscheck.model.DomainKnobs.DomainDeathNodes.REMOVED_SILENTLY;
import static io.xscheck.model.DomainKnobs.DomainDeathNodes.REMOVED_WITH_EVENTS;
import static io.xscheck.protocol.XsError.EINVAL;
import static io.xscheck.protocol.XsError.ENOENT;

import io.xscheck.protocol.XsError;

/**
 * Domains: INTRODUCE, RELEASE, RESUME, SET_TARGET and the death of domains. One row per dialect in {@link #of}; each
 * component names the behaviour it selects and cites its evidence.
 *
 * @param dom0IsADomain Dom0 is a domain RELEASE and RESUME refuse (EINVAL) and DOMID_SELF names it (C
 *     xenstored_domain.c); oxenstored answers RELEASE 0 with ENOENT after removing dom0's nodes and RESUME 0 with OK
 *     (probe oxenstored-4.17.7-dom0-more.txt). IS_DOMAIN_INTRODUCED 0 is T in both (probe differential/rep-
 *     oxenstored-9.trace; the F in the probe2 transcript came after its RELEASE 0). probe
 *     cxenstored-4.17.7-dom0-more.txt: RELEASE 0 / RESUME 0 -> EINVAL. probe oxenstored-4.17.7-dom0-more.txt: RESUME
 *     0 -> OK, RELEASE 0 -> ENOENT.
 * @param releaseOfUnknownDomainResetsIt RELEASE of a domain that is not introduced still removes the nodes it
 *     owns and its ACL entries, then answers EINVAL (ENOENT for dom0): oxenstored. C answers ENOENT and does
 *     nothing. probe cxenstored-4.17.7-dom0-more.txt "RELEASE 7 (never introduced)" -> ENOENT, nothing else happens.
 *     process.ml do_release runs Store.reset_permissions before looking the domain up; probes
 *     oxenstored-4.17.7-dom0-more.txt "RELEASE 7" EINVAL, oxenstored-4.17.7-dom0-more.txt (probe2) RELEASE 0 ->
 *     ENOENT, after which GET_PERMS @introduceDomain is ENOENT (dom0's nodes gone).
 * @param resumeOfUnknownDomainError RESUME of a domain that is not introduced: C ENOENT (xenstored_domain.c
 *     do_resume; probe cxenstored-4.17.7-dom0-more.txt "RESUME 9"), oxenstored EINVAL (process.ml do_resume; probe
 *     oxenstored-4.17.7-dom0-more.txt "RESUME 9").
 * @param introduceOfKnownDomainChecksRing INTRODUCE of a known domain with another mfn or port is EINVAL
 *     (oxenstored); C rebinds. xenstored_domain.c do_introduce: a known domain is rebound whatever the ring.
 *     process.ml do_introduce: an existing domid with another mfn -> EINVAL (Invalid_Cmd_Args).
 * @param introduceRejectsBadPort INTRODUCE with an event-channel port of 0 is EINVAL (C do_introduce).
 *     xenstored_domain.c do_introduce: port <= 0 -> EINVAL.
 * @param setTargetNeedsIntroducedTarget SET_TARGET needs the target introduced too (C); oxenstored only checks
 *     the domain. xenstored_domain.c do_set_target: both domains must be introduced.
 * @param reintroduceResetsConnection C: INTRODUCE of a domain already introduced resets its connection, dropping
 *     its watches and transactions (xenstored_domain.c do_introduce/domain_conn_reset; probe
 *     differential/rep2-cxenstored-13.trace: guest tx, dom0 INTRODUCE again, guest END -> ENOENT).
 * @param releaseEventOncePerScan oxenstored fires {@code @releaseDomain} once per domain-exception scan,
 *     however many domains it found dead (xenstored.ml process_special_fds after Domains.cleanup); C fires it once
 *     per released domain (destroy_domain). False: one event per domain. xenstored.ml process_special_fds: one
 *     @releaseDomain per VIRQ_DOM_EXC scan (RELEASE-4.17.7 and 4.20.4); probe differential/rep-
 *     oxenstored-4.20-release-once.trace (kill 2, introduce 2, kill 1 -> one event).
 * @param targetedDomainNeverReleased C (4.17.7 and 4.20.4): a domain that an introduced domain targets (SET_TARGET;
 *     its own target included) is never released after it is marked dying (docs/divergences.md "a domain that is its
 *     own target is never released"; baselined as {@code crash:kill:HUNG}; run on 4.17.7: {@code settarget 2 1, kill
 *     1} is still introduced a second later, while {@code settarget 1 2, kill 1} and {@code settarget 2 1, release 2,
 *     kill 1} release it). The model does not follow it (the kill's reply and state stay those of a release, and the
 *     hang is reported as a divergence); the engine reads it to wait briefly for a release it does not expect instead
 *     of the full bound. False: such a domain is released like any other.
 * @param domainDeathNodes A dead domain's nodes (each constant cites its source).
 * @param getDomainPathSupported QEMU answers GET_DOMAIN_PATH with ENOSYS (not in xen_xenstore.c xsd_reqs).
 * @param domainAndControlOpsRefused QEMU answers EACCES to INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME,
 *     SET_TARGET and CONTROL from anyone, dom0 included (xen_xenstore.c; probe qemu-xenstore-impl.txt \"d0
 *     INTRODUCE\", \"d0 CONTROL other\").
 */
public record DomainKnobs(
        boolean dom0IsADomain,
        boolean releaseOfUnknownDomainResetsIt,
        XsError resumeOfUnknownDomainError,
        boolean introduceOfKnownDomainChecksRing,
        boolean introduceRejectsBadPort,
        boolean setTargetNeedsIntroducedTarget,
        boolean reintroduceResetsConnection,
        boolean releaseEventOncePerScan,
        boolean targetedDomainNeverReleased,
        DomainDeathNodes domainDeathNodes,
        boolean getDomainPathSupported,
        boolean domainAndControlOpsRefused) {

    /** What happens to a dead domain's nodes. */
    public enum DomainDeathNodes {
        /** Nodes it owns are removed, firing watches (C 4.17 domain cleanup, XSA-419). */
        REMOVED_WITH_EVENTS,
        /** Nodes it owns are removed silently (oxenstored store.ml reset_permissions, XSA-419). */
        REMOVED_SILENTLY,
        /** Left alone (QEMU has one guest and no domain death). */
        KEPT
    }

    /** The row of one dialect (a name of {@link Dialect#names()}). */
    static DomainKnobs of(String dialect) {
        return switch (dialect) {
            //                                              dom0 domain release resets resume ? ring check port 0 target known reintro resets 1 per scan targeted kept dead nodes           domain path refused
            case Dialect.SPEC ->            new DomainKnobs(true,       false,         ENOENT,  false,     false, true,        false,         false,     false,        REMOVED_WITH_EVENTS, true,       false);
            case Dialect.CXENSTORED ->      new DomainKnobs(true,       false,         ENOENT,  false,     true,  true,        true,          false,     true,         REMOVED_WITH_EVENTS, true,       false);
            case Dialect.OXENSTORED ->      new DomainKnobs(false,      true,          EINVAL,  true,      false, false,       false,         true,      false,        REMOVED_SILENTLY,    true,       false);
            case Dialect.QEMU ->            new DomainKnobs(true,       false,         ENOENT,  false,     false, false,       false,         false,     false,        KEPT,                false,      true);
            case Dialect.CXENSTORED_420 ->  new DomainKnobs(true,       false,         ENOENT,  false,     true,  true,        true,          false,     true,         REMOVED_WITH_EVENTS, true,       false);
            case Dialect.OXENSTORED_420 ->  new DomainKnobs(false,      true,          EINVAL,  true,      false, false,       false,         true,      false,        REMOVED_SILENTLY,    true,       false);
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
