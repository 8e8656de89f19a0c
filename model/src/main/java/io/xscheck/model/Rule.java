package io.xscheck.model;

import static io.xscheck.model.Evidence.C;
import static io.xscheck.model.Evidence.C420;
import static io.xscheck.model.Evidence.O;
import static io.xscheck.model.Evidence.O420;
import static io.xscheck.model.Evidence.Q;
import static io.xscheck.model.Evidence.c;
import static io.xscheck.model.Evidence.c420;
import static io.xscheck.model.Evidence.o;
import static io.xscheck.model.Evidence.probe;
import static io.xscheck.model.Evidence.q;
import static io.xscheck.model.Evidence.spec;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSet;
import java.util.Arrays;
import java.util.Optional;

/**
 * Every rule the model decides an outcome by: its id (stable: signatures and baselines name it),
 * its room, one sentence saying what it states, and where a reader can check it per dialect.
 * Where dialects differ, the knob the rule reads is in {@link Dialect}'s tables; the rule's
 * evidence covers each dialect's answer.
 */
public enum Rule {
    // ---- paths
    PATHS_EMPTY(Room.PATHS, "Paths.empty",
            "An empty path is invalid (EINVAL).",
            spec("Paths are /-separated"), c("xenstored_core.c", "is_valid_nodename"), o("store.ml", "Path.of_string"),
            probe("qemu-xenstore-impl.txt", "WRITE '' (len 0)", Q)),
    PATHS_SPECIAL_NAME_IS_NOT_A_NODE(Room.PATHS, "Paths.specialNameIsNotANode",
            "An @name used as a node path is EINVAL where special names are not nodes (C, QEMU); oxenstored reads it as /@name.",
            probe("cxenstored-4.17.7-dom0.txt", "READ @introduceDomain", C), probe("oxenstored-4.17.7-dom0.txt", "READ @introduceDomain", O),
            probe("qemu-xenstore-impl.txt", "WRITE '@introduceDomain' (len 16)", Q)),
    PATHS_TRAILING_SLASH(Room.PATHS, "Paths.trailingSlash",
            "A path ending in / (other than the root) is EINVAL; QEMU ignores the slash.",
            spec("Doubled slashes and trailing slashes"), probe("cxenstored-4.17.7-dom0.txt", "WRITE /t/ (trailing slash)", C),
            probe("oxenstored-4.17.7-dom0.txt", "WRITE /t/ (trailing slash)", O), probe("qemu-xenstore-impl.txt", "WRITE '/a/' (len 3)", Q)),
    PATHS_DOUBLE_SLASH(Room.PATHS, "Paths.doubleSlash",
            "A path with // in it is EINVAL.",
            spec("Doubled slashes and trailing slashes"), c("xenstored_core.c", "is_valid_nodename"), o("store.ml", "Path.of_string"),
            probe("qemu-xenstore-impl.txt", "WRITE 'a//b' (len 4)", Q)),
    PATHS_BAD_CHARACTER(Room.PATHS, "Paths.badCharacter",
            "A path character outside [A-Za-z0-9_@/-] (QEMU: without @) is EINVAL.",
            spec("The permitted character for paths set"), c("xenstored_core.c", "valid_chars"), o("store.ml", "Path.char_is_valid"),
            probe("qemu-xenstore-impl.txt", "WRITE '/a b' (len 4)", Q)),
    PATHS_NO_SPECIAL_WATCHES(Room.PATHS, "Paths.noSpecialWatches",
            "Where @ is not a path character (QEMU), a WATCH of @introduceDomain or @releaseDomain is EINVAL.",
            probe("qemu-xenstore-impl.txt", "d0 WATCH @introduceDomain tokI", Q), q("xenstore_impl.c", "validate_path")),
    PATHS_TOO_LONG(Room.PATHS, "Paths.tooLong",
            "A path over the dialect's length limit is refused (C, oxenstored EINVAL measured after /local/domain/N/; QEMU E2BIG over 3072, 2048 relative); C 4.20 exempts dom0.",
            probe("cxenstored-4.17.7-dom0.txt", "WRITE path of 2049 chars", C), probe("oxenstored-4.17.7-dom0.txt", "WRITE path of 1025 chars", O),
            probe("qemu-xenstore-impl.txt", "WRITE '/xxxxxxxxxxxxxxxxxxx'... (len 3073)", Q),
            c420("core.c", "canonicalize"), probe("cxenstored-4.20.4-probes.txt", "versions/c-dom0-long-path.trace", C420)),

