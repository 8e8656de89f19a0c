package io.xscheck.model;

import static io.xscheck.protocol.XsError.EACCES;
import static io.xscheck.protocol.XsError.EPERM;

import io.xscheck.protocol.XsError;

/**
 * SET_PERMS: the order of its checks and its errors, and the special names. One row per dialect in {@link #of}; each
 * component names the behaviour it selects and cites its evidence.
 *
 * @param ownerChangeError Error when an unprivileged owner gives a node away: C EPERM (do_set_perms), oxenstored
 *     EACCES (XSA-352), QEMU EPERM (QEMU hw/i386/kvm/xen_xenstore.c).
 * @param setPermsOwnerMustExist SET_PERMS naming an owner domain that does not exist is ENOENT (C
 *     do_set_perms: the owner entry gets XS_PERM_IGNORE; probe cxenstored-4.17.7-dom0.txt "SET_PERMS /g w7");
 *     oxenstored accepts it (probe oxenstored-4.17.7-dom0.txt). The model counts dom0 and introduced domains as
 *     existing. probe cxenstored-4.17.7-dom0.txt: SET_PERMS /g w7 (domain 7 unknown) -> ENOENT (do_set_perms
 *     XS_PERM_IGNORE on the owner). probe oxenstored-4.17.7-dom0.txt: SET_PERMS /g w7 with no domain 7 -> OK.
 * @param setPermsNonOwnerIsEperm QEMU: SET_PERMS by a domain that may write the node but does not own it is
 *     EPERM (xenstore_impl.c xs_impl_set_perms, the owner check after the write check); C (get_node XS_PERM_WRITE|XS_PERM_OWNER) and oxenstored (store.ml
 *     path_setperms Node.check_owner) say EACCES (probes differential/rep2-cxenstored-11.trace,
 *     rep2-oxenstored-6.trace: G1 SET_PERMS on a node it may write but does not own -> EACCES in both).
 * @param rootSetPermsNeedsNoOwnership oxenstored lets an unprivileged writer of "/" SET_PERMS it without owning
 *     it (store.ml path_setperms checks the owner only for a path below the root; probe differential/rep-
 *     oxenstored-5.trace); the others ask for ownership (C get_node XS_PERM_OWNER).
 * @param setPermsArgumentsCheckedFirst SET_PERMS checks its entries (count, then an unknown owner) before the
 *     path (C do_set_perms; probes differential/rep-cxenstored-7.trace, rep-cxenstored-8.trace: C answered
 *     ENOSPC/ENOENT for SET_PERMS on an invalid or special path, where the path check would say EINVAL/EACCES).
 *     oxenstored validates the path first (process.ml do_setperms). QEMU checks that there is an entry and that
 *     each is well formed before the path (xenstore_impl.c xs_impl_set_perms, then init_walk_op; probe
 *     differential/tx-unknown-invalid-path-qemu.trace: no entry and a 3080-byte path -> EINVAL, not E2BIG).
 * @param setPermsCountCheckedLast QEMU counts the entries of a guest's SET_PERMS only once the node is found and
 *     the caller may change it (xenstore_impl.c xs_node_set_perms: EPERM checks, then ENOSPC; xs_impl_set_perms: a
 *     guest SET_PERMS of a missing node with 7 entries -> ENOENT, of a dom0 node -> EACCES); C counts first
 *     (do_set_perms).
 * @param specialNamesArePermNodes C 4.18+: "@introduceDomain" and "@releaseDomain" are nodes of the database
 *     for GET_PERMS and SET_PERMS (canonicalize(..., allow_special) in do_get_perms/do_set_perms): GET_PERMS answers
 *     their ACL (EACCES to a caller who may not read it), SET_PERMS fires watches on the name and on "/" like any
 *     node change, and any other "@name" is a missing node (ENOENT; EACCES to a guest that may not read "/",
 *     errno_from_parents). Their events (introduction, release) reach a guest that may read the node or its parent
 *     "/" (watch_permitted). Set in a transaction, an ACL is the transaction's until its commit fires the watches.
 *     Other requests still refuse "@" names. False: C 4.17 (set_perms_special; GET_PERMS "@..." EINVAL) and the
 *     others. The 4.20 row: tools/xenstored/core.c (RELEASE-4.20.4)
 *     do_get_perms/do_set_perms: get_node(..., allow_special = true), since 154054ea10 and d6bb63924f (4.18); probe
 *     cxenstored-4.20.4-probes.txt, versions/c-special-nodes.trace: GET_PERMS @introduceDomain -> n0, a guest
 *     EACCES, @foo ENOENT; SET_PERMS fires the watches on the name and /; versions/c-special-in-transaction.trace: a
 *     refused one in a transaction reads "/" (commit EAGAIN).
 * @param specialSetPermsFailureGivesStaleErrno C: do_set_perms returns errno, not set_perms_special's result,
 *     when setting the ACL of an @ name fails, so an unknown @name or a refused caller gets a stale errno
 *     (xenstored_core.c do_set_perms; probe differential/rep2-cxenstored-7.trace: guest SET_PERMS @other -> EINVAL
 *     where the model said EACCES). The model allows EINVAL, ENOENT and EACCES. do_set_perms returns get_node's
 *     errno, which canonicalize and get_node_chk_perm always set (no stale errno).
 */
public record SetPermsKnobs(
        XsError ownerChangeError,
        boolean setPermsOwnerMustExist,
        boolean setPermsNonOwnerIsEperm,
        boolean rootSetPermsNeedsNoOwnership,
        boolean setPermsArgumentsCheckedFirst,
        boolean setPermsCountCheckedLast,
        boolean specialNamesArePermNodes,
        boolean specialSetPermsFailureGivesStaleErrno) {

    /** The row of one dialect (a name of {@link Dialect#names()}). */
    static SetPermsKnobs of(String dialect) {
        return switch (dialect) {
            //                                                give away owner exists EPERM  / no owner args 1st count last @ perm nodes stale errno
            case Dialect.SPEC ->            new SetPermsKnobs(EPERM,     false,        false,  false,      true,     false,      false,        false);
            case Dialect.CXENSTORED ->      new SetPermsKnobs(EPERM,     true,         false,  false,      true,     false,      false,        true);
            case Dialect.OXENSTORED ->      new SetPermsKnobs(EACCES,    false,        false,  true,       false,    false,      false,        false);
            case Dialect.QEMU ->            new SetPermsKnobs(EPERM,     false,        true,   false,      true,     true,       false,        false);
            case Dialect.CXENSTORED_420 ->  new SetPermsKnobs(EPERM,     true,         false,  false,      true,     false,      true,         false);
            case Dialect.OXENSTORED_420 ->  new SetPermsKnobs(EACCES,    false,        false,  true,       false,    false,      false,        false);
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
