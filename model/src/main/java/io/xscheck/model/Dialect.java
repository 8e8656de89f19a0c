package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.XsError;
import java.util.Objects;

/**
 * How one implementation answers where xenstore implementations legitimately differ. Every knob is
 * named for the behaviour it selects and cites its evidence: a section of docs/misc/xenstore.txt, a
 * daemon source file at xen RELEASE-4.17.7, QEMU's hw/i386/kvm/xenstore_impl.c (10.0), or a probe
 * of a real daemon (transcripts in model/src/test/resources/probes/; "probe run" means a minimal
 * reproducer of an {@code xscheck run} against the daemon, kept under probes/differential/, whose
 * comments hold what the daemon answered). Quota values are parameters:
 * {@link #withQuotas} replaces them when a target was started with other limits.
 *
 * <p>Dialects: {@code cxenstored-4.17} (tools/xenstore, Debian 4.17.7), {@code oxenstored-4.17}
 * (tools/ocaml/xenstored with Debian's shipped oxenstored.conf), {@code qemu} (QEMU's Xen-on-KVM
 * store, spoken to as a guest), {@code spec} (what xenstore.txt promises, choosing the most
 * permissive reading where it is silent).
 */
public final class Dialect {

    /** Order of the names in a DIRECTORY reply. */
    public enum DirectoryOrder {
        /** Order of creation: C appends to the parent's child list (xenstored_core.c add_child). */
        CREATION,
        /** Byte-wise sorted: oxenstored's SymbolMap (store.ml), QEMU's sorted list (xenstore_impl.c). */
        SORTED
    }

    /** RM of a node that does not exist. */
    public enum RmOfMissingNode {
        /**
         * OK when the parent exists, else ENOENT (C xenstored_core.c do_rm; oxenstored do_rm swallows
         * Doesnt_exist only for the last name). Probes {c,o}xenstored-4.17.7-dom0.txt "RM /d/missing" OK,
         * "RM /nope/missing" ENOENT in both.
         */
        OK_IF_PARENT_EXISTS,
        /** Always ENOENT (QEMU xs_impl_rm; probe qemu-xenstore-impl.txt "RM /a/nonexistent"). */
        ENOENT
    }

    /** RM of "/". */
    public enum RmOfRoot {
        /** EINVAL (C do_rm: streq(name, "/")). */
        EINVAL,
        /** Removes every child of the root, keeps the root (oxenstored store.ml path_rm []). */
        REMOVES_CHILDREN
    }

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

    /** What decides that a transaction commit fails with EAGAIN. */
    public enum TxConflictRule {
        /**
         * C: a node the transaction first read (missing nodes included) has a different generation
         * at commit; the transaction sees each node as it was on first access, not at start
         * (xenstored_transaction.c, header comment and finalize_transaction).
         */
        READ_GENERATIONS,
        /**
         * oxenstored: commit if the store is unchanged since start, else replay every recorded
         * request against the current store and commit iff every reply is the same; a transaction
         * without writes commits as an abort (transaction.ml commit, process.ml transaction_replay,
         * do_transaction_end is_read_only).
         */
        REPLAY,
        /** QEMU: EAGAIN iff anything was committed to the main tree since start (xenstore_impl.c xs_impl_transaction_end). */
        ANY_COMMIT_SINCE_START,
        /**
         * xenstore.txt "TRANSACTION_END": EAGAIN when another change intervened; the model allows
         * either answer then, and requires success when nothing changed.
         */
        MAY_FAIL_IF_ANYTHING_CHANGED
    }

    /** Watch events for the nodes an RM removes. */
    public enum RmWatchEvents {
        /** Each removed existing node fires watches exactly on it; the root also its ancestors (C delnode_sub, QEMU). */
        EXISTING_NODES,
        /** Every watch registered inside the removed subtree fires, existing node or not (oxenstored connections.ml fire_watches recurse). */
        EVERY_WATCH_BELOW
    }

    /** What happens to a dead domain's nodes. */
    public enum DomainDeathNodes {
        /** Nodes it owns are removed, firing watches (C 4.17 domain cleanup, XSA-419). */
        REMOVED_WITH_EVENTS,
        /** Nodes it owns are removed silently (oxenstored store.ml reset_permissions, XSA-419). */
        REMOVED_SILENTLY,
        /** Left alone (QEMU has one guest and no domain death). */
        KEPT
    }

    /** Which paths the length limit measures. */
    public enum PathLengthRule {
        /** The part after /local/domain/N/ of the canonical path, else the whole path (C is_valid_nodename, oxenstored utils.ml path_validate). */
        AFTER_DOMAIN_PREFIX,
        /** Absolute paths against {@code pathLengthLimit}, relative ones against {@code relativePathLimit} before resolution (QEMU validate_path). */
        ABSOLUTE_AND_RELATIVE
    }

    private final String name;
    private final ImmutableMap<String, Bytes> initialNodes;
    private final boolean setPermsOwnerMustExist;
    private final boolean unwatchOnlyFirstOnPath;
    private final boolean unknownTypeChecksTransactionFirst;
    private final boolean domainAndControlOpsRefused;
    private final boolean unknownControlCommandIsOk;
    private final boolean controlCompactAndTrim;
    private final boolean setPermsNonOwnerIsEperm;
    private final boolean unwatchValidatesPath;
    private final boolean specialSetPermsFailureGivesStaleErrno;
    private final boolean specialNamesArePermNodes;
    private final boolean privilegedPathLengthUnlimited;
    private final boolean releaseEventOncePerScan;
    private final boolean targetedDomainNeverReleased;
    private final boolean reintroduceResetsConnection;
    private final boolean setPermsCountCheckedLast;
    private final boolean unwatchChecksPath;
    private final boolean extraPayloadStringsIgnored;
    private final boolean mkdirOfRootUnchecked;
    private final boolean resetWatchesPerDomain;
    private final boolean malformedPathGivesStaleErrno;
    private final boolean watchPathLengthUnchecked;
    private final boolean eventsNeedParentInTree;
    private final boolean writeCreatesParentsFirst;
    private final boolean mkdirOfExistingNodeNeedsRead;
    private final boolean mkdirOfExistingNodeNeedsWrite;
    private final boolean setPermsArgumentsCheckedFirst;
    private final boolean dom0IsADomain;
    private final boolean targetOfDom0IsPrivileged;
    private final boolean releaseOfUnknownDomainResetsIt;
    private final boolean introduceOfKnownDomainChecksRing;
    private final boolean setTargetNeedsIntroducedTarget;
    private final boolean introduceRejectsBadPort;
    private final DirectoryOrder directoryOrder;
    private final RmOfMissingNode rmOfMissingNode;
    private final RmOfRoot rmOfRoot;
    private final OwnerOfGuestCreatedNode ownerOfGuestCreatedNode;
    private final AclMatch aclMatch;
    private final XsError ownerChangeError;
    private final boolean missingNodeRevealsOnlyToReaders;
    private final boolean specialPathsAreNodes;
    private final boolean specialWatchesSupported;
    private final boolean trailingSlashIgnored;
    private final PathLengthRule pathLengthRule;
    private final int pathLengthLimit;
    private final int relativePathLimit;
    private final XsError pathTooLongError;
    private final TxConflictRule txConflictRule;
    private final XsError unknownTransactionError;
    private final XsError nestedTransactionError;
    private final boolean resetWatchesEndsTransactions;
    private final boolean eventDeduplication;
    private final boolean txEventPerWriteOp;
    private final RmWatchEvents rmWatchEvents;
    private final boolean getDomainPathSupported;
    private final boolean directoryPartSupported;
    private final DomainDeathNodes domainDeathNodes;
    private final boolean deadDomainAclEntriesKept;
    private final boolean sameValueWriteKeepsNode;
    private final Quotas quotas;
    private final RestartKnobs restartKnobs;

