/* Client connections: accepting, framing requests, queueing replies and watch events. */
#include "xs_front.h"

#include <poll.h>
#include <sys/socket.h>

void conn_queue(GByteArray *buf, uint32_t type, uint32_t req_id, uint32_t tx_id,
                const void *payload, uint32_t len)
{
    struct xsd_sockmsg hdr = { .type = type, .req_id = req_id, .tx_id = tx_id, .len = len };

    g_byte_array_append(buf, (const guint8 *)&hdr, sizeof(hdr));
    if (len) {
        g_byte_array_append(buf, payload, len);
    }
}

Conn *conn_accept(Server *srv, const Listener *l)
{
    int fd = accept4(l->fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
    Conn *c;

    if (fd < 0) {
        return NULL;
    }
    c = g_new0(Conn, 1);
    c->fd = fd;
    c->id = srv->next_conn_id++;
    c->domid = l->domid;
    c->in = g_byte_array_new();
    c->out = g_byte_array_new();
    c->deferred = g_byte_array_new();
    c->open_txs = g_array_new(false, false, sizeof(xs_transaction_t));
    g_ptr_array_add(srv->conns, c);
    if (srv->verbose) {
        fprintf(stderr, "c%u: connected as domid %u\n", c->id, c->domid);
    }
    return c;
}

/*
 * When the last connection of a domain closes (the harness's guest is gone), every watch of that
 * domain goes the way QEMU drops a reset guest's (xen_xenstore_reset calls
 * xs_impl_reset_watches); keyed by domid, so no connection of another domain loses one. A
 * migration then has no watch of it to hand to anyone (migrate.c). The last connection need not
 * be the one that set the watches: a killed guest's connections close in any order (gate seeds
 * 69007, 70001, 72008: watches of a dead guest still counted, a migration refused EBUSY).
 */
static bool forget_if_last(Server *srv, Conn *c)
{
    for (guint i = 0; i < srv->conns->len; i++) {
        if (((Conn *)g_ptr_array_index(srv->conns, i))->domid == c->domid) {
            return false;
        }
    }
    xs_impl_reset_watches(srv->store, c->domid);
    migrate_forget_guest(srv, c->domid);
    return true;
}

/*
 * A closed connection's transactions are aborted, as any xenstored does. Its watches cannot be
 * removed safely: xs_impl_unwatch() only finds the first watch registered on a path (its loop
 * over the rest tests `opaque != w->cb_opaque` where `==` is meant), so asking it to remove ours
 * could remove another connection's watch instead. They stay registered and silent
 * (watch_event drops events for closed connections), and still count against the guest limit of
 * 128 watches, until the domain's last connection closes (forget_if_last: a dead guest's watch
 * left first on a path would otherwise decide what another connection's UNWATCH of it answers).
 * So a Conn that ever set a watch is never freed: the store may still call it.
 */
void conn_close(Server *srv, Conn *c)
{
    guint ended = 0;
    bool last;

    for (guint i = 0; i < c->open_txs->len; i++) {
        ended += xs_impl_transaction_end(srv->store, c->domid, g_array_index(c->open_txs, xs_transaction_t, i),
                                         false) == 0;
    }
    close(c->fd);
    c->fd = -1;
    g_ptr_array_remove(srv->conns, c);
    last = forget_if_last(srv, c);
    if (srv->verbose || (c->domid && (c->open_txs->len || last))) {
        /* a guest's connections closing is how the harness kills it: said, for a reproducer's log tail */
        fprintf(stderr, "c%u (domid %u): closed; %u of its %u transactions ended%s\n", c->id, c->domid, ended,
                c->open_txs->len, last ? "; the domain's last connection: its watches removed" : "");
    }
    g_array_set_size(c->open_txs, 0);
    g_byte_array_set_size(c->in, 0);
    g_byte_array_set_size(c->out, 0);
    g_byte_array_set_size(c->deferred, 0);
    if (!c->ever_watched && !c->in_request) {
        conn_free(c);
    } else {
        g_ptr_array_add(srv->retired, c); /* freed once nothing can call it (reset.c) */
    }
}

void conn_free(Conn *c)
{
    g_array_free(c->open_txs, true);
    g_byte_array_unref(c->in);
    g_byte_array_unref(c->out);
    g_byte_array_unref(c->deferred);
    g_free(c);
}

/*
 * Connections whose client has closed them, though the poll loop has not read that yet: a
 * client that closed a connection and then asks for a migration or a reset on another one finds
 * it gone, as it would with any later request.
 */
void conn_reap_closed(Server *srv)
{
    for (guint i = srv->conns->len; i-- > 0;) {
        Conn *c = g_ptr_array_index(srv->conns, i);
        struct pollfd p = { .fd = c->fd, .events = POLLIN };
        char byte;

        if (!c->in_request && poll(&p, 1, 0) == 1 && (p.revents & (POLLHUP | POLLERR)
                || ((p.revents & POLLIN) && recv(c->fd, &byte, 1, MSG_PEEK | MSG_DONTWAIT) == 0))) {
            /*
             * The poll loop that called us may still hold this Conn in its list for this round:
             * conn_close must not free it (it frees none that is in a request), so it is retired.
             */
            c->in_request = true;
            conn_close(srv, c);
        }
    }
}

void conn_readable(Server *srv, Conn *c)
{
    uint8_t buf[16384];
    ssize_t n = read(c->fd, buf, sizeof(buf));

    if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
        return;
    }
    if (n <= 0) {
        conn_close(srv, c);
        return;
    }
    g_byte_array_append(c->in, buf, (guint)n);
    while (c->fd >= 0 && c->in->len >= sizeof(struct xsd_sockmsg)) {
        struct xsd_sockmsg hdr;

        memcpy(&hdr, c->in->data, sizeof(hdr));
        if (hdr.len > XENSTORE_PAYLOAD_MAX) {
            /* QEMU treats an oversized request as a fatal ring error; here the client goes. */
            fprintf(stderr, "c%u: request length %u exceeds %u, closing the connection\n", c->id,
                    hdr.len, XENSTORE_PAYLOAD_MAX);
            conn_close(srv, c);
            return;
        }
        if (c->in->len < sizeof(hdr) + hdr.len) {
            return;
        }
        request_handle(srv, c, &hdr, c->in->data + sizeof(hdr));
        g_byte_array_remove_range(c->in, 0, sizeof(hdr) + hdr.len);
    }
}

