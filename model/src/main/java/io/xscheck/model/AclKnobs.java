package io.xscheck.model;

import static io.xscheck.model.AclKnobs.AclMatch.FIRST_MATCH;
import static io.xscheck.model.AclKnobs.AclMatch.FIRST_MATCH_EITHER_ID;
import static io.xscheck.model.AclKnobs.AclMatch.LAST_MATCH;
import static io.xscheck.model.AclKnobs.OwnerOfGuestCreatedNode.CREATOR;
import static io.xscheck.model.AclKnobs.OwnerOfGuestCreatedNode.PARENT_OWNER;

/**
 * ACLs: which entry grants, who owns what a guest creates. One row per dialect in {@link #of}; each
 * component names the behaviour it selects and cites its evidence.
 *
 * @param aclMatch ACL entry selection (each constant cites its source).
 * @param ownerOfGuestCreatedNode Owner of a node an unprivileged domain creates (each constant cites its source; probe cxenstored-4.17.7-domU.txt "domU WRITE /pub/new v").
 * @param missingNodeRevealsOnlyToReaders True: a missing node is ENOENT only if the nearest existing ancestor
 *     grants the requested right, else EACCES (C errno_from_parents). False: ENOENT whatever the ancestors' perms
 *     (oxenstored; QEMU: xenstore_impl.c checks perms only on the node found).
 * @param targetOfDom0IsPrivileged A domain whose SET_TARGET is dom0 is privileged (oxenstored perms.ml is_dom0);
 *     C only dom0 (domain_is_unprivileged). perms.ml Connection.is_dom0 = is_owner connection 0, which includes the
 *     SET_TARGET target.
 * @param deadDomainAclEntriesKept Whether a dead domain's ACL entries stay in the nodes' ACLs (and GET_PERMS): C keeps them,
 *     flagged XS_PERM_IGNORE once the domain is gone (xenstored_domain.c domain_adjust_node_perms; fixed-seed run: SET_PERMS
 *     / r2 w1 w0 w3, kill 1 -> GET_PERMS still lists w1); oxenstored and the spec drop them (store.ml reset_permissions).
 *     Kept entries grant nothing to a later domain with the id ({@link DomainStructs}, chk_domain_generation; XSA-322),
 *     nor do entries naming a domain the hypervisor did not know when they were written (domain_alloc_permrefs).
 */
public record AclKnobs(
        AclMatch aclMatch,
        OwnerOfGuestCreatedNode ownerOfGuestCreatedNode,
        boolean missingNodeRevealsOnlyToReaders,
        boolean targetOfDom0IsPrivileged,
        boolean deadDomainAclEntriesKept) {

    /** Who owns a node that an unprivileged domain creates (explicitly or as an implicit parent). */
    public enum OwnerOfGuestCreatedNode {
        /** The creating domain (C construct_node: "unpriv domains own what they create"). */
        CREATOR,
        /** The parent's owner, the whole ACL copied (oxenstored Node.create; QEMU xs_node_create). */
        PARENT_OWNER
    }

    /** How an ACL entry is chosen for a domain that is not the owner. */
    public enum AclMatch {
        /** First entry naming the domain or its target (C perm_for_conn). */
        FIRST_MATCH,
        /** First entry for the domain and first for its target, either granting (oxenstored perms.ml lacks). */
        FIRST_MATCH_EITHER_ID,
        /** Last entry naming the domain wins; no targets (QEMU can_access). */
        LAST_MATCH
    }

    /** The row of one dialect (a name of {@link Dialect#names()}). */
    static AclKnobs of(String dialect) {
        return switch (dialect) {
            //                                           entry chosen           guest-made owner ENOENT to readers target 0 priv dead kept
            case Dialect.SPEC ->            new AclKnobs(FIRST_MATCH,            CREATOR,          true,              false,         false);
            case Dialect.CXENSTORED ->      new AclKnobs(FIRST_MATCH,            CREATOR,          true,              false,         true);
            case Dialect.OXENSTORED ->      new AclKnobs(FIRST_MATCH_EITHER_ID,  PARENT_OWNER,     false,             true,          false);
            case Dialect.QEMU ->            new AclKnobs(LAST_MATCH,             PARENT_OWNER,     false,             false,         false);
            case Dialect.CXENSTORED_420 ->  new AclKnobs(FIRST_MATCH,            CREATOR,          true,              false,         true);
            case Dialect.OXENSTORED_420 ->  new AclKnobs(FIRST_MATCH_EITHER_ID,  PARENT_OWNER,     false,             true,          false);
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