    // ---- ACLs
    ACLS_READ_DENIED(Room.ACLS, "Permissions.readDenied",
            "Reading a node (READ, DIRECTORY, GET_PERMS; QEMU's MKDIR of an existing node) needs read permission on it: EACCES.",
            spec("GET_PERMS"), c("xenstored_core.c", "get_node"), o("store.ml", "Store.read"),
            probe("qemu-xenstore-impl.txt", "g1 READ /a (perm n0 b5 w7)", Q)),
    ACLS_WRITE_DENIED(Room.ACLS, "Permissions.writeDenied",
            "Changing an existing node (WRITE, RM, C's and oxenstored's MKDIR of it) needs write permission on it: EACCES.",
            c("xenstored_core.c", "do_write"), o("store.ml", "Store.write"), probe("cxenstored-4.17.7-domU.txt", "domU RM /hidden ", C),
            probe("differential/rep2-oxenstored-5.trace", "G1 mkdir @releaseDomain", O),
            probe("qemu-xenstore-impl.txt", "g1 WRITE domid (ro node)", Q)),
    ACLS_CREATE_DENIED(Room.ACLS, "Permissions.createDenied",
            "Creating a node needs write permission on its nearest existing ancestor: EACCES.",
            c("xenstored_core.c", "construct_node"), o("process.ml", "create_implicit_path"),
            probe("cxenstored-4.17.7-domU.txt", "domU WRITE /hidden/z", C), probe("qemu-xenstore-impl.txt", "g1 WRITE newtop (under ro home)", Q)),
    ACLS_MISSING_NODE(Room.ACLS, "Permissions.missingNode",
            "A missing node is ENOENT (in C only when the nearest existing ancestor grants the right asked for).",
            c("xenstored_core.c", "errno_from_parents"), probe("cxenstored-4.17.7-domU.txt", "domU READ /pub/missing", C),
            probe("qemu-xenstore-impl.txt", "g1 READ /nonexistent", Q), o("store.ml", "Path.get_node")),
    ACLS_MISSING_NODE_HIDDEN(Room.ACLS, "Permissions.missingNodeHidden",
            "C: a missing node under an ancestor that does not grant the right is EACCES, not ENOENT.",
            c("xenstored_core.c", "errno_from_parents"), probe("cxenstored-4.17.7-domU.txt", "domU READ /hidden/missing (parent n0)", C)),
    ACLS_SET_PERMS_EMPTY(Room.ACLS, "Permissions.setPermsEmpty",
            "SET_PERMS without a permission entry is EINVAL.",
            spec("SET_PERMS"), c("xenstored_core.c", "do_set_perms"), o("process.ml", "do_setperms"),
            probe("qemu-xenstore-impl.txt", "SET_PERMS /a (none)", Q)),
    ACLS_SET_PERMS_OWNER_UNKNOWN(Room.ACLS, "Permissions.setPermsOwnerUnknown",
            "C: SET_PERMS naming an owner that is not an introduced domain is ENOENT; the others accept it.",
            c("xenstored_core.c", "do_set_perms"), probe("cxenstored-4.17.7-domU.txt", "dom0 SET_PERMS /pub/new n3 (owner 3 not introduced)", C),
            probe("oxenstored-4.17.7-dom0.txt", "SET_PERMS /g w7 (owner 7 unknown)", O)),
    ACLS_SET_PERMS_DENIED(Room.ACLS, "Permissions.setPermsDenied",
            "SET_PERMS needs write permission on the node (for C's special names also ownership): EACCES.",
            c("xenstored_core.c", "do_set_perms"), o("store.ml", "path_setperms"), c("xenstored_domain.c", "set_perms_special"),
            probe("cxenstored-4.20.4-probes.txt", "versions/c-special-nodes.trace", C420)),
    ACLS_SET_PERMS_NOT_OWNER(Room.ACLS, "Permissions.setPermsNotOwner",
            "An unprivileged SET_PERMS needs ownership of the node: EACCES (QEMU EPERM); oxenstored does not ask it for /.",
            c("xenstored_core.c", "do_set_perms"), o("store.ml", "path_setperms"),
            probe("qemu-xenstore-impl.txt", "g1 SET_PERMS domid n1 (not owner)", Q), probe("differential/rep-oxenstored-6.trace", "G1 mkdir /", O)),
    ACLS_OWNER_CHANGE(Room.ACLS, "Permissions.ownerChange",
            "An unprivileged owner may not give its node away: EPERM (oxenstored EACCES, XSA-352).",
            c("xenstored_core.c", "do_set_perms"), o("process.ml", "do_setperms"),
            probe("cxenstored-4.17.7-domU.txt", "domU SET_PERMS x n0 (give away ownership)", C),
            probe("qemu-xenstore-impl.txt", "g1 SET_PERMS data/foo n2 (give away)", Q)),
    ACLS_SET_SPECIAL_PERMS(Room.ACLS, "Permissions.setSpecialPerms",
            "C 4.17: SET_PERMS of @introduceDomain or @releaseDomain sets the special watch's ACL (no node, no event).",
            spec("SET_PERMS"), c("xenstored_domain.c", "set_perms_special"),
            probe("cxenstored-4.17.7-dom0-more.txt", "SET_PERMS @introduceDomain n0 r5", C)),
    ACLS_SET_SPECIAL_PERMS_STALE_ERRNO(Room.ACLS, "Permissions.setSpecialPermsStaleErrno",
            "C 4.17: a refused SET_PERMS of an @name answers whatever errno an earlier call left (EINVAL, ENOENT, EACCES or EEXIST).",
            c("xenstored_core.c", "do_set_perms"), probe("differential/rep2-cxenstored-7.trace", "G1@T2 setperms @other r0 w1 w2 r2", C),
            probe("live-update-cxenstored.txt", "stale errno of SET_PERMS on an unknown @ name after an update", C)),
    ACLS_SET_PERMS_UNKNOWN_SPECIAL(Room.ACLS, "Permissions.setPermsUnknownSpecial",
            "SET_PERMS of an @name other than @introduceDomain and @releaseDomain is EINVAL.",
            c("xenstored_domain.c", "set_perms_special"), probe("differential/rep-cxenstored-8.trace", "# cxenstored:", C)),
    SPECIAL_GET_PERMS(Room.ACLS, "SpecialNodes.getPerms",
            "C 4.20: GET_PERMS of @introduceDomain or @releaseDomain answers the special node's ACL.",
            c420("core.c", "do_get_perms"), probe("cxenstored-4.20.4-probes.txt", "versions/c-special-nodes.trace", C420)),
    SPECIAL_GET_PERMS_DENIED(Room.ACLS, "SpecialNodes.getPermsDenied",
            "C 4.20: GET_PERMS of a special node the caller may not read is EACCES.",
            c420("core.c", "get_node_chk_perm"), probe("cxenstored-4.20.4-probes.txt", "versions/c-special-nodes.trace", C420)),
    SPECIAL_SET_PERMS(Room.ACLS, "SpecialNodes.setPerms",
            "C 4.20: SET_PERMS of a special node sets its ACL and fires the watches on its name and on /.",
            c420("core.c", "do_set_perms"), probe("cxenstored-4.20.4-probes.txt", "versions/c-special-events-root.trace", C420)),
    SPECIAL_SET_PERMS_DENIED(Room.ACLS, "SpecialNodes.setPermsDenied",
            "C 4.20: SET_PERMS of a special node needs write permission and ownership: EACCES.",
            c420("core.c", "do_set_perms"), probe("cxenstored-4.20.4-probes.txt", "versions/c-special-nodes.trace", C420)),
    SPECIAL_SET_PERMS_IN_TRANSACTION(Room.ACLS, "SpecialNodes.setPermsInTransaction",
            "C 4.20: a special node's ACL set in a transaction is the transaction's until it commits.",
            c420("transaction.c", "finalize_transaction"),
            probe("cxenstored-4.20.4-probes.txt", "versions/c-special-setperms-in-transaction.trace", C420)),