    private Dialect(Builder b) {
        this.name = b.name;
        this.initialNodes = b.initialNodes;
        this.setPermsOwnerMustExist = b.setPermsOwnerMustExist;
        this.unwatchOnlyFirstOnPath = b.unwatchOnlyFirstOnPath;
        this.unknownTypeChecksTransactionFirst = b.unknownTypeChecksTransactionFirst;
        this.domainAndControlOpsRefused = b.domainAndControlOpsRefused;
        this.unknownControlCommandIsOk = b.unknownControlCommandIsOk;
        this.controlCompactAndTrim = b.controlCompactAndTrim;
        this.setPermsNonOwnerIsEperm = b.setPermsNonOwnerIsEperm;
        this.unwatchValidatesPath = b.unwatchValidatesPath;
        this.specialSetPermsFailureGivesStaleErrno = b.specialSetPermsFailureGivesStaleErrno;
        this.specialNamesArePermNodes = b.specialNamesArePermNodes;
        this.privilegedPathLengthUnlimited = b.privilegedPathLengthUnlimited;
        this.releaseEventOncePerScan = b.releaseEventOncePerScan;
        this.targetedDomainNeverReleased = b.targetedDomainNeverReleased;
        this.reintroduceResetsConnection = b.reintroduceResetsConnection;
        this.setPermsCountCheckedLast = b.setPermsCountCheckedLast;
        this.unwatchChecksPath = b.unwatchChecksPath;
        this.extraPayloadStringsIgnored = b.extraPayloadStringsIgnored;
        this.mkdirOfRootUnchecked = b.mkdirOfRootUnchecked;
        this.resetWatchesPerDomain = b.resetWatchesPerDomain;
        this.malformedPathGivesStaleErrno = b.malformedPathGivesStaleErrno;
        this.watchPathLengthUnchecked = b.watchPathLengthUnchecked;
        this.eventsNeedParentInTree = b.eventsNeedParentInTree;
        this.writeCreatesParentsFirst = b.writeCreatesParentsFirst;
        this.mkdirOfExistingNodeNeedsRead = b.mkdirOfExistingNodeNeedsRead;
        this.mkdirOfExistingNodeNeedsWrite = b.mkdirOfExistingNodeNeedsWrite;
        this.setPermsArgumentsCheckedFirst = b.setPermsArgumentsCheckedFirst;
        this.dom0IsADomain = b.dom0IsADomain;
        this.targetOfDom0IsPrivileged = b.targetOfDom0IsPrivileged;
        this.releaseOfUnknownDomainResetsIt = b.releaseOfUnknownDomainResetsIt;
        this.introduceOfKnownDomainChecksRing = b.introduceOfKnownDomainChecksRing;
        this.setTargetNeedsIntroducedTarget = b.setTargetNeedsIntroducedTarget;
        this.introduceRejectsBadPort = b.introduceRejectsBadPort;
        this.directoryOrder = b.directoryOrder;
        this.rmOfMissingNode = b.rmOfMissingNode;
        this.rmOfRoot = b.rmOfRoot;
        this.ownerOfGuestCreatedNode = b.ownerOfGuestCreatedNode;
        this.aclMatch = b.aclMatch;
        this.ownerChangeError = b.ownerChangeError;
        this.missingNodeRevealsOnlyToReaders = b.missingNodeRevealsOnlyToReaders;
        this.specialPathsAreNodes = b.specialPathsAreNodes;
        this.specialWatchesSupported = b.specialWatchesSupported;
        this.trailingSlashIgnored = b.trailingSlashIgnored;
        this.pathLengthRule = b.pathLengthRule;
        this.pathLengthLimit = b.pathLengthLimit;
        this.relativePathLimit = b.relativePathLimit;
        this.pathTooLongError = b.pathTooLongError;
        this.txConflictRule = b.txConflictRule;
        this.unknownTransactionError = b.unknownTransactionError;
        this.nestedTransactionError = b.nestedTransactionError;
        this.resetWatchesEndsTransactions = b.resetWatchesEndsTransactions;
        this.eventDeduplication = b.eventDeduplication;
        this.txEventPerWriteOp = b.txEventPerWriteOp;
        this.rmWatchEvents = b.rmWatchEvents;
        this.getDomainPathSupported = b.getDomainPathSupported;
        this.directoryPartSupported = b.directoryPartSupported;
        this.domainDeathNodes = b.domainDeathNodes;
        this.deadDomainAclEntriesKept = b.deadDomainAclEntriesKept;
        this.sameValueWriteKeepsNode = b.sameValueWriteKeepsNode;
        this.quotas = b.quotas;
        this.restartKnobs = b.restartKnobs;
    }

    public static final String CXENSTORED = "cxenstored-4.17";
    public static final String OXENSTORED = "oxenstored-4.17";
    public static final String CXENSTORED_420 = "cxenstored-4.20";
    public static final String OXENSTORED_420 = "oxenstored-4.20";
    public static final String QEMU = "qemu";
    public static final String SPEC = "spec";

    /** The dialect names, in a stable order. */
    public static ImmutableList<String> names() {
        return ImmutableList.of(CXENSTORED, OXENSTORED, CXENSTORED_420, OXENSTORED_420, QEMU, SPEC);
    }

    /** The named dialect; unknown names are an {@link IllegalArgumentException} listing the known ones. */
    public static Dialect named(String name) {
        return switch (name) {
            case CXENSTORED -> cxenstored();
            case OXENSTORED -> oxenstored();
            case CXENSTORED_420 -> Dialects420.cxenstored(new Builder(cxenstored()));
            case OXENSTORED_420 -> Dialects420.oxenstored(new Builder(oxenstored()));
            case QEMU -> qemu();
            case SPEC -> spec();
            default -> throw new IllegalArgumentException(
                    "unknown dialect '" + name + "'; known: " + String.join(", ", names()));
        };
    }

