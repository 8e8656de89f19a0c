/*
 * fakexen: an LD_PRELOAD library that lets the unmodified Xen 4.17 xenstore daemons (C xenstored
 * and oxenstored) run on a Linux host without a hypervisor. It stands in for the parts of
 * libxenctrl, libxengnttab and libxenevtchn the daemons call, and moves every file they touch
 * into one private state directory, FAKEXEN_DIR.
 *
 * The state directory is the whole interface with the harness (io.xscheck.sut.fakexen):
 *   ring-<domid>  4096-byte struct xenstore_domain_interface of the domain (ring-0 is dom0's page)
 *   dom-<domid>   the domain's state as text: running | paused | blocked | shutdown [code] |
 *                 crashed | dying | dead (no file: the domain exists iff its ring file does)
 *   kick.fifo     harness -> daemon, u32 LE records: a domid ("that guest signalled its event
 *                 channel") or 0xFFFFFFFF (VIRQ_DOM_EXC: rescan the domains)
 *   notify.fifo   daemon -> harness, u32 LE domid records, one per event sent to that guest
 *   xsd_port      dom0's event channel as decimal text, no newline
 *   denied.log    every write the shim refused because it pointed outside the directory, one
 *                 line each (the path escaped and cut to 1 KB)
 *   syslog.log    what the daemon sent to syslog(3), one message per line
 */
#ifndef FAKEXEN_H
#define FAKEXEN_H

#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdint.h>
#include <sys/types.h>

#define FX_RING_SIZE 4096
#define FX_VIRQ_RECORD 0xFFFFFFFFu

/* The real libc function `name`, looked up once (the interposers below shadow it). */
#define FX_REAL(name) \
    static __typeof__(&name) real_##name; \
    if (!real_##name) real_##name = (__typeof__(&name))dlsym(RTLD_NEXT, #name)

/* state.c: the private directory and the path policy */
const char *fx_dir(void);
void fx_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Where a path the daemon names really lives: a redirected path inside the state directory, the
 * path itself when it may be used as is, or NULL (errno set) when it must not be touched at all.
 * `writing` says whether the caller would create, change or remove something there.
 * The result may point into a thread-local buffer that the next two calls reuse.
 */
const char *fx_path(const char *path, int writing);

/*
 * fx_path() for a path relative to a directory descriptor (the *at calls): a relative path with a
 * dirfd other than AT_FDCWD is joined to the descriptor's path (/proc/self/fd), an empty one is
 * the descriptor's own path. Writes the path to use with AT_FDCWD into `out` (PATH_MAX bytes) and
 * returns 0, or returns -1 with errno set (ENAMETOOLONG when it does not fit, never truncated).
 */
int fx_path_at(int dirfd, const char *path, int writing, char *out);

/* pathmap.c: where a read of `path` goes under FAKEXEN_MAP, or NULL when no entry maps it. */
const char *fx_mapped(const char *path);

/* Creates the file (mode 0666) if missing, with `content` if new, and at least `size` bytes. */
void fx_ensure_file(const char *path, const char *content, off_t size);

/* domains.c: fake domains backed by dom-N and ring-N files */
void *fx_map_ring(uint32_t domid);

#endif