    // ---- tree
    TREE_READ(Room.TREE, "TreeOps.read",
            "READ answers the node's value.",
            spec("READ"), c("xenstored_core.c", "do_read"), o("process.ml", "do_read"), q("xenstore_impl.c", "xs_impl_read")),
    TREE_WRITE_CREATES(Room.TREE, "TreeOps.writeCreates",
            "WRITE of a missing node creates it and its missing parents with empty values, firing watches on it.",
            spec("WRITE"), c("xenstored_core.c", "do_write"), o("process.ml", "create_implicit_path"),
            probe("qemu-xenstore-impl.txt", "WRITE /a/b/c = 'v' (no parents)", Q)),
    TREE_WRITE_EXISTING(Room.TREE, "TreeOps.writeExisting",
            "WRITE of an existing node replaces its value and fires watches, even for the same value.",
            spec("WRITE"), c("xenstored_core.c", "do_write"), o("store.ml", "Node.set_value")),
    TREE_IMPLICIT_PARENTS(Room.TREE, "TreeOps.implicitParents",
            "oxenstored creates a WRITE's missing parents first, one MKDIR each, so they stay when the WRITE itself is refused.",
            o("process.ml", "create_implicit_path"), probe("differential/rep-oxenstored-3.trace", "G2 write /tool", O)),
    TREE_MKDIR_ROOT(Room.TREE, "TreeOps.mkdirRoot",
            "oxenstored: MKDIR / answers OK before any check and counts as a transaction's write.",
            o("store.ml", "path_mkdir"), probe("differential/rep-oxenstored-6.trace", "G1 mkdir /", O)),
    TREE_MKDIR_EXISTING(Room.TREE, "TreeOps.mkdirExisting",
            "MKDIR of an existing node answers OK and changes nothing.",
            spec("MKDIR"), c("xenstored_core.c", "do_mkdir"), probe("cxenstored-4.17.7-dom0.txt", "MKDIR existing /g", C),
            probe("oxenstored-4.17.7-dom0.txt", "MKDIR existing /g", O), probe("qemu-xenstore-impl.txt", "MKDIR /a/b (exists, has value '')", Q)),
    TREE_MKDIR_CREATES(Room.TREE, "TreeOps.mkdirCreates",
            "MKDIR of a missing node creates it and its missing parents with empty values.",
            spec("MKDIR"), c("xenstored_core.c", "do_mkdir"), probe("qemu-xenstore-impl.txt", "MKDIR /m/n/o (new, no parents)", Q)),
    TREE_RM_ROOT(Room.TREE, "TreeOps.rmRoot",
            "RM / is EINVAL (C, QEMU); oxenstored removes the root's children instead.",
            c("xenstored_core.c", "do_rm"), probe("qemu-xenstore-impl.txt", "d0 RM /", Q)),
    TREE_RM_ROOT_REMOVES_CHILDREN(Room.TREE, "TreeOps.rmRootRemovesChildren",
            "oxenstored: RM / removes every child of the root and keeps the root.",
            o("store.ml", "path_rm"), probe("oxenstored-4.17.7-dom0.txt", "DIRECTORY / after", O)),
    TREE_RM_PARENT_MISSING_IN_VIEW(Room.TREE, "TreeOps.rmParentMissingInView",
            "C: an RM in a transaction whose view lacks the node's parent is EINVAL (rm_node reads the parent first).",
            c("xenstored_core.c", "rm_node"), probe("differential/rep2-cxenstored-9.trace", "B@T1 rm /local/domain/2", C)),
    TREE_RM_LISTED_CHILD_MISSING(Room.TREE, "TreeOps.rmListedChildMissing",
            "C: an RM in a transaction whose parent lists a child its view lacks is EIO, keeping what the walk deleted.",
            c("xenstored_core.c", "delnode_sub"), probe("cxenstored-4.17.7-tx-rm-eio.txt", "B@T1 rm /data/_f => EIO", C)),
    TREE_RM_CHILD_NOT_LISTED(Room.TREE, "TreeOps.rmChildNotListed",
            "C: an RM in a transaction of a node its parent's copy does not list is EIO, after deleting the subtree.",
            c("xenstored_core.c", "delete_child"), probe("cxenstored-4.17.7-tx-rm-eio.txt", "B@T1 rm /data/_f => EIO", C)),
    TREE_RM(Room.TREE, "TreeOps.rm",
            "RM removes the node and its whole subtree whatever their permissions, firing watches.",
            spec("RM"), c("xenstored_core.c", "do_rm"), o("process.ml", "do_rm"), probe("qemu-xenstore-impl.txt", "RM /m (subtree)", Q)),
    TREE_RM_MISSING_ENOENT(Room.TREE, "TreeOps.rmMissingEnoent",
            "QEMU: RM of a missing node is ENOENT even when its parent exists.",
            q("xenstore_impl.c", "xs_impl_rm"), probe("qemu-xenstore-impl.txt", "RM /a/nonexistent (parent exists)", Q)),
    TREE_RM_MISSING_PARENT_EXISTS(Room.TREE, "TreeOps.rmMissingParentExists",
            "RM of a missing node whose parent exists answers OK.",
            spec("RM"), probe("cxenstored-4.17.7-dom0.txt", "RM /d/missing (parent exists)", C),
            probe("oxenstored-4.17.7-dom0.txt", "RM /d/missing (parent exists)", O)),
    TREE_RM_MISSING_PARENT_MISSING(Room.TREE, "TreeOps.rmMissingParentMissing",
            "RM of a missing node whose parent is missing too is ENOENT.",
            spec("RM"), probe("cxenstored-4.17.7-dom0.txt", "RM /nope/missing (parent missing)", C),
            probe("oxenstored-4.17.7-dom0.txt", "RM /nope/missing (parent missing)", O)),
    TREE_REPLY_TOO_BIG(Room.TREE, "TreeOps.replyTooBig",
            "A DIRECTORY reply over 4096 bytes is E2BIG (XSA-72).",
            spec("The payload length (len field of the header) is limited to 4096"), c("xenstored_core.c", "send_reply")),
    TREE_DIRECTORY(Room.TREE, "TreeOps.directory",
            "DIRECTORY answers the children's names: in creation order (C), sorted (oxenstored, QEMU).",
            spec("DIRECTORY"), probe("cxenstored-4.17.7-dom0.txt", "DIRECTORY /d after creating b,a,c", C),
            probe("oxenstored-4.17.7-dom0.txt", "DIRECTORY /d after creating b,a,c", O), probe("qemu-xenstore-impl.txt", "DIRECTORY /dir ", Q)),
    TREE_DIRECTORY_PART_UNSUPPORTED(Room.TREE, "TreeOps.directoryPartUnsupported",
            "oxenstored 4.17 has no DIRECTORY_PART: ENOSYS.",
            new Evidence.Source("xen", "RELEASE-4.17.7", "tools/ocaml/libs/xb/op.ml", "of_cval", O), probe("oxenstored-4.17.7-dom0-more.txt", "DIRECTORY_PART /p 0", O)),
    TREE_DIRECTORY_PART(Room.TREE, "TreeOps.directoryPart",
            "DIRECTORY_PART answers the node's generation and the whole names that fit from the offset on.",
            spec("DIRECTORY_PART"), c("xenstored_core.c", "send_directory_part"),
            probe("cxenstored-4.17.7-dom0-more.txt", "DIRECTORY_PART /p 2", C), probe("qemu-xenstore-impl.txt", "DIRECTORY_PART /dir offset 5", Q)),
    TREE_GET_PERMS(Room.TREE, "TreeOps.getPerms",
            "GET_PERMS answers the node's ACL as stored, owner first.",
            spec("GET_PERMS"), c("xenstored_core.c", "do_get_perms"), probe("qemu-xenstore-impl.txt", "GET_PERMS /a ", Q)),
    TREE_SET_PERMS(Room.TREE, "TreeOps.setPerms",
            "SET_PERMS replaces the node's ACL and fires watches, checked against the old and new ACL (XSA-115).",
            spec("SET_PERMS"), c("xenstored_core.c", "do_set_perms"), o("process.ml", "do_setperms"),
            probe("qemu-xenstore-impl.txt", "d0 SET_PERMS /w/x n0", Q)),