    private static Dialect cxenstored() {
        Builder b = new Builder(CXENSTORED);
        // xenstored_core.c setup_structure (manual_node "/tool", "/tool/xenstored"); probe cxenstored-4.17.7-dom0.txt "DIRECTORY / (initial)".
        b.initialNodes = ImmutableMap.of("/tool", Bytes.EMPTY, "/tool/xenstored", Bytes.EMPTY);
        // probe cxenstored-4.17.7-dom0.txt: SET_PERMS /g w7 (domain 7 unknown) -> ENOENT (do_set_perms XS_PERM_IGNORE on the owner).
        b.setPermsOwnerMustExist = true;
        // probe cxenstored-4.17.7-dom0-more.txt: RELEASE 0 / RESUME 0 -> EINVAL.
        b.dom0IsADomain = true;
        // probe cxenstored-4.17.7-dom0-more.txt "RELEASE 7 (never introduced)" -> ENOENT, nothing else happens.
        b.releaseOfUnknownDomainResetsIt = false;
        // xenstored_domain.c do_introduce: a known domain is rebound whatever the ring.
        b.introduceOfKnownDomainChecksRing = false;
        // xenstored_domain.c do_set_target: both domains must be introduced.
        b.setTargetNeedsIntroducedTarget = true;
        // docs/divergences.md "a domain that is its own target is never released" (crash:kill:HUNG in both C baselines);
        // a run on 4.17.7: settarget 2 1, kill 1 -> dom1 still introduced after 1 s.
        b.targetedDomainNeverReleased = true;
        // xenstored_domain.c do_introduce: port <= 0 -> EINVAL.
        b.introduceRejectsBadPort = true;
        b.directoryOrder = DirectoryOrder.CREATION;
        b.rmOfMissingNode = RmOfMissingNode.OK_IF_PARENT_EXISTS;
        b.rmOfRoot = RmOfRoot.EINVAL;
        b.ownerOfGuestCreatedNode = OwnerOfGuestCreatedNode.CREATOR;
        b.aclMatch = AclMatch.FIRST_MATCH;
        b.ownerChangeError = XsError.EPERM;
        b.missingNodeRevealsOnlyToReaders = true;
        b.specialPathsAreNodes = false;
        b.specialWatchesSupported = true;
        b.trailingSlashIgnored = false;
        b.pathLengthRule = PathLengthRule.AFTER_DOMAIN_PREFIX;
        b.pathLengthLimit = 2048;
        b.relativePathLimit = 2048;
        b.pathTooLongError = XsError.EINVAL;
        b.txConflictRule = TxConflictRule.READ_GENERATIONS;
        b.unknownTransactionError = XsError.ENOENT;
        b.nestedTransactionError = XsError.EBUSY;
        b.resetWatchesEndsTransactions = true;
        b.eventDeduplication = true;
        b.txEventPerWriteOp = false;
        b.rmWatchEvents = RmWatchEvents.EXISTING_NODES;
        b.getDomainPathSupported = true;
        b.directoryPartSupported = true;
        b.domainDeathNodes = DomainDeathNodes.REMOVED_WITH_EVENTS;
        b.deadDomainAclEntriesKept = true;
        b.quotas = Quotas.CXENSTORED_DEFAULTS;
        b.setPermsArgumentsCheckedFirst = true;
        b.mkdirOfExistingNodeNeedsWrite = true;
        b.mkdirOfExistingNodeNeedsRead = false;
        b.writeCreatesParentsFirst = false;
        b.eventsNeedParentInTree = false;
        b.watchPathLengthUnchecked = false;
        b.malformedPathGivesStaleErrno = true;
        b.resetWatchesPerDomain = false;
        b.mkdirOfRootUnchecked = false;
        b.reintroduceResetsConnection = true;
        b.setPermsCountCheckedLast = false;
        b.unwatchChecksPath = false;
        b.extraPayloadStringsIgnored = false;
        b.specialSetPermsFailureGivesStaleErrno = true;
        b.unwatchValidatesPath = false;
        b.setPermsNonOwnerIsEperm = false;
        b.unknownControlCommandIsOk = false;
        b.domainAndControlOpsRefused = false;
        b.unknownTypeChecksTransactionFirst = false;
        // xenstored_control.c lu_check_lu_allowed/lu_reject_reason, lu_dump_state (no transactions);
        // transaction ids start at 1 again after exec; a domain's target survives (probe live-update-cxenstored.txt "quiet update", "set target");
        // dom0's memory figure grows by 34 at the process's first update (probe live-update-quota.txt).
        b.restartKnobs = new RestartKnobs(RestartKnobs.LiveUpdate.HELD_REPLY_DROPS_FORCED_TRANSACTIONS, true, false,
                RestartKnobs.Migration.NONE,
                RestartKnobs.AfterRestart.DEAD_DOMAINS_RELEASED, 34);
        return b.build();
    }

    private static Dialect oxenstored() {
        Builder b = new Builder(OXENSTORED);
        // probe oxenstored-4.17.7-dom0.txt "DIRECTORY / (initial)": @introduceDomain @releaseDomain local tool;
        // xenstored.ml writes /tool/xenstored = Sys.executable_name (Debian's path below).
        b.initialNodes = ImmutableMap.of("/local", Bytes.EMPTY, "/@introduceDomain", Bytes.EMPTY,
                "/@releaseDomain", Bytes.EMPTY, "/tool", Bytes.EMPTY,
                "/tool/xenstored", Bytes.latin1("/usr/lib/xen-4.17/bin/oxenstored"));
        // probe oxenstored-4.17.7-dom0.txt: SET_PERMS /g w7 with no domain 7 -> OK.
        b.setPermsOwnerMustExist = false;
        // probe oxenstored-4.17.7-dom0-more.txt: RESUME 0 -> OK, RELEASE 0 -> ENOENT.
        b.dom0IsADomain = false;
        // perms.ml Connection.is_dom0 = is_owner connection 0, which includes the SET_TARGET target.
        b.targetOfDom0IsPrivileged = true;
        // process.ml do_release runs Store.reset_permissions before looking the domain up; probes
        // oxenstored-4.17.7-dom0-more.txt "RELEASE 7" EINVAL, oxenstored-4.17.7-dom0-more.txt (probe2) RELEASE 0 -> ENOENT, after which GET_PERMS @introduceDomain is ENOENT (dom0's nodes gone).
        b.releaseOfUnknownDomainResetsIt = true;
        // process.ml do_introduce: an existing domid with another mfn -> EINVAL (Invalid_Cmd_Args).
        b.introduceOfKnownDomainChecksRing = true;
        b.setTargetNeedsIntroducedTarget = false;
        b.introduceRejectsBadPort = false;
        b.directoryOrder = DirectoryOrder.SORTED;
        b.rmOfMissingNode = RmOfMissingNode.OK_IF_PARENT_EXISTS;
        b.rmOfRoot = RmOfRoot.REMOVES_CHILDREN;
        b.ownerOfGuestCreatedNode = OwnerOfGuestCreatedNode.PARENT_OWNER;
        b.aclMatch = AclMatch.FIRST_MATCH_EITHER_ID;
        b.ownerChangeError = XsError.EACCES;
        b.missingNodeRevealsOnlyToReaders = false;
        b.specialPathsAreNodes = true;
        b.specialWatchesSupported = true;
        b.trailingSlashIgnored = false;
        b.pathLengthRule = PathLengthRule.AFTER_DOMAIN_PREFIX;
        b.pathLengthLimit = 1024;
        b.relativePathLimit = 1024;
        b.pathTooLongError = XsError.EINVAL;
        b.txConflictRule = TxConflictRule.REPLAY;
        b.unknownTransactionError = XsError.EIO;
        b.nestedTransactionError = XsError.EBUSY;
        b.resetWatchesEndsTransactions = true;
        b.eventDeduplication = false;
        b.txEventPerWriteOp = true;
        b.rmWatchEvents = RmWatchEvents.EVERY_WATCH_BELOW;
        b.getDomainPathSupported = true;
        b.directoryPartSupported = false;
        b.domainDeathNodes = DomainDeathNodes.REMOVED_SILENTLY;
        b.deadDomainAclEntriesKept = false;
        // store.ml Node.set_value: "if node.value = nvalue then node": a WRITE of the value a node has keeps the
        // node itself, which a later transaction's coalescing check compares physically (probe
        // oxenstored-4.17.7-tx-rm-created.txt, third trace).
        b.sameValueWriteKeepsNode = true;
        // xenstored.ml process_special_fds: one @releaseDomain per VIRQ_DOM_EXC scan (RELEASE-4.17.7 and 4.20.4);
        // probe run differential/rep-oxenstored-4.20-release-once.trace (kill 2, introduce 2, kill 1 -> one event).
        b.releaseEventOncePerScan = true;
        b.quotas = Quotas.OXENSTORED_DEFAULTS;
        b.setPermsArgumentsCheckedFirst = false;
        b.mkdirOfExistingNodeNeedsWrite = true;
        b.mkdirOfExistingNodeNeedsRead = false;
        b.writeCreatesParentsFirst = true;
        b.eventsNeedParentInTree = true;
        b.watchPathLengthUnchecked = true;
        b.malformedPathGivesStaleErrno = false;
        b.resetWatchesPerDomain = false;
        b.mkdirOfRootUnchecked = true;
        b.reintroduceResetsConnection = false;
        b.setPermsCountCheckedLast = false;
        b.unwatchChecksPath = false;
        b.extraPayloadStringsIgnored = false;
        b.specialSetPermsFailureGivesStaleErrno = false;
        b.unwatchValidatesPath = true;
        b.setPermsNonOwnerIsEperm = false;
        b.unknownControlCommandIsOk = true;
        b.domainAndControlOpsRefused = false;
        b.unknownTypeChecksTransactionFirst = true;
        // process.ml's live-update command (BUSY while transactions are open, kept; answers without a NUL), xenstored.ml
        // DB restore; transaction ids start at 1 again; a domain with a target keeps it BUSY
        // (probe live-update-oxenstored.txt "quiet update", "open transaction", "set target", "start up nodes").
        b.restartKnobs = new RestartKnobs(RestartKnobs.LiveUpdate.BUSY_WHILE_TRANSACTIONS, true, true,
                RestartKnobs.Migration.NONE,
                RestartKnobs.AfterRestart.STARTUP_NODES_REWRITTEN, 0);
        return b.build();
    }

