package io.xscheck.model;

import static io.xscheck.model.TreeKnobs.DirectoryOrder.CREATION;
import static io.xscheck.model.TreeKnobs.DirectoryOrder.SORTED;
import static io.xscheck.model.TreeKnobs.RmOfMissingNode.ENOENT;
import static io.xscheck.model.TreeKnobs.RmOfMissingNode.OK_IF_PARENT_EXISTS;
import static io.xscheck.model.TreeKnobs.RmOfRoot.EINVAL;
import static io.xscheck.model.TreeKnobs.RmOfRoot.REMOVES_CHILDREN;

/**
 * Tree: reading, writing, creating and removing nodes. One row per dialect in {@link #of}; each
 * component names the behaviour it selects and cites its evidence.
 *
 * @param directoryOrder Order of DIRECTORY names (probes {c,o}xenstored-4.17.7-dom0.txt
 *     "DIRECTORY /d after creating b,a,c").
 * @param rmOfMissingNode RM of a missing node (probes {c,o}xenstored-4.17.7-dom0.txt "RM /nope/missing (parent missing)": oxenstored is ENOENT when the
 *     parent is missing too).
 * @param rmOfRoot RM of "/" by dom0 (probes oxenstored-4.17.7-dom0.txt "RM /", qemu-xenstore-impl.txt "d0 RM /").
 * @param mkdirOfRootUnchecked oxenstored's MKDIR / returns before any check (store.ml path_mkdir: path = [] ->
 *     root; probe differential/rep-oxenstored-6.trace: guest MKDIR / -> OK) while MKDIR of any other existing node
 *     needs write (probe differential/rep2-oxenstored-5.trace: guest MKDIR @releaseDomain -> EACCES).
 * @param mkdirOfExistingNodeNeedsRead QEMU implements MKDIR as READ then WRITE if ENOENT (xen_xenstore.c), so an
 *     existing node needs read permission.
 * @param mkdirOfExistingNodeNeedsWrite MKDIR of an existing node still needs write permission on it (C do_mkdir
 *     get_node XS_PERM_WRITE; oxenstored store.ml path_mkdir check_perm before Already_exist, probe
 *     differential/rep2-oxenstored-5.trace: guest MKDIR @releaseDomain -> EACCES); QEMU reads instead.
 * @param writeCreatesParentsFirst oxenstored creates the missing parents (create_implicit_path) before it checks
 *     the value size and the entry quota of the node itself, so those parents stay when the write then fails; and
 *     for the node itself the size is checked before the permission (store.ml write: Quota.check before path_write).
 *     Probe differential/rep-oxenstored-3.trace: G2 WRITE /tool with a long value -> E2BIG (not EACCES); a too-big
 *     WRITE left /local/domain/2 behind.
 * @param sameValueWriteKeepsNode A WRITE of the node's own value keeps the node as it was, generation included
 *     (oxenstored set_value). store.ml Node.set_value: "if node.value = nvalue then node": a WRITE of the value a
 *     node has keeps the node itself, which a later transaction's coalescing check compares physically (probe
 *     oxenstored-4.17.7-tx-rm-created.txt, third trace).
 * @param directoryPartSupported oxenstored 4.17 has no DIRECTORY_PART (libs/xb/op.ml): ENOSYS.
 * @param directoryPartClipsNames A DIRECTORY_PART chunk that reaches the payload limit ends inside a name: QEMU
 *     clips each entry to the room left, before it skips by the offset (hw/i386/kvm/xen_xenstore.c
 *     xs_append_strings with truncate; gate seed 63004, pinned trace directorypart-clipped-qemu.trace); C ends the
 *     chunk after the last whole name that fits.
 */
public record TreeKnobs(
        DirectoryOrder directoryOrder,
        RmOfMissingNode rmOfMissingNode,
        RmOfRoot rmOfRoot,
        boolean mkdirOfRootUnchecked,
        boolean mkdirOfExistingNodeNeedsRead,
        boolean mkdirOfExistingNodeNeedsWrite,
        boolean writeCreatesParentsFirst,
        boolean sameValueWriteKeepsNode,
        boolean directoryPartSupported,
        boolean directoryPartClipsNames) {

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

    /** The row of one dialect (a name of {@link Dialect#names()}). */
    static TreeKnobs of(String dialect) {
        return switch (dialect) {
            //                                            order     rm missing           rm /              mkdir / free mkdir r mkdir w parents 1st same keeps dir part clips
            case Dialect.SPEC ->            new TreeKnobs(SORTED,    OK_IF_PARENT_EXISTS,  EINVAL,            false,        false,   true,    false,       false,      true,    false);
            case Dialect.CXENSTORED ->      new TreeKnobs(CREATION,  OK_IF_PARENT_EXISTS,  EINVAL,            false,        false,   true,    false,       false,      true,    false);
            case Dialect.OXENSTORED ->      new TreeKnobs(SORTED,    OK_IF_PARENT_EXISTS,  REMOVES_CHILDREN,  true,         false,   true,    true,        true,       false,   false);
            case Dialect.QEMU ->            new TreeKnobs(SORTED,    ENOENT,               EINVAL,            false,        true,    false,   false,       false,      true,    true);
            case Dialect.CXENSTORED_420 ->  new TreeKnobs(CREATION,  OK_IF_PARENT_EXISTS,  EINVAL,            false,        false,   true,    false,       false,      true,    false);
            case Dialect.OXENSTORED_420 ->  new TreeKnobs(SORTED,    OK_IF_PARENT_EXISTS,  REMOVES_CHILDREN,  true,         false,   true,    true,        true,       false,   false);
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