    // ---- watches
    WATCHES_DUPLICATE(Room.WATCHES, "Watches.duplicate",
            "A second WATCH of the same path and token on one connection is EEXIST.",
            c("xenstored_watch.c", "do_watch"), probe("oxenstored-4.17.7-dom0.txt", "WATCH duplicate", O),
            probe("qemu-xenstore-impl.txt", "d0 WATCH /w tokA again", Q)),
    WATCHES_WATCH(Room.WATCHES, "Watches.watch",
            "WATCH registers the watch and fires one event at once, with the path as given, whether or not it exists.",
            spec("WATCH"), c("xenstored_watch.c", "do_watch"), probe("qemu-xenstore-impl.txt", "d0 WATCH /w tokA", Q)),
    WATCHES_UNWATCH_UNKNOWN(Room.WATCHES, "Watches.unwatchUnknown",
            "UNWATCH of a watch the connection does not hold (or, in C 4.17, of an invalid path) is ENOENT.",
            spec("UNWATCH"), c("xenstored_watch.c", "do_unwatch"), probe("oxenstored-4.17.7-dom0.txt", "UNWATCH unknown", O),
            probe("qemu-xenstore-impl.txt", "d0 UNWATCH /w tokZ (unknown)", Q), probe("qemu-unwatch-order.txt", "B unwatch /x tok => OK", Q)),
    WATCHES_UNWATCH_EMPTY_PATH(Room.WATCHES, "Watches.unwatchEmptyPath",
            "oxenstored: UNWATCH of the empty path is EINVAL.",
            o("connection.ml", "get_watch_path"), probe("differential/rep2-oxenstored-3.trace", "G2 unwatch \"\" t0", O)),
    WATCHES_UNWATCH(Room.WATCHES, "Watches.unwatch",
            "UNWATCH removes the watch (QEMU: the first on its path with that token, whichever connection set it).",
            spec("UNWATCH"), c("xenstored_watch.c", "do_unwatch"), q("xenstore_impl.c", "xs_impl_unwatch"),
            probe("qemu-xenstore-impl.txt", "d0 UNWATCH /cw T (d0 never watched it)", Q)),
    WATCHES_RESET(Room.WATCHES, "Watches.resetWatches",
            "RESET_WATCHES drops the connection's watches and (C, oxenstored) its transactions; QEMU drops its domain's watches.",
            spec("RESET_WATCHES"), c("xenstored_domain.c", "do_reset_watches"), q("xenstore_impl.c", "xs_impl_reset_watches"),
            probe("cxenstored-4.17.7-dom0-more.txt", "RESET_WATCHES, then READ in the tx", C),
            probe("oxenstored-4.17.7-dom0-more.txt", "RESET_WATCHES, then READ in the tx", O)),