    private static Dialect qemu() {
        Builder b = new Builder(QEMU);
        // probe qemu-xenstore-impl.txt "DIRECTORY /": QEMU's store starts with / and /local (plus its guest's nodes, made by the target's setup).
        b.initialNodes = ImmutableMap.of("/local", Bytes.EMPTY);
        b.setPermsOwnerMustExist = false;
        b.unwatchOnlyFirstOnPath = true;
        b.dom0IsADomain = true;
        b.directoryOrder = DirectoryOrder.SORTED;
        b.rmOfMissingNode = RmOfMissingNode.ENOENT;
        b.rmOfRoot = RmOfRoot.EINVAL;
        b.ownerOfGuestCreatedNode = OwnerOfGuestCreatedNode.PARENT_OWNER;
        b.aclMatch = AclMatch.LAST_MATCH;
        b.ownerChangeError = XsError.EPERM;
        b.missingNodeRevealsOnlyToReaders = false;
        b.specialPathsAreNodes = false;
        b.specialWatchesSupported = false;
        b.trailingSlashIgnored = true;
        b.pathLengthRule = PathLengthRule.ABSOLUTE_AND_RELATIVE;
        b.pathLengthLimit = 3072;
        b.relativePathLimit = 2048;
        b.pathTooLongError = XsError.E2BIG;
        b.txConflictRule = TxConflictRule.ANY_COMMIT_SINCE_START;
        b.unknownTransactionError = XsError.ENOENT;
        b.nestedTransactionError = XsError.EINVAL;
        b.resetWatchesEndsTransactions = false;
        b.eventDeduplication = false;
        b.txEventPerWriteOp = false;
        b.rmWatchEvents = RmWatchEvents.EXISTING_NODES;
        b.getDomainPathSupported = false;
        b.directoryPartSupported = true;
        b.domainDeathNodes = DomainDeathNodes.KEPT;
        b.deadDomainAclEntriesKept = false;
        b.quotas = Quotas.QEMU_DEFAULTS;
        b.setPermsArgumentsCheckedFirst = false;
        b.mkdirOfExistingNodeNeedsWrite = false;
        b.mkdirOfExistingNodeNeedsRead = true;
        b.writeCreatesParentsFirst = false;
        b.eventsNeedParentInTree = false;
        b.watchPathLengthUnchecked = false;
        b.malformedPathGivesStaleErrno = false;
        b.resetWatchesPerDomain = true;
        b.mkdirOfRootUnchecked = false;
        b.reintroduceResetsConnection = false;
        b.setPermsCountCheckedLast = true;
        b.unwatchChecksPath = true;
        b.extraPayloadStringsIgnored = true;
        b.specialSetPermsFailureGivesStaleErrno = false;
        b.unwatchValidatesPath = false;
        b.setPermsNonOwnerIsEperm = true;
        b.unknownControlCommandIsOk = false;
        b.domainAndControlOpsRefused = true;
        b.unknownTypeChecksTransactionFirst = false;
        // xenstore_impl.c xs_impl_serialize/xs_impl_deserialize (QEMU 10.0) promise a round trip; no live update.
        // Transaction ids go on (last_tx is saved); probe qemu-migrate.txt.
        b.restartKnobs = new RestartKnobs(RestartKnobs.LiveUpdate.NONE, false, false,
                RestartKnobs.Migration.KEEPS_ALL_BUT_DOM0_WATCHES, RestartKnobs.AfterRestart.NOTHING, 0);
        return b.build();
    }

