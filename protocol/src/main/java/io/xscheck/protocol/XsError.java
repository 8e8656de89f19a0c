package io.xscheck.protocol;

/**
 * The error names a daemon may put in an ERROR reply. The first sixteen are {@code xsd_errors[]}
 * of xs_wire.h in table order; EQUOTA is oxenstored's own (tools/ocaml/xenstored/process.ml),
 * absent from the table.
 */
public enum XsError {
    EINVAL, EACCES, EEXIST, EISDIR, ENOENT, ENOMEM, ENOSPC, EIO, ENOTEMPTY, ENOSYS,
    EROFS, EBUSY, EAGAIN, EISCONN, E2BIG, EPERM,
    /** oxenstored only: quota exceeded (C and QEMU say ENOSPC or E2BIG). */
    EQUOTA
}