    // ---- transactions
    TX_UNKNOWN_ID(Room.TRANSACTIONS, "Transactions.unknownId",
            "A request naming a transaction the connection does not have is ENOENT (oxenstored EIO).",
            c("xenstored_core.c", "process_message"), o("process.ml", "get_transaction"),
            probe("cxenstored-4.17.7-dom0.txt", "READ /d with unknown tx 99", C), probe("oxenstored-4.17.7-dom0.txt", "READ /d with unknown tx 99", O),
            probe("qemu-xenstore-impl.txt", "d0 READ in unknown tx 999", Q), probe("differential/rep7-oxenstored-2.trace", "B@T1 raw 20", O)),
    TX_NESTED(Room.TRANSACTIONS, "Transactions.nested",
            "TRANSACTION_START inside a transaction is EBUSY (QEMU EINVAL; an unknown id gives the unknown-id error).",
            c("xenstored_transaction.c", "do_transaction_start"), probe("cxenstored-4.17.7-dom0.txt", "TSTART -> 1; TSTART inside it", C),
            probe("oxenstored-4.17.7-dom0-more.txt", "TSTART with unknown tx_id 77", O),
            probe("qemu-xenstore-impl.txt", "d0 TRANSACTION_START with hdr tx!=0", Q)),
    TX_START(Room.TRANSACTIONS, "Transactions.start",
            "TRANSACTION_START opens a transaction and answers its id.",
            spec("TRANSACTION_START"), c("xenstored_transaction.c", "do_transaction_start"), probe("qemu-xenstore-impl.txt", "d0 TRANSACTION_START ", Q)),
    TX_END_UNKNOWN(Room.TRANSACTIONS, "Transactions.endUnknown",
            "TRANSACTION_END of no or an unknown transaction is ENOENT (oxenstored EIO for an unknown id).",
            c("xenstored_transaction.c", "do_transaction_end"), probe("cxenstored-4.17.7-dom0.txt", "TEND of ended tx", C),
            probe("oxenstored-4.17.7-dom0.txt", "TEND of ended tx", O), probe("cxenstored-4.17.7-dom0-more.txt", "TEND T with tx_id 0", C)),
    TX_ABORT(Room.TRANSACTIONS, "Transactions.abort",
            "TRANSACTION_END F discards the transaction.",
            spec("TRANSACTION_END"), probe("cxenstored-4.17.7-dom0.txt", "TEND F", C), probe("qemu-xenstore-impl.txt", "d0 tx4 END F", Q)),
    TX_COMMIT(Room.TRANSACTIONS, "Transactions.commit",
            "A transaction without conflict commits its changes at once, firing their watches.",
            spec("TRANSACTION_END"), c("xenstored_transaction.c", "finalize_transaction"), o("transaction.ml", "commit"),
            q("xenstore_impl.c", "xs_impl_transaction_end"), probe("qemu-xenstore-impl.txt", "d0 tx6 END T", Q)),
    TX_FAILED(Room.TRANSACTIONS, "Transactions.failedTransaction",
            "C: a transaction a node-size refusal marked failed answers ENOMEM at commit.",
            c("xenstored_core.c", "write_node"), probe("differential/rep7-cxenstored-8.trace", "# cxenstored: ENOMEM", C),
            probe("cxenstored-4.20.4-probes.txt", "versions/c-commit-enomem.trace", C420)),
    TX_CONFLICT_READ_NODE_CHANGED(Room.TRANSACTIONS, "Transactions.conflictReadNodeChanged",
            "C: a commit fails with EAGAIN when a node the transaction accessed (missing ones included) changed since.",
            c("xenstored_transaction.c", "finalize_transaction"), probe("cxenstored-4.17.7-dom0.txt", "tx: write /a=3, outside write /a=4, commit", C),
            probe("cxenstored-4.17.7-dom0-more.txt", "tx READ missing /nothere, outside creates it, tx writes /other", C)),
    TX_CONFLICT_ANY_COMMIT(Room.TRANSACTIONS, "Transactions.conflictAnyCommit",
            "QEMU: a commit fails with EAGAIN when anything was committed to the store since the transaction started.",
            q("xenstore_impl.c", "xs_impl_transaction_end"), probe("qemu-xenstore-impl.txt", "d0 tx2 END T (unrelated outside write)", Q)),
    TX_COMMIT_UNCHANGED(Room.TRANSACTIONS, "Transactions.commitUnchanged",
            "QEMU: a transaction that changed nothing commits, and still counts as a commit for older transactions.",
            q("xenstore_impl.c", "transaction_commit")),
    TX_COMMIT_READ_ONLY(Room.TRANSACTIONS, "Transactions.commitReadOnly",
            "oxenstored: a transaction without writes commits as an abort, whatever changed meanwhile.",
            o("process.ml", "do_transaction_end"), probe("oxenstored-4.17.7-dom0.txt", "tx read /c, outside write /c, commit (read-only)", O)),
    TX_COMMIT_COALESCED(Room.TRANSACTIONS, "Transactions.commitCoalesced",
            "oxenstored: when the subtrees the transaction read and wrote are untouched, its changes are grafted onto the store.",
            o("transaction.ml", "commit"), probe("oxenstored-4.17.7-dom0.txt", "tx: write /d/b, outside write /zz, commit", O)),
    TX_CONFLICT_UNREPLAYABLE(Room.TRANSACTIONS, "Transactions.conflictUnreplayable",
            "oxenstored: a transaction with an operation it cannot replay fails with EAGAIN when the store changed.",
            o("process.ml", "transaction_replay")),
    TX_COMMIT_REPLAYED_READ_ONLY(Room.TRANSACTIONS, "Transactions.commitReplayedReadOnly",
            "oxenstored: a replay whose writes change nothing commits without a new generation, firing the original ops' watches.",
            o("process.ml", "do_transaction_end")),
    TX_COMMIT_REPLAYED_WITH_DIRECTORY_PART(Room.TRANSACTIONS, "Transactions.commitReplayedWithDirectoryPart",
            "oxenstored: a replayed transaction that used DIRECTORY_PART (refused, ENOSYS) may commit or fail with EAGAIN.",
            o("process.ml", "transaction_replay"), probe("differential/rep6-oxenstored-5.trace", "B commit T1", O),
            probe("differential/rep7-oxenstored-3.trace", "B commit T1", O)),
    TX_CONFLICT_REPLAY_DIFFERS_UNREPLAYABLE(Room.TRANSACTIONS, "Transactions.conflictReplayDiffersUnreplayable",
            "oxenstored: a replay that differs and cannot be replayed fails with EAGAIN or EINVAL.",
            o("process.ml", "transaction_replay"), probe("differential/rep3-oxenstored-3.trace", "transaction:commit:EAGAIN/EINVAL", O)),
    TX_CONFLICT_REPLAY_DIFFERS(Room.TRANSACTIONS, "Transactions.conflictReplayDiffers",
            "oxenstored: a commit after a change fails with EAGAIN when replaying the transaction gives another reply.",
            o("process.ml", "transaction_replay"), probe("oxenstored-4.17.7-dom0.txt", "tx: read /a, outside write /a=2, write /b, commit", O)),
    TX_COMMIT_REPLAYED(Room.TRANSACTIONS, "Transactions.commitReplayed",
            "oxenstored: a commit after a change replays the transaction and commits when every reply is the same.",
            o("process.ml", "transaction_replay"), probe("oxenstored-4.17.7-dom0.txt", "tx: write /a=3, outside write /a=4, commit", O)),
    TX_CONFLICT_MAY_FAIL(Room.TRANSACTIONS, "Transactions.conflictMayFail",
            "The spec: after another change a commit may fail with EAGAIN; it must when replaying differs.",
            spec("TRANSACTION_END")),