    private static Dialect spec() {
        Builder b = new Builder(SPEC);
        // xenstore.txt is silent on the initial tree; the spec dialect starts with the root only.
        b.initialNodes = ImmutableMap.of();
        b.setPermsOwnerMustExist = false;
        b.dom0IsADomain = true;
        b.setTargetNeedsIntroducedTarget = true;
        b.directoryOrder = DirectoryOrder.SORTED;
        b.rmOfMissingNode = RmOfMissingNode.OK_IF_PARENT_EXISTS;
        b.rmOfRoot = RmOfRoot.EINVAL;
        b.ownerOfGuestCreatedNode = OwnerOfGuestCreatedNode.CREATOR;
        b.aclMatch = AclMatch.FIRST_MATCH;
        b.ownerChangeError = XsError.EPERM;
        b.missingNodeRevealsOnlyToReaders = true;
        b.specialPathsAreNodes = false;
        b.specialWatchesSupported = true;
        b.trailingSlashIgnored = false;
        b.pathLengthRule = PathLengthRule.ABSOLUTE_AND_RELATIVE;
        b.pathLengthLimit = 3072;
        b.relativePathLimit = 2048;
        b.pathTooLongError = XsError.EINVAL;
        b.txConflictRule = TxConflictRule.MAY_FAIL_IF_ANYTHING_CHANGED;
        b.unknownTransactionError = XsError.ENOENT;
        b.nestedTransactionError = XsError.EBUSY;
        b.resetWatchesEndsTransactions = true;
        b.eventDeduplication = false;
        b.txEventPerWriteOp = false;
        b.rmWatchEvents = RmWatchEvents.EXISTING_NODES;
        b.getDomainPathSupported = true;
        b.directoryPartSupported = true;
        b.domainDeathNodes = DomainDeathNodes.REMOVED_WITH_EVENTS;
        b.deadDomainAclEntriesKept = false;
        b.quotas = Quotas.CXENSTORED_DEFAULTS;
        b.setPermsArgumentsCheckedFirst = true;
        b.mkdirOfExistingNodeNeedsWrite = true;
        b.mkdirOfExistingNodeNeedsRead = false;
        b.writeCreatesParentsFirst = false;
        b.eventsNeedParentInTree = false;
        b.watchPathLengthUnchecked = false;
        b.malformedPathGivesStaleErrno = false;
        b.resetWatchesPerDomain = false;
        b.mkdirOfRootUnchecked = false;
        b.reintroduceResetsConnection = false;
        b.setPermsCountCheckedLast = false;
        b.unwatchChecksPath = false;
        b.extraPayloadStringsIgnored = false;
        b.specialSetPermsFailureGivesStaleErrno = false;
        b.unwatchValidatesPath = false;
        b.setPermsNonOwnerIsEperm = false;
        b.unknownControlCommandIsOk = false;
        b.domainAndControlOpsRefused = false;
        b.unknownTypeChecksTransactionFirst = false;
        return b.build();
    }

    /** This dialect with other quota values (a target started with non-default limits). */
    public Dialect withQuotas(Quotas q) {
        Builder b = new Builder(this);
        b.quotas = Objects.requireNonNull(q);
        return b.build();
    }

    /** The node in which a daemon records its own executable's path. */
    public static final String TOOL_XENSTORED = "/tool/xenstored";

    /**
     * This dialect with {@code path} as the initial value of /tool/xenstored, where the dialect
     * records the daemon's executable (oxenstored: xenstored.ml stores Sys.executable_name), so
     * that a build installed elsewhere ({@code --sut oxenstored=PATH}) starts from its own path.
     * Unchanged where the initial value is empty (C xenstored writes "").
     */
    public Dialect withExecutablePath(Bytes path) {
        Bytes current = initialNodes.get(TOOL_XENSTORED);
        if (current == null || current.length() == 0 || current.equals(path)) {
            return this;
        }
        ImmutableMap.Builder<String, Bytes> nodes = ImmutableMap.builder();
        initialNodes.forEach((k, v) -> nodes.put(k, k.equals(TOOL_XENSTORED) ? path : v));
        Builder b = new Builder(this);
        b.initialNodes = nodes.buildOrThrow();
        return b.build();
    }

    public String name() { return name; }

    /** Nodes besides "/" in the initial tree and their values, parents first; all "n0". */
    public ImmutableMap<String, Bytes> initialNodes() { return initialNodes; }

    /**
     * SET_PERMS naming an owner domain that does not exist is ENOENT (C do_set_perms: the owner
     * entry gets XS_PERM_IGNORE; probe cxenstored-4.17.7-dom0.txt "SET_PERMS /g w7"); oxenstored
     * accepts it (probe oxenstored-4.17.7-dom0.txt). The model counts dom0 and introduced domains as existing.
     */
    public boolean setPermsOwnerMustExist() { return setPermsOwnerMustExist; }

    /**
     * QEMU keeps one list of watches per path across connections: UNWATCH removes the first one only
     * if it is the caller's, and a later one only if it has the token and the caller's domain but is
     * another connection's (xenstore_impl.c xs_impl_unwatch compares opaque with != in the non-head
     * loop; probes qemu-xenstore-impl.txt "UNWATCH /w tokB (non-head)", qemu-unwatch-order.txt).
     */
    public boolean unwatchOnlyFirstOnPath() { return unwatchOnlyFirstOnPath; }

    /** oxenstored looks the transaction up before it finds a request's type unknown: an unknown type naming an unknown transaction is EIO (process.ml process_packet; probe run rep7: raw type 20 with an unknown tx id -> EIO). */
    public boolean unknownTypeChecksTransactionFirst() { return unknownTypeChecksTransactionFirst; }

    /** QEMU answers EACCES to INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET and CONTROL from anyone, dom0 included (xen_xenstore.c; probe qemu-xenstore-impl.txt \"d0 INTRODUCE\", \"d0 CONTROL other\"). */
    public boolean domainAndControlOpsRefused() { return domainAndControlOpsRefused; }

    /** oxenstored answers an unknown CONTROL (DEBUG) command with OK (process.ml do_debug); C answers EINVAL (xenstored_control.c do_control). QEMU refuses CONTROL altogether (EACCES). */
    public boolean unknownControlCommandIsOk() { return unknownControlCommandIsOk; }

    /**
     * oxenstored 4.18+: CONTROL {@code compact} answers {@code "Compacted"} and {@code trim} answers
     * {@code "trimmed"}, both without a NUL, and {@code txn DOMID} prints transactions (process.ml
     * do_debug, 0742b0a081 "tools/oxenstored: Additional debugging commands"); before, all three are
     * unknown commands (OK). Probe oxenstored-4.20.4-probes.txt, versions/ox-control-compact.trace.
     */
    public boolean controlCompactAndTrim() { return controlCompactAndTrim; }

    /** QEMU: SET_PERMS by a domain that may write the node but does not own it is EPERM (xenstore_impl.c; qemu-xs research); C (get_node XS_PERM_WRITE|XS_PERM_OWNER) and oxenstored (store.ml path_setperms Node.check_owner) say EACCES (probe run: G1 SET_PERMS on a node it may write but does not own -> EACCES in both). */
    public boolean setPermsNonOwnerIsEperm() { return setPermsNonOwnerIsEperm; }

    /** oxenstored answers UNWATCH of the empty path with EINVAL (connection.ml get_watch_path reads path.[0]; probe run: UNWATCH "" -> EINVAL, UNWATCH "/a b" -> ENOENT); C says ENOENT. */
    public boolean unwatchValidatesPath() { return unwatchValidatesPath; }

    /** C: do_set_perms returns errno, not set_perms_special's result, when setting the ACL of an @ name fails, so an unknown @name or a refused caller gets a stale errno (xenstored_core.c do_set_perms; probe run: guest SET_PERMS @other -> EACCES). The model allows EINVAL, ENOENT and EACCES. */
    public boolean specialSetPermsFailureGivesStaleErrno() { return specialSetPermsFailureGivesStaleErrno; }

    /**
     * C 4.18+: "@introduceDomain" and "@releaseDomain" are nodes of the database for GET_PERMS and
     * SET_PERMS (canonicalize(..., allow_special) in do_get_perms/do_set_perms): GET_PERMS answers
     * their ACL (EACCES to a caller who may not read it), SET_PERMS fires watches on the name and on
     * "/" like any node change, and any other "@name" is a missing node (ENOENT; EACCES to a guest
     * that may not read "/", errno_from_parents). Their events (introduction, release) reach a guest
     * that may read the node or its parent "/" (watch_permitted). Set in a transaction, an ACL is the
     * transaction's until its commit fires the watches. Other requests still refuse "@" names. False: C
     * 4.17 (set_perms_special; GET_PERMS "@..." EINVAL) and the others. Values and evidence in
     * {@link Dialects420}.
     */
    public boolean specialNamesArePermNodes() { return specialNamesArePermNodes; }

