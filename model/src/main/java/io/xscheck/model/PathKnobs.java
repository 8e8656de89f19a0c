package io.xscheck.model;

import static io.xscheck.model.PathKnobs.PathLengthRule.ABSOLUTE_AND_RELATIVE;
import static io.xscheck.model.PathKnobs.PathLengthRule.AFTER_DOMAIN_PREFIX;
import static io.xscheck.protocol.XsError.E2BIG;
import static io.xscheck.protocol.XsError.EINVAL;

import io.xscheck.protocol.XsError;

/**
 * Paths: what a path may be and how long. One row per dialect in {@link #of}; each
 * component names the behaviour it selects and cites its evidence.
 *
 * @param trailingSlashIgnored QEMU accepts "/a/" as "/a" (validate_path looks at path[len]; probe qemu-xenstore-
 *     impl.txt "WRITE '/a/'"); C and oxenstored say EINVAL.
 * @param pathLengthRule Which part of a path the length limit measures (each constant cites its source).
 * @param pathLengthLimit C quota_max_path_len 2048 (-M); oxenstored quota-path-max 1024 (shipped
 *     oxenstored.conf); QEMU 3072 absolute.
 * @param relativePathLimit QEMU: 2048 for relative paths; the others use {@link #pathLengthLimit()}.
 * @param pathTooLongError C and oxenstored EINVAL; QEMU E2BIG (probe qemu-xenstore-impl.txt "3073 gives E2BIG").
 * @param privilegedPathLengthUnlimited C 4.18+: the path length limit binds unprivileged connections only
 *     (canonicalize calls domain_max_chk(conn, ACC_PATHLEN, ...), which never refuses a privileged one): dom0 paths
 *     of any length the frame can carry are accepted. False: the limit binds everyone. core.c canonicalize:
 *     domain_max_chk(conn, ACC_PATHLEN, ...) refuses only unprivileged connections (domain.c domain_max_chk;
 *     564a093c20); probe versions/c-dom0-long-path.trace: 2160 characters -> OK.
 * @param watchPathLengthUnchecked oxenstored checks a watch path's syntax but not its length (connections.ml
 *     add_watch key_of_str; probe differential/rep-oxenstored-8.trace: WATCH of a 2049-byte path -> OK).
 * @param specialPathsAreNodes oxenstored reads "@name" as the root child "/@name" (store.ml Path.of_string); C
 *     and QEMU say EINVAL outside watches.
 * @param specialWatchesSupported "@introduceDomain"/"@releaseDomain" watches exist (C, oxenstored); QEMU rejects
 *     '@' (QEMU hw/i386/kvm/xen_xenstore.c).
 */
public record PathKnobs(
        boolean trailingSlashIgnored,
        PathLengthRule pathLengthRule,
        int pathLengthLimit,
        int relativePathLimit,
        XsError pathTooLongError,
        boolean privilegedPathLengthUnlimited,
        boolean watchPathLengthUnchecked,
        boolean specialPathsAreNodes,
        boolean specialWatchesSupported) {

    /** Which paths the length limit measures. */
    public enum PathLengthRule {
        /** The part after /local/domain/N/ of the canonical path, else the whole path (C is_valid_nodename, oxenstored utils.ml path_validate). */
        AFTER_DOMAIN_PREFIX,
        /** Absolute paths against {@code pathLengthLimit}, relative ones against {@code relativePathLimit} before resolution (QEMU validate_path). */
        ABSOLUTE_AND_RELATIVE
    }

    /** The row of one dialect (a name of {@link Dialect#names()}). */
    static PathKnobs of(String dialect) {
        return switch (dialect) {
            //                                            /a/ ok measured               limit rel.  too long dom0 unl. watch unl. @x node @ watches
            case Dialect.SPEC ->            new PathKnobs(false,  ABSOLUTE_AND_RELATIVE,  3072,  2048,  EINVAL,   false,     false,      false,   true);
            case Dialect.CXENSTORED ->      new PathKnobs(false,  AFTER_DOMAIN_PREFIX,    2048,  2048,  EINVAL,   false,     false,      false,   true);
            case Dialect.OXENSTORED ->      new PathKnobs(false,  AFTER_DOMAIN_PREFIX,    1024,  1024,  EINVAL,   false,     true,       true,    true);
            case Dialect.QEMU ->            new PathKnobs(true,   ABSOLUTE_AND_RELATIVE,  3072,  2048,  E2BIG,    false,     false,      false,   false);
            case Dialect.CXENSTORED_420 ->  new PathKnobs(false,  AFTER_DOMAIN_PREFIX,    2048,  2048,  EINVAL,   true,      false,      false,   true);
            case Dialect.OXENSTORED_420 ->  new PathKnobs(false,  AFTER_DOMAIN_PREFIX,    1024,  1024,  EINVAL,   false,     true,       true,    true);
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