    // ---- domains
    DOMAINS_NOT_SUPPORTED(Room.DOMAINS, "Domains.notSupported",
            "QEMU answers INTRODUCE, RELEASE, IS_DOMAIN_INTRODUCED, RESUME, SET_TARGET and CONTROL with EACCES.",
            q("xen_xenstore.c", "xsd_reqs"), probe("qemu-xenstore-impl.txt", "d0 INTRODUCE", Q)),
    DOMAINS_PRIVILEGED_ONLY(Room.DOMAINS, "Domains.privilegedOnly",
            "Domain and control requests from an unprivileged connection are EACCES.",
            c("xenstored_core.c", "process_message"), o("process.ml", "process_packet"),
            probe("cxenstored-4.17.7-domU.txt", "domU IS_DOMAIN_INTRODUCED 2", C)),
    DOMAINS_INTRODUCE_BAD_PORT(Room.DOMAINS, "Domains.introduceBadPort",
            "C: INTRODUCE with event-channel port 0 is EINVAL.",
            c("xenstored_domain.c", "do_introduce")),
    DOMAINS_INTRODUCE_CONFLICTING(Room.DOMAINS, "Domains.introduceConflicting",
            "oxenstored: INTRODUCE of a known domain with another ring is EINVAL.",
            o("process.ml", "do_introduce")),
    DOMAINS_INTRODUCE_AGAIN(Room.DOMAINS, "Domains.introduceAgain",
            "INTRODUCE of a known domain rebinds it without @introduceDomain (C also resets its connection).",
            c("xenstored_domain.c", "do_introduce"), o("process.ml", "do_introduce")),
    DOMAINS_INTRODUCE(Room.DOMAINS, "Domains.introduce",
            "INTRODUCE of a new domain adds it and fires @introduceDomain.",
            spec("INTRODUCE"), c("xenstored_domain.c", "do_introduce"),
            probe("cxenstored-4.17.7-domU.txt", "domU WATCH @introduceDomain, dom0 INTRODUCE 5: events", C)),
    DOMAINS_RELEASE_DOM0(Room.DOMAINS, "Domains.releaseDom0",
            "C: RELEASE 0 is EINVAL.",
            c("xenstored_domain.c", "do_release"), probe("cxenstored-4.17.7-dom0-more.txt", "RELEASE 0", C)),
    DOMAINS_RELEASE_UNKNOWN_RESETS(Room.DOMAINS, "Domains.releaseUnknownResets",
            "oxenstored: RELEASE of a domain that is not introduced removes its nodes and ACL entries, then answers EINVAL (ENOENT for 0).",
            o("process.ml", "do_release"), probe("oxenstored-4.17.7-dom0-more.txt", "RELEASE 7 (never introduced)", O),
            probe("oxenstored-4.17.7-dom0-more.txt", "RELEASE 0", O)),
    DOMAINS_RELEASE_UNKNOWN(Room.DOMAINS, "Domains.releaseUnknown",
            "C: RELEASE of a domain that is not introduced is ENOENT and changes nothing.",
            c("xenstored_domain.c", "do_release"), probe("cxenstored-4.17.7-dom0-more.txt", "RELEASE 7 (never introduced)", C)),
    DOMAINS_RELEASE(Room.DOMAINS, "Domains.release",
            "RELEASE of an introduced domain forgets it, removes what it owns as its death does, and fires @releaseDomain.",
            spec("RELEASE"), c("xenstored_domain.c", "do_release"), probe("cxenstored-4.17.7-dom0-more.txt", "RELEASE 9", C)),
    DOMAINS_DEATH(Room.DOMAINS, "Domains.death",
            "When introduced domains die, they are released with @releaseDomain (oxenstored: one event per scan).",
            c("xenstored_domain.c", "check_domains"), o("xenstored.ml", "process_special_fds"),
            probe("oxenstored-4.17.7-release-once.txt", "A kill 2 => OK", O),
            probe("differential/rep-oxenstored-4.20-release-once.trace", "A kill 1", O420)),
    DOMAINS_DEATH_OF_UNKNOWN_DOMAIN(Room.DOMAINS, "Domains.deathOfUnknownDomain",
            "The death of a domain that was not introduced changes nothing.",
            c("xenstored_domain.c", "check_domains"), o("xenstored.ml", "process_special_fds")),
    DOMAINS_IS_INTRODUCED(Room.DOMAINS, "Domains.isIntroduced",
            "IS_DOMAIN_INTRODUCED answers T for an introduced domain and for dom0 (and C's DOMID_SELF), else F.",
            spec("IS_DOMAIN_INTRODUCED"), probe("cxenstored-4.17.7-dom0-more.txt", "IS_DOMAIN_INTRODUCED 0", C),
            probe("oxenstored-4.17.7-dom0-more.txt", "IS_DOMAIN_INTRODUCED 9", O)),
    DOMAINS_GET_DOMAIN_PATH_UNSUPPORTED(Room.DOMAINS, "Domains.getDomainPathUnsupported",
            "QEMU has no GET_DOMAIN_PATH: ENOSYS.",
            q("xen_xenstore.c", "xsd_reqs")),
    DOMAINS_GET_DOMAIN_PATH(Room.DOMAINS, "Domains.getDomainPath",
            "GET_DOMAIN_PATH answers /local/domain/<domid>, introduced or not.",
            spec("GET_DOMAIN_PATH"), probe("cxenstored-4.17.7-dom0.txt", "GET_DOMAIN_PATH 5", C),
            probe("oxenstored-4.17.7-dom0.txt", "GET_DOMAIN_PATH 5", O)),
    DOMAINS_RESUME_DOM0(Room.DOMAINS, "Domains.resumeDom0",
            "RESUME 0 is EINVAL in C, OK in oxenstored.",
            probe("cxenstored-4.17.7-dom0-more.txt", "RESUME 0", C), probe("oxenstored-4.17.7-dom0-more.txt", "RESUME 0", O)),
    DOMAINS_RESUME_UNKNOWN(Room.DOMAINS, "Domains.resumeUnknown",
            "RESUME of a domain that is not introduced is ENOENT (oxenstored EINVAL).",
            c("xenstored_domain.c", "do_resume"), probe("cxenstored-4.17.7-dom0-more.txt", "RESUME 9", C),
            probe("oxenstored-4.17.7-dom0-more.txt", "RESUME 9", O)),
    DOMAINS_RESUME(Room.DOMAINS, "Domains.resume",
            "RESUME clears an introduced domain's shut-down flag.",
            spec("RESUME"), c("xenstored_domain.c", "do_resume")),
    DOMAINS_SET_TARGET_UNKNOWN_DOMAIN(Room.DOMAINS, "Domains.setTargetUnknownDomain",
            "SET_TARGET of a domain that is not introduced is ENOENT.",
            c("xenstored_domain.c", "do_set_target"), probe("cxenstored-4.17.7-dom0-more.txt", "SET_TARGET 9 0", C),
            probe("oxenstored-4.17.7-dom0-more.txt", "SET_TARGET 9 0", O)),
    DOMAINS_SET_TARGET_UNKNOWN_TARGET(Room.DOMAINS, "Domains.setTargetUnknownTarget",
            "C: SET_TARGET to a target that is not introduced is ENOENT.",
            c("xenstored_domain.c", "do_set_target")),
    DOMAINS_SET_TARGET(Room.DOMAINS, "Domains.setTarget",
            "SET_TARGET lets the domain act with its target's rights.",
            spec("SET_TARGET"), c("xenstored_domain.c", "do_set_target"), o("process.ml", "do_set_target")),