    /**
     * C 4.18+: the path length limit binds unprivileged connections only (canonicalize calls
     * domain_max_chk(conn, ACC_PATHLEN, ...), which never refuses a privileged one): dom0 paths of
     * any length the frame can carry are accepted. False: the limit binds everyone.
     */
    public boolean privilegedPathLengthUnlimited() { return privilegedPathLengthUnlimited; }

    /**
     * oxenstored fires {@code @releaseDomain} once per domain-exception scan, however many domains
     * it found dead (xenstored.ml process_special_fds after Domains.cleanup); C fires it once per
     * released domain (destroy_domain). False: one event per domain.
     */
    public boolean releaseEventOncePerScan() { return releaseEventOncePerScan; }

    /**
     * C (4.17.7 and 4.20.4): a domain that an introduced domain targets (SET_TARGET; its own
     * target included) is never released after it is marked dying (docs/divergences.md "a domain
     * that is its own target is never released"; baselined as {@code crash:kill:HUNG}; run on
     * 4.17.7: {@code settarget 2 1, kill 1} is still introduced a second later, while {@code
     * settarget 1 2, kill 1} and {@code settarget 2 1, release 2, kill 1} release it). The model
     * does not follow it (the kill's reply and state stay those of a release, and the hang is
     * reported as a divergence); the engine reads it to wait briefly for a release it does not
     * expect instead of the full bound. False: such a domain is released like any other.
     */
    public boolean targetedDomainNeverReleased() { return targetedDomainNeverReleased; }

    /** C: INTRODUCE of a domain already introduced resets its connection, dropping its watches and transactions (xenstored_domain.c do_introduce/domain_conn_reset; probe run: guest tx, dom0 INTRODUCE again, guest END -> ENOENT). */
    public boolean reintroduceResetsConnection() { return reintroduceResetsConnection; }

    /** QEMU counts the entries of a guest's SET_PERMS only once the node is found and the caller may change it (xenstore_impl.c xs_node_set_perms: EPERM checks, then ENOSPC; probe run: qemu guest SET_PERMS of a missing node with 7 entries -> ENOENT, of a dom0 node -> EACCES); C counts first (do_set_perms). */
    public boolean setPermsCountCheckedLast() { return setPermsCountCheckedLast; }

    /** QEMU validates an UNWATCH path as it does a WATCH path, so an invalid one is EINVAL (xenstore_impl.c xs_impl_unwatch validate_path; probe run: qemu UNWATCH "/a b" -> EINVAL); C matches nothing (ENOENT). */
    public boolean unwatchChecksPath() { return unwatchChecksPath; }

    /** QEMU: a single-path request whose NUL-terminated payload holds more strings uses the first, and WATCH/UNWATCH ignore what follows the token, a missing token being empty (xen_xenstore.c request handlers; probe run: qemu READ "/\\0extra\\0" -> "", WATCH "/local/domain/1\\0" -> OK); C and oxenstored say EINVAL. */
    public boolean extraPayloadStringsIgnored() { return extraPayloadStringsIgnored; }

    /** oxenstored's MKDIR / returns before any check (store.ml path_mkdir: path = [] -> root; probe run: guest MKDIR / -> OK) while MKDIR of any other existing node needs write (probe run: guest MKDIR @releaseDomain -> EACCES). */
    public boolean mkdirOfRootUnchecked() { return mkdirOfRootUnchecked; }

    /** QEMU's RESET_WATCHES removes every watch of the caller's domid, those of its other connections included (xenstore_impl.c xs_impl_reset_watches works per domid; qemu-xs research, observed on the prototype front end). */
    public boolean resetWatchesPerDomain() { return resetWatchesPerDomain; }

    /** C: a single-path request whose payload is not exactly one string reaches get_node_canonicalized with a NULL name, which returns without setting errno, so the reply is whatever errno an earlier call left (xenstored_core.c onearg, get_node_canonicalized; probe run: READ "/local\\0extra\\0" answered ENOENT for dom0 and EACCES for a guest; after a write refused by the size quota, ENOSPC). The model allows EINVAL, ENOENT, EACCES and ENOSPC. */
    public boolean malformedPathGivesStaleErrno() { return malformedPathGivesStaleErrno; }

    /** oxenstored checks a watch path's syntax but not its length (connections.ml add_watch key_of_str; probe run: WATCH of a 2049-byte path -> OK). */
    public boolean watchPathLengthUnchecked() { return watchPathLengthUnchecked; }

    /** oxenstored fires an event for path P only if P's parent is in the tree it checks (connection.ml lookup_watch_perm), so nothing ever fires for / itself (probe run: SET_PERMS / with a watch on / -> no event). */
    public boolean eventsNeedParentInTree() { return eventsNeedParentInTree; }

    /** oxenstored creates the missing parents (create_implicit_path) before it checks the value size and the entry quota of the node itself, so those parents stay when the write then fails; and for the node itself the size is checked before the permission (store.ml write: Quota.check before path_write). Probe run: G2 WRITE /tool with 2049 bytes -> E2BIG (not EACCES); a too-big WRITE left /local/domain/2 behind. */
    public boolean writeCreatesParentsFirst() { return writeCreatesParentsFirst; }

    /** QEMU implements MKDIR as READ then WRITE if ENOENT (xen_xenstore.c), so an existing node needs read permission. */
    public boolean mkdirOfExistingNodeNeedsRead() { return mkdirOfExistingNodeNeedsRead; }

    /** MKDIR of an existing node still needs write permission on it (C do_mkdir get_node XS_PERM_WRITE; oxenstored store.ml path_mkdir check_perm before Already_exist, probe run: guest MKDIR @releaseDomain -> EACCES); QEMU reads instead. */
    public boolean mkdirOfExistingNodeNeedsWrite() { return mkdirOfExistingNodeNeedsWrite; }

    /** SET_PERMS checks its entries (count, then an unknown owner) before the path (C do_set_perms; probe run: C answered ENOSPC/ENOENT for SET_PERMS on an invalid or special path, where the path check would say EINVAL/EACCES). oxenstored validates the path first (process.ml do_setperms). */
    public boolean setPermsArgumentsCheckedFirst() { return setPermsArgumentsCheckedFirst; }

    /** A domain whose SET_TARGET is dom0 is privileged (oxenstored perms.ml is_dom0); C only dom0 (domain_is_unprivileged). */
    public boolean targetOfDom0IsPrivileged() { return targetOfDom0IsPrivileged; }

    /**
     * Dom0 is a domain RELEASE and RESUME refuse (EINVAL) and DOMID_SELF names it (C
     * xenstored_domain.c); oxenstored answers RELEASE 0 with ENOENT after removing dom0's nodes and
     * RESUME 0 with OK (probe oxenstored-4.17.7-dom0-more.txt). IS_DOMAIN_INTRODUCED 0 is T in both
     * (probe run; the F in the probe2 transcript came after its RELEASE 0).
     */
    public boolean dom0IsADomain() { return dom0IsADomain; }

