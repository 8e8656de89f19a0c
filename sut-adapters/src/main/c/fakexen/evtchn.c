/*
 * libxenevtchn over two FIFOs in the state directory. The daemon waits on kick.fifo (its event
 * channel fd); the harness writes a guest's domid there after publishing requests, or
 * 0xFFFFFFFF to raise VIRQ_DOM_EXC. Every notification the daemon sends to a guest becomes a
 * domid record on notify.fifo. Port numbers live in this process and, so that they survive a
 * live update's exec(), in the state directory's port file (portfile.h).
 */
#include "fakexen.h"
#include "portfile.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenctrl.h> /* first: it defines what the other Xen headers assume */
#include <xenevtchn.h>

#define PORT_COUNT 4096

enum binding { UNUSED, INTERDOMAIN, VIRQ, UNBOUND };

struct port {
    enum binding binding;
    uint32_t domid;
    uint64_t bound_at; /* order of binding: the newest binding of a domain is the one in use */
};

struct fake_evtchn {
    int kick_fd;   /* read end of kick.fifo, opened O_RDWR: never blocks, never sees EOF */
    int notify_fd; /* write end of notify.fifo, opened O_RDWR: never blocks in open() */
    evtchn_port_t dom_exc_port;
    uint64_t binds; /* bindings made so far, for struct port's bound_at */
    struct port ports[PORT_COUNT];
};

static int open_fifo(const char *name, int cloexec)
{
    FX_REAL(open);
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof(path), "%s/%s", fx_dir(), name);
    if (mkfifo(path, 0666) == 0)
        chmod(path, 0666); /* regardless of umask: the harness may be another user */
    else if (errno != EEXIST)
        return -1;
    if (stat(path, &st) != 0)
        return -1;
    if (!S_ISFIFO(st.st_mode)) {
        errno = EINVAL;
        return -1;
    }
    return real_open(path, O_RDWR | O_NONBLOCK | (cloexec ? O_CLOEXEC : 0));
}

static const char *const binding_names[] = { "unused", "interdomain", "virq", "unbound" };

/* Writes the whole table to the port file (after every bind and unbind). */
static void persist(const struct fake_evtchn *h)
{
    FILE *table = fx_ports_begin(h->dom_exc_port);
    if (!table)
        return;
    for (evtchn_port_t p = 1; p < PORT_COUNT; p++)
        if (h->ports[p].binding != UNUSED)
            fx_ports_put(table, p, binding_names[h->ports[p].binding], h->ports[p].domid);
    fx_ports_commit(table);
}

static void restore_port(void *ctx, uint32_t port, const char *kind, uint32_t domid)
{
    struct fake_evtchn *h = ctx;
    for (int b = INTERDOMAIN; b <= UNBOUND; b++) {
        if (port > 0 && port < PORT_COUNT && strcmp(kind, binding_names[b]) == 0) {
            h->ports[port].binding = (enum binding)b;
            h->ports[port].domid = domid;
            h->ports[port].bound_at = ++h->binds; /* the table lists ports in port order */
        }
    }
}

static xenevtchn_handle *new_handle(int kick_fd, int cloexec)
{
    struct fake_evtchn *h = calloc(1, sizeof(*h));
    if (!h)
        return NULL;
    h->kick_fd = kick_fd >= 0 ? kick_fd : open_fifo("kick.fifo", cloexec);
    h->notify_fd = open_fifo("notify.fifo", 1);
    if (h->kick_fd < 0 || h->notify_fd < 0) {
        int e = errno;
        fx_log("cannot open the event-channel FIFOs in %s: %s", fx_dir(), strerror(e));
        free(h);
        errno = e;
        return NULL;
    }
    return (xenevtchn_handle *)h;
}

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int flags)
{
    (void)logger;
    return new_handle(-1, !(flags & XENEVTCHN_NO_CLOEXEC));
}

/* Live update re-opens the fd it kept across exec, with the bindings it had: from the port file. */
xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fd, unsigned open_flags)
{
    (void)logger;
    (void)open_flags;
    struct fake_evtchn *h = (struct fake_evtchn *)new_handle(fd, 0);
    if (h)
        h->dom_exc_port = fx_ports_load(restore_port, h);
    return (xenevtchn_handle *)h;
}

int xenevtchn_close(xenevtchn_handle *xce)
{
    struct fake_evtchn *h = (struct fake_evtchn *)xce;
    if (h) {
        close(h->kick_fd);
        close(h->notify_fd);
        free(h);
    }
    return 0;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
    return ((struct fake_evtchn *)xce)->kick_fd;
}