    // ---- quotas
    QUOTAS_NODE_SIZE(Room.QUOTAS, "Quotas.nodeSize",
            "A node over the size limit is refused (C ENOSPC on the whole record for guests; oxenstored E2BIG on the value, dom0 too; QEMU E2BIG).",
            c("xenstored_core.c", "write_node"), o("quota.ml", "check"), probe("cxenstored-4.17.7-domU.txt", "domU WRITE 2000-byte value to x", C),
            probe("oxenstored-4.17.7-dom0.txt", "WRITE /big 2049 bytes", O), probe("qemu-xenstore-impl.txt", "g1 WRITE data/big 2049 bytes", Q)),
    QUOTAS_NODE_SIZE_OF_PARENT(Room.QUOTAS, "Quotas.nodeSizeOfParent",
            "C: creating a child rewrites its parent's record, which can pass the size limit itself: ENOSPC.",
            c("xenstored_core.c", "create_node"), probe("differential/rep4-cxenstored-3.trace", "G2 write /tool/a/e-1 v73", C)),
    QUOTAS_ENTRIES(Room.QUOTAS, "Quotas.entries",
            "A domain may hold at most 1000 nodes (QEMU: the whole store): ENOSPC (oxenstored EQUOTA).",
            c("xenstored_domain.c", "domain_entry"), o("quota.ml", "check"), q("xenstore_impl.c", "xs_node_create")),
    QUOTAS_PERMS_PER_NODE(Room.QUOTAS, "Quotas.permsPerNode",
            "An unprivileged SET_PERMS may give at most 5 entries (C, QEMU): ENOSPC.",
            c("xenstored_core.c", "do_set_perms"), probe("cxenstored-4.17.7-domU.txt", "domU SET_PERMS x n2 r1 r3 r4 r5 r6 (6 entries)", C),
            q("xenstore_impl.c", "xs_impl_set_perms")),
    QUOTAS_WATCHES(Room.QUOTAS, "Quotas.watches",
            "An unprivileged connection may hold a limited number of watches: E2BIG (oxenstored EQUOTA).",
            c("xenstored_watch.c", "do_watch"), o("connection.ml", "add_watch")),
    QUOTAS_TRANSACTIONS(Room.QUOTAS, "Quotas.transactions",
            "An unprivileged connection may hold a limited number of open transactions: ENOSPC (oxenstored EQUOTA).",
            c("xenstored_transaction.c", "do_transaction_start"), o("connection.ml", "start_transaction"),
            probe("qemu-xenstore-impl.txt", "g1 12x TRANSACTION_START", Q)),

