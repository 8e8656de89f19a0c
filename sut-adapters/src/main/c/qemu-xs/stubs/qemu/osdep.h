/*
 * xscheck's stand-in for QEMU's qemu/osdep.h: just enough of QEMU's environment to compile
 * hw/i386/kvm/xenstore_impl.c (and QEMU's tests/unit/test-xs-node.c) outside the QEMU tree.
 * The implementation calls glib and libc only; this header supplies those plus the few names
 * QEMU's headers mention.
 */
#ifndef XSCHECK_STUB_QEMU_OSDEP_H
#define XSCHECK_STUB_QEMU_OSDEP_H

#include <arpa/inet.h> /* htonl/ntohl: the implementation's (de)serialiser */
#include <assert.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

/* qemu/typedefs.h names this opaque type in xen_backend_ops.h prototypes. */
typedef struct Error Error;

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#endif

/* Barriers named by ring macros in xen_backend_ops.h; nothing we compile expands them. */
#define smp_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define smp_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define smp_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

/*
 * Mark Xen's core public header (hw/xen/interface/xen.h) as already included, the way QEMU's
 * own test-xs-node.c does: its per-architecture parts are not needed, and this keeps the build
 * independent of the host architecture. xen_backend_ops.h only needs xen_pfn_t from it.
 */
#define __XEN_PUBLIC_XEN_H__
typedef unsigned long xen_pfn_t;

#endif