void conn_flush(Server *srv, Conn *c)
{
    while (c->fd >= 0 && c->out->len) {
        ssize_t n = send(c->fd, c->out->data, c->out->len, MSG_NOSIGNAL);

        if (n < 0 && (errno == EAGAIN || errno == EINTR)) {
            return;
        }
        if (n < 0) {
            conn_close(srv, c);
            return;
        }
        g_byte_array_remove_range(c->out, 0, (guint)n);
    }
}

void watch_event(void *opaque, const char *path, const char *token)
{
    Conn *c = opaque;
    size_t plen = strlen(path) + 1, tlen = strlen(token) + 1;
    GByteArray *payload;

    if (c->fd < 0 || plen + tlen > XENSTORE_PAYLOAD_MAX) {
        return; /* closed (see conn_close); QEMU also drops an event that does not fit */
    }
    payload = g_byte_array_sized_new((guint)(plen + tlen));
    g_byte_array_append(payload, (const guint8 *)path, (guint)plen);
    g_byte_array_append(payload, (const guint8 *)token, (guint)tlen);
    /* QEMU sends a request's events after its reply; events for other clients go out now. */
    conn_queue(c->in_request ? c->deferred : c->out, XS_WATCH_EVENT, 0, 0, payload->data,
               payload->len);
    g_byte_array_unref(payload);
}