    // ---- restarts
    RESTARTS_QUIET(Room.RESTARTS, "Restarts.quiet",
            "A live update with nothing in the way changes nothing a client can see.",
            c("xenstored_control.c", "do_control_lu"), probe("live-update-cxenstored.txt", "quiet update", C),
            probe("live-update-oxenstored.txt", "quiet update", O)),
    RESTARTS_NO_LIVE_UPDATE(Room.RESTARTS, "Restarts.noLiveUpdate",
            "Where there is no live update, the request is refused as an unknown CONTROL command (EINVAL).",
            spec("CONTROL")),
    RESTARTS_BUSY_WHILE_TRANSACTIONS(Room.RESTARTS, "Restarts.busyWhileTransactions",
            "oxenstored: live update answers BUSY while any transaction is open, forced or not.",
            o("process.ml", "LiveUpdate"), probe("live-update-oxenstored.txt", "open transaction", O)),
    RESTARTS_BUSY_WHILE_TARGETS(Room.RESTARTS, "Restarts.busyWhileTargets",
            "oxenstored: live update answers BUSY while a domain has a target.",
            probe("live-update-oxenstored.txt", "set target", O)),
    RESTARTS_FORCED_DROPS_TRANSACTIONS(Room.RESTARTS, "Restarts.forcedDropsTransactions",
            "C: a forced live update goes ahead and drops every open transaction.",
            c("xenstored_control.c", "lu_check_lu_allowed"), probe("live-update-cxenstored.txt", "open transaction", C)),
    RESTARTS_REFUSED_WHILE_TRANSACTIONS(Room.RESTARTS, "Restarts.refusedWhileTransactions",
            "C: an unforced live update with open transactions is refused with one line per connection holding one.",
            c("xenstored_control.c", "lu_reject_reason"), probe("live-update-cxenstored.txt", "open transaction", C)),
    RESTARTS_NO_MIGRATION(Room.RESTARTS, "Restarts.noMigration",
            "Migration is only QEMU's, for dom0: EINVAL elsewhere.",
            q("xenstore_impl.c", "xs_impl_serialize")),
    RESTARTS_MIGRATED(Room.RESTARTS, "Restarts.migrated",
            "QEMU: a migration keeps the tree, transactions and watches.",
            q("xenstore_impl.c", "xs_impl_deserialize")),

    // ---- requests
    REQUESTS_UNKNOWN_TYPE(Room.REQUESTS, "Raws.unknownType",
            "A request type a client may not send is ENOSYS.",
            c("xenstored_core.c", "process_message"), probe("qemu-xenstore-impl.txt", "d0 unknown type (WATCH_EVENT)", Q)),
    REQUESTS_MALFORMED_PAYLOAD(Room.REQUESTS, "Raws.malformedPayload",
            "A payload that does not parse as the request's strings is EINVAL.",
            c("xenstored_core.c", "onearg"), probe("qemu-xenstore-impl.txt", "READ without NUL terminator", Q)),
    REQUESTS_C_STALE_ERRNO(Room.REQUESTS, "Raws.cStaleErrno",
            "C 4.17: a single-path request that is not exactly one string answers whatever errno an earlier call left.",
            c("xenstored_core.c", "onearg"), probe("differential/rep-cxenstored-4.trace", "G2 raw 2", C),
            probe("live-update-cxenstored.txt", "malformed request after a refused update", C)),
    CONTROL_UNKNOWN_COMMAND(Room.REQUESTS, "Control.unknownCommand",
            "An unknown CONTROL command is EINVAL in C, OK in oxenstored.",
            spec("CONTROL"), c("xenstored_control.c", "do_control"), o("process.ml", "do_debug"));

    private final Room room;
    private final String id;
    private final String statement;
    private final ImmutableList<Evidence> evidence;

    Rule(Room room, String id, String statement, Evidence... evidence) {
        this.room = room;
        this.id = id;
        this.statement = statement;
        this.evidence = ImmutableList.copyOf(evidence);
    }

    public Room room() {
        return room;
    }

    /** The stable name signatures and baselines use, "Room.rule". */
    public String id() {
        return id;
    }

    public String statement() {
        return statement;
    }

    public ImmutableList<Evidence> evidence() {
        return evidence;
    }

    /** The evidence that speaks for one dialect (a dialect name of {@link Dialect#names()}). */
    public ImmutableList<Evidence> evidenceFor(String dialect) {
        return evidence.stream().filter(e -> e.dialects().contains(dialect)).collect(ImmutableList.toImmutableList());
    }

    private static final ImmutableMap<String, Rule> BY_ID = Arrays.stream(values())
            .collect(ImmutableMap.toImmutableMap(Rule::id, r -> r));

    /** The rule with this id, if there is one (reports and traces name rules by id). */
    public static Optional<Rule> withId(String id) {
        return Optional.ofNullable(BY_ID.get(id));
    }

    /** The dialects any evidence speaks for. */
    public ImmutableSet<String> dialectsWithEvidence() {
        return evidence.stream().flatMap(e -> e.dialects().stream()).collect(ImmutableSet.toImmutableSet());
    }

    @Override
    public String toString() {
        return id;
    }
}