static xenevtchn_port_or_error_t bind_port(xenevtchn_handle *xce, enum binding b, uint32_t domid)
{
    struct fake_evtchn *h = (struct fake_evtchn *)xce;
    for (evtchn_port_t p = 1; p < PORT_COUNT; p++) {
        if (h->ports[p].binding == UNUSED) {
            h->ports[p].binding = b;
            h->ports[p].domid = domid;
            h->ports[p].bound_at = ++h->binds;
            persist(h);
            return (xenevtchn_port_or_error_t)p;
        }
    }
    errno = ENOSPC;
    return -1;
}

static struct port *bound(struct fake_evtchn *h, evtchn_port_t port)
{
    if (port == 0 || port >= PORT_COUNT || h->ports[port].binding == UNUSED) {
        errno = EINVAL;
        return NULL;
    }
    return &h->ports[port];
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
                                                     evtchn_port_t remote_port)
{
    (void)remote_port; /* recorded by the daemon only; the domid identifies the guest here */
    return bind_port(xce, INTERDOMAIN, domid);
}

xenevtchn_port_or_error_t xenevtchn_bind_unbound_port(xenevtchn_handle *xce, uint32_t domid)
{
    return bind_port(xce, UNBOUND, domid);
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
    struct fake_evtchn *h = (struct fake_evtchn *)xce;
    xenevtchn_port_or_error_t p = bind_port(xce, VIRQ, DOMID_SELF);
    if (p > 0 && virq == VIRQ_DOM_EXC) {
        h->dom_exc_port = (evtchn_port_t)p;
        persist(h);
    }
    return p;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
    struct fake_evtchn *h = (struct fake_evtchn *)xce;
    struct port *b = bound(h, port);
    if (!b)
        return -1;
    if (port == h->dom_exc_port)
        h->dom_exc_port = 0;
    b->binding = UNUSED;
    persist(h);
    return 0;
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
    struct fake_evtchn *h = (struct fake_evtchn *)xce;
    struct port *b = bound(h, port);
    if (!b)
        return -1;
    if (b->binding == INTERDOMAIN) {
        uint32_t record = htole32(b->domid);
        /* A full FIFO drops the record: the harness treats records as hints and re-reads the
         * ring indexes, so a lost one costs latency, never correctness. */
        if (write(h->notify_fd, &record, sizeof(record)) != (ssize_t)sizeof(record) && errno != EAGAIN)
            fx_log("notify dom%u: %s", b->domid, strerror(errno));
    }
    return 0;
}

/*
 * The newest interdomain port bound to `domid` (a re-introduced domain gets a new one). Newest by
 * the order of binding, not by number: oxenstored leaves a released domain's port bound (only a
 * dying domain's is unbound), and a re-introduction binds the lowest free port, which may be
 * below the stale one (run: introduce 1 and 3, release 3, keep 1 across a reset, release 1,
 * introduce 1 again: port 4 is new, port 5 still names dom3, and a stale dom1 port above a new
 * one sent dom1's kicks to a port oxenstored no longer knew).
 */
static evtchn_port_t port_of(struct fake_evtchn *h, uint32_t domid)
{
    evtchn_port_t newest = 0;
    for (evtchn_port_t p = 1; p < PORT_COUNT; p++)
        if (h->ports[p].binding == INTERDOMAIN && h->ports[p].domid == domid
            && (newest == 0 || h->ports[p].bound_at > h->ports[newest].bound_at))
            newest = p;
    return newest;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
    struct fake_evtchn *h = (struct fake_evtchn *)xce;
    uint32_t record;
    for (;;) {
        if (read(h->kick_fd, &record, sizeof(record)) != (ssize_t)sizeof(record))
            return (xenevtchn_port_or_error_t)h->dom_exc_port; /* spurious: a rescan is harmless */
        record = le32toh(record);
        if (record == FX_VIRQ_RECORD) {
            if (h->dom_exc_port)
                return (xenevtchn_port_or_error_t)h->dom_exc_port;
            continue;
        }
        evtchn_port_t p = port_of(h, record);
        if (p)
            return (xenevtchn_port_or_error_t)p;
        /* a kick for a domain that is not introduced: nothing to wake */
    }
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
    (void)xce;
    (void)port;
    return 0;
}