    /**
     * RELEASE of a domain that is not introduced still removes the nodes it owns and its ACL
     * entries, then answers EINVAL (ENOENT for dom0): oxenstored. C answers ENOENT and does nothing.
     */
    public boolean releaseOfUnknownDomainResetsIt() { return releaseOfUnknownDomainResetsIt; }

    /** INTRODUCE of a known domain with another mfn or port is EINVAL (oxenstored); C rebinds. */
    public boolean introduceOfKnownDomainChecksRing() { return introduceOfKnownDomainChecksRing; }

    /** SET_TARGET needs the target introduced too (C); oxenstored only checks the domain. */
    public boolean setTargetNeedsIntroducedTarget() { return setTargetNeedsIntroducedTarget; }

    /** INTRODUCE with an event-channel port of 0 is EINVAL (C do_introduce). */
    public boolean introduceRejectsBadPort() { return introduceRejectsBadPort; }

    /** Order of DIRECTORY names (anchors §2 #1; probes {c,o}xenstored-4.17.7-dom0.txt "DIRECTORY /d after creating b,a,c"). */
    public DirectoryOrder directoryOrder() { return directoryOrder; }

    /** RM of a missing node (anchors §2 #2, corrected by probe: oxenstored is ENOENT when the parent is missing too). */
    public RmOfMissingNode rmOfMissingNode() { return rmOfMissingNode; }

    /** RM of "/" by dom0 (anchors §2 #4). */
    public RmOfRoot rmOfRoot() { return rmOfRoot; }

    /** Owner of a node an unprivileged domain creates (anchors §2 #7). */
    public OwnerOfGuestCreatedNode ownerOfGuestCreatedNode() { return ownerOfGuestCreatedNode; }

    /** ACL entry selection (anchors §2 #9). */
    public AclMatch aclMatch() { return aclMatch; }

    /** Error when an unprivileged owner gives a node away: C EPERM (do_set_perms), oxenstored EACCES (XSA-352), QEMU EPERM (QEMU hw/i386/kvm/xen_xenstore.c). */
    public XsError ownerChangeError() { return ownerChangeError; }

    /**
     * True: a missing node is ENOENT only if the nearest existing ancestor grants the requested
     * right, else EACCES (C errno_from_parents). False: ENOENT whatever the ancestors' perms
     * (oxenstored; QEMU: xenstore_impl.c checks perms only on the node found).
     */
    public boolean missingNodeRevealsOnlyToReaders() { return missingNodeRevealsOnlyToReaders; }

    /** oxenstored reads "@name" as the root child "/@name" (store.ml Path.of_string); C and QEMU say EINVAL outside watches. */
    public boolean specialPathsAreNodes() { return specialPathsAreNodes; }

    /** "@introduceDomain"/"@releaseDomain" watches exist (C, oxenstored); QEMU rejects '@' (QEMU hw/i386/kvm/xen_xenstore.c). */
    public boolean specialWatchesSupported() { return specialWatchesSupported; }

    /** QEMU accepts "/a/" as "/a" (validate_path looks at path[len]; probe qemu-xenstore-impl.txt "WRITE '/a/'"); C and oxenstored say EINVAL. */
    public boolean trailingSlashIgnored() { return trailingSlashIgnored; }

    public PathLengthRule pathLengthRule() { return pathLengthRule; }

    /** C quota_max_path_len 2048 (-M); oxenstored quota-path-max 1024 (shipped oxenstored.conf); QEMU 3072 absolute. */
    public int pathLengthLimit() { return pathLengthLimit; }

    /** QEMU: 2048 for relative paths; the others use {@link #pathLengthLimit()}. */
    public int relativePathLimit() { return relativePathLimit; }

    /** C and oxenstored EINVAL; QEMU E2BIG (probe qemu-xenstore-impl.txt "3073 gives E2BIG"). */
    public XsError pathTooLongError() { return pathTooLongError; }

    /** Transaction conflict rule (anchors §1.8, §2 #15-17). */
    public TxConflictRule txConflictRule() { return txConflictRule; }

    /** An op naming an unknown transaction: C ENOENT; oxenstored EIO (process.ml catch-all; probe oxenstored-4.17.7-dom0.txt "READ /d with unknown tx 99"); QEMU ENOENT. */
    public XsError unknownTransactionError() { return unknownTransactionError; }

    /** TRANSACTION_START inside a transaction: C and oxenstored EBUSY, QEMU EINVAL (probe qemu-xenstore-impl.txt). */
    public XsError nestedTransactionError() { return nestedTransactionError; }

    /** RESET_WATCHES also ends the caller's transactions (C conn_delete_all_transactions, oxenstored); QEMU keeps them. */
    public boolean resetWatchesEndsTransactions() { return resetWatchesEndsTransactions; }

    /** C drops an event identical to one still queued for the connection (xenstored_watch.c; probe cxenstored-4.17.7-dom0.txt "watches /e and /e/f both token 'same'": 1 event, oxenstored 2). */
    public boolean eventDeduplication() { return eventDeduplication; }

    /** oxenstored fires one event per write op of a committed transaction (process.ml process_watch); C and QEMU one per changed node. */
    public boolean txEventPerWriteOp() { return txEventPerWriteOp; }

    /** Watch events of RM (anchors §1.7, §2 #19). */
    public RmWatchEvents rmWatchEvents() { return rmWatchEvents; }


    /** QEMU answers GET_DOMAIN_PATH with ENOSYS (not in xen_xenstore.c xsd_reqs). */
    public boolean getDomainPathSupported() { return getDomainPathSupported; }

    /** oxenstored 4.17 has no DIRECTORY_PART (libs/xb/op.ml): ENOSYS. */
    public boolean directoryPartSupported() { return directoryPartSupported; }

    /** A dead domain's nodes (anchors §1.10). */
    public DomainDeathNodes domainDeathNodes() { return domainDeathNodes; }

    /**
     * Whether a dead domain's ACL entries stay in the nodes' ACLs (and GET_PERMS): C keeps them, flagged
     * XS_PERM_IGNORE once the domain is gone (xenstored_domain.c domain_adjust_node_perms; fixed-seed run:
     * SET_PERMS / r2 w1 w0 w3, kill 1 -> GET_PERMS still lists w1); oxenstored and the spec drop them
     * (store.ml reset_permissions). Kept entries grant nothing to a later domain with the id ({@link DomainStructs},
     * chk_domain_generation; XSA-322), nor do entries naming a domain the hypervisor did not know when they
     * were written (domain_alloc_permrefs).
     */
    public boolean deadDomainAclEntriesKept() { return deadDomainAclEntriesKept; }

    /** A WRITE of the node's own value keeps the node as it was, generation included (oxenstored set_value). */
    public boolean sameValueWriteKeepsNode() { return sameValueWriteKeepsNode; }


    /** Limits and which connections they bind. */
    public Quotas quotas() { return quotas; }

