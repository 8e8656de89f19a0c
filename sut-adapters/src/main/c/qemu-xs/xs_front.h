/*
 * xscheck's xs_wire front end for QEMU's xenstore implementation (hw/i386/kvm/xenstore_impl.c).
 *
 * QEMU serves xenstore to its one guest over a shared ring (hw/i386/kvm/xen_xenstore.c); it has
 * no socket. This front end puts the same implementation, compiled unmodified, behind Unix
 * sockets speaking xs_wire, so that the conformance suite can talk to it like to a daemon.
 * The wire rules (payload checks, error names, which requests are refused) follow QEMU's
 * xen_xenstore.c; everything else is QEMU's own code answering.
 *
 * This file and the .c files beside it are xscheck's; QEMU's sources are fetched at build time.
 */
#ifndef XSCHECK_XS_FRONT_H
#define XSCHECK_XS_FRONT_H

#include "qemu/osdep.h"

#include "hw/xen/interface/io/xs_wire.h"
#include "xenstore_impl.h"

#define XS_FRONT_MAX_LISTENERS 32

/* One client connection; it speaks as domid 0 (privileged) or as a guest domid. */
typedef struct Conn {
    int fd;                 /* -1 once closed; the struct itself lives on (see conn_close) */
    unsigned int id;        /* for the log */
    unsigned int domid;
    GByteArray *in;         /* bytes received, not yet a whole request */
    GByteArray *out;        /* bytes to send */
    GByteArray *deferred;   /* this connection's own watch events raised while its request runs */
    bool in_request;
    bool ever_watched;      /* the store may hold this Conn as a watch opaque */
    GArray *open_txs;       /* xs_transaction_t ids started here and not yet ended */
} Conn;

typedef struct Listener {
    int fd;
    unsigned int domid;
    char *path;
} Listener;

typedef struct Server {
    XenstoreImplState *store;
    Listener listeners[XS_FRONT_MAX_LISTENERS];
    int nr_listeners;
    GPtrArray *conns;       /* open connections */
    unsigned int next_conn_id;
    bool verbose;
    bool lifeline;          /* exit when stdin reaches end of file */
    GHashTable *guest_watches; /* guest domid -> how many watches it has in the store (migrate.c) */
    GPtrArray *retired;     /* closed Conns not freed yet: the store or this round's poll may hold them */
    guint retired_free;     /* how many of the first retired the next poll round frees (reset.c) */
} Server;

/* conn.c: connections and framing */
Conn *conn_accept(Server *srv, const Listener *l);
void conn_readable(Server *srv, Conn *c);
void conn_flush(Server *srv, Conn *c);
void conn_close(Server *srv, Conn *c);
void conn_queue(GByteArray *buf, uint32_t type, uint32_t req_id, uint32_t tx_id,
                const void *payload, uint32_t len);
void conn_reap_closed(Server *srv);
void conn_free(Conn *c);

/* main.c: the store as the server starts with it */
int store_create_local(Server *srv);

/* requests.c: one request, answered by the implementation */
void request_handle(Server *srv, Conn *c, const struct xsd_sockmsg *hdr, const uint8_t *payload);

/* migrate.c: the store serialized into a new one, as a migration does; guest watch counts */
void migrate_count_watch(Server *srv, unsigned int domid, int delta);
void migrate_forget_guest(Server *srv, unsigned int domid);
int migrate_store(Server *srv);

/* reset.c: a fresh store and fresh connections, as a new server would have them */
int reset_store(Server *srv);

/* The callback every watch is registered with; the opaque is the watching Conn. */
void watch_event(void *opaque, const char *path, const char *token);

#endif