    /** Live update and migration (see {@link Restarts}). */
    public RestartKnobs restartKnobs() { return restartKnobs; }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dialect d && d.name.equals(name) && d.quotas.equals(quotas);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + quotas.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }

    /** Package-private so that each later release's page (Dialects420) states only its differences. */
    static final class Builder {
        String name;
        ImmutableMap<String, Bytes> initialNodes;
        boolean setPermsOwnerMustExist;
        boolean unwatchOnlyFirstOnPath;
        boolean unknownTypeChecksTransactionFirst;
        boolean domainAndControlOpsRefused;
        boolean unknownControlCommandIsOk;
        boolean controlCompactAndTrim;
        boolean setPermsNonOwnerIsEperm;
        boolean unwatchValidatesPath;
        boolean specialSetPermsFailureGivesStaleErrno;
        boolean specialNamesArePermNodes;
        boolean privilegedPathLengthUnlimited;
        boolean releaseEventOncePerScan;
        boolean targetedDomainNeverReleased;
        boolean reintroduceResetsConnection;
        boolean setPermsCountCheckedLast;
        boolean unwatchChecksPath;
        boolean extraPayloadStringsIgnored;
        boolean mkdirOfRootUnchecked;
        boolean resetWatchesPerDomain;
        boolean malformedPathGivesStaleErrno;
        boolean watchPathLengthUnchecked;
        boolean eventsNeedParentInTree;
        boolean writeCreatesParentsFirst;
        boolean mkdirOfExistingNodeNeedsRead;
        boolean mkdirOfExistingNodeNeedsWrite;
        boolean setPermsArgumentsCheckedFirst;
        boolean dom0IsADomain;
        boolean targetOfDom0IsPrivileged;
        boolean releaseOfUnknownDomainResetsIt;
        boolean introduceOfKnownDomainChecksRing;
        boolean setTargetNeedsIntroducedTarget;
        boolean introduceRejectsBadPort;
        DirectoryOrder directoryOrder;
        RmOfMissingNode rmOfMissingNode;
        RmOfRoot rmOfRoot;
        OwnerOfGuestCreatedNode ownerOfGuestCreatedNode;
        AclMatch aclMatch;
        XsError ownerChangeError;
        boolean missingNodeRevealsOnlyToReaders;
        boolean specialPathsAreNodes;
        boolean specialWatchesSupported;
        boolean trailingSlashIgnored;
        PathLengthRule pathLengthRule;
        int pathLengthLimit;
        int relativePathLimit;
        XsError pathTooLongError;
        TxConflictRule txConflictRule;
        XsError unknownTransactionError;
        XsError nestedTransactionError;
        boolean resetWatchesEndsTransactions;
        boolean eventDeduplication;
        boolean txEventPerWriteOp;
        RmWatchEvents rmWatchEvents;
        boolean getDomainPathSupported;
        boolean directoryPartSupported;
        DomainDeathNodes domainDeathNodes;
        boolean deadDomainAclEntriesKept;
        boolean sameValueWriteKeepsNode;
        Quotas quotas;
        /** No restart unless a dialect's factory says otherwise. */
        RestartKnobs restartKnobs = RestartKnobs.NONE;

        Builder(String name) {
            this.name = name;
        }

        Builder(Dialect d) {
            name = d.name;
            initialNodes = d.initialNodes;
            setPermsOwnerMustExist = d.setPermsOwnerMustExist;
            unwatchOnlyFirstOnPath = d.unwatchOnlyFirstOnPath;
            unknownTypeChecksTransactionFirst = d.unknownTypeChecksTransactionFirst;
            domainAndControlOpsRefused = d.domainAndControlOpsRefused;
            unknownControlCommandIsOk = d.unknownControlCommandIsOk;
            controlCompactAndTrim = d.controlCompactAndTrim;
            setPermsNonOwnerIsEperm = d.setPermsNonOwnerIsEperm;
            unwatchValidatesPath = d.unwatchValidatesPath;
            specialSetPermsFailureGivesStaleErrno = d.specialSetPermsFailureGivesStaleErrno;
            specialNamesArePermNodes = d.specialNamesArePermNodes;
            privilegedPathLengthUnlimited = d.privilegedPathLengthUnlimited;
            releaseEventOncePerScan = d.releaseEventOncePerScan;
            targetedDomainNeverReleased = d.targetedDomainNeverReleased;
            reintroduceResetsConnection = d.reintroduceResetsConnection;
            setPermsCountCheckedLast = d.setPermsCountCheckedLast;
            unwatchChecksPath = d.unwatchChecksPath;
            extraPayloadStringsIgnored = d.extraPayloadStringsIgnored;
            mkdirOfRootUnchecked = d.mkdirOfRootUnchecked;
            resetWatchesPerDomain = d.resetWatchesPerDomain;
            malformedPathGivesStaleErrno = d.malformedPathGivesStaleErrno;
            watchPathLengthUnchecked = d.watchPathLengthUnchecked;
            eventsNeedParentInTree = d.eventsNeedParentInTree;
            writeCreatesParentsFirst = d.writeCreatesParentsFirst;
            mkdirOfExistingNodeNeedsRead = d.mkdirOfExistingNodeNeedsRead;
            mkdirOfExistingNodeNeedsWrite = d.mkdirOfExistingNodeNeedsWrite;
            setPermsArgumentsCheckedFirst = d.setPermsArgumentsCheckedFirst;
            dom0IsADomain = d.dom0IsADomain;
            targetOfDom0IsPrivileged = d.targetOfDom0IsPrivileged;
            releaseOfUnknownDomainResetsIt = d.releaseOfUnknownDomainResetsIt;
            introduceOfKnownDomainChecksRing = d.introduceOfKnownDomainChecksRing;
            setTargetNeedsIntroducedTarget = d.setTargetNeedsIntroducedTarget;
            introduceRejectsBadPort = d.introduceRejectsBadPort;
            directoryOrder = d.directoryOrder;
            rmOfMissingNode = d.rmOfMissingNode;
            rmOfRoot = d.rmOfRoot;
            ownerOfGuestCreatedNode = d.ownerOfGuestCreatedNode;
            aclMatch = d.aclMatch;
            ownerChangeError = d.ownerChangeError;
            missingNodeRevealsOnlyToReaders = d.missingNodeRevealsOnlyToReaders;
            specialPathsAreNodes = d.specialPathsAreNodes;
            specialWatchesSupported = d.specialWatchesSupported;
            trailingSlashIgnored = d.trailingSlashIgnored;
            pathLengthRule = d.pathLengthRule;
            pathLengthLimit = d.pathLengthLimit;
            relativePathLimit = d.relativePathLimit;
            pathTooLongError = d.pathTooLongError;
            txConflictRule = d.txConflictRule;
            unknownTransactionError = d.unknownTransactionError;
            nestedTransactionError = d.nestedTransactionError;
            resetWatchesEndsTransactions = d.resetWatchesEndsTransactions;
            eventDeduplication = d.eventDeduplication;
            txEventPerWriteOp = d.txEventPerWriteOp;
            rmWatchEvents = d.rmWatchEvents;
            getDomainPathSupported = d.getDomainPathSupported;
            directoryPartSupported = d.directoryPartSupported;
            domainDeathNodes = d.domainDeathNodes;
            deadDomainAclEntriesKept = d.deadDomainAclEntriesKept;
            sameValueWriteKeepsNode = d.sameValueWriteKeepsNode;
            quotas = d.quotas;
            restartKnobs = d.restartKnobs;
        }

        Dialect build() {
            return new Dialect(this);
        }
    }
}
