/*
 * One xs_wire request in, one reply out, answered by QEMU's xenstore_impl.c.
 *
 * Payload checks, reply layouts and error choices follow QEMU 10.0's guest-facing front end,
 * hw/i386/kvm/xen_xenstore.c, so that a client here sees what a guest of QEMU sees. Where we
 * deliberately differ, the comment says so:
 *   - connections may speak as dom0 (QEMU's wire only ever carries its guest's domid);
 *   - MKDIR works (QEMU's own xs_mkdir has an inverted condition, see do_mkdir);
 *   - a missing WATCH/UNWATCH token is empty (QEMU reads stale request-buffer bytes);
 *   - XS_CONTROL "x-xscheck-domid" lets the harness declare a connection a guest,
 *     "x-xscheck-migrate" runs QEMU's migration of the store (migrate.c), and "x-xscheck-reset"
 *     gives the server a new store, as it started with (reset.c).
 */
#include "xs_front.h"

/* The request being answered. */
typedef struct Req {
    Server *srv;
    Conn *c;
    const struct xsd_sockmsg *hdr;
    const uint8_t *data;
    uint32_t len;
    GByteArray *rsp; /* reply payload when err == 0 */
    int err;
} Req;

static const char *error_name(int err)
{
    for (size_t i = 0; i < ARRAY_SIZE(xsd_errors); i++) {
        if (xsd_errors[i].errnum == err) {
            return xsd_errors[i].errstring;
        }
    }
    /* QEMU asserts here; no error the implementation returns is missing from xs_wire.h. */
    fprintf(stderr, "qemu-xs-server: error %d has no xs_wire name, answering EIO\n", err);
    return "EIO";
}

static void ok(Req *r)
{
    g_byte_array_append(r->rsp, (const guint8 *)"OK", 3);
}

/* READ, RM, DIRECTORY, GET_PERMS, MKDIR, RESET_WATCHES: the payload must end with a NUL. */
static const char *nul_terminated(Req *r)
{
    if (r->len == 0 || r->data[r->len - 1] != '\0') {
        r->err = EINVAL;
        return NULL;
    }
    return (const char *)r->data;
}

/*
 * The field at *off, which must be NUL-terminated within the payload; *off moves past it.
 * This is QEMU's `while (len--)` scan. At the very end of the payload QEMU's scan does not fail
 * but hands on a pointer past the payload; the caller decides what that means.
 */
static const char *field(Req *r, uint32_t *off, bool *past_end)
{
    const uint8_t *nul;
    const char *start = (const char *)r->data + *off;

    *past_end = *off >= r->len;
    if (*past_end) {
        return NULL;
    }
    nul = memchr(r->data + *off, '\0', r->len - *off);
    if (!nul) {
        r->err = EINVAL;
        return NULL;
    }
    *off = (uint32_t)(nul - r->data) + 1;
    return start;
}

/* The NUL-separated list DIRECTORY and GET_PERMS send; E2BIG when it does not fit. */
static void append_all(Req *r, GList *strings)
{
    for (GList *l = strings; l; l = l->next) {
        g_byte_array_append(r->rsp, l->data, (guint)strlen(l->data) + 1);
    }
    if (r->rsp->len > XENSTORE_PAYLOAD_MAX) {
        r->err = E2BIG;
    }
}

static void do_read(Req *r)
{
    const char *path = nul_terminated(r);

    if (path) {
        r->err = xs_impl_read(r->srv->store, r->c->domid, r->hdr->tx_id, path, r->rsp);
        if (!r->err && r->rsp->len > XENSTORE_PAYLOAD_MAX) {
            r->err = E2BIG;
        }
    }
}

static void do_write(Req *r)
{
    uint32_t off = 0;
    bool past_end;
    const char *path = field(r, &off, &past_end);
    GByteArray *value;

    if (!path) {
        r->err = EINVAL; /* empty payload, or no NUL after the path */
        return;
    }
    /* The value is every byte after the path's NUL: it may hold NULs and has none added. */
    value = g_byte_array_new();
    g_byte_array_append(value, r->data + off, r->len - off);
    r->err = xs_impl_write(r->srv->store, r->c->domid, r->hdr->tx_id, path, value);
    g_byte_array_unref(value);
    if (!r->err) {
        ok(r);
    }
}

/*
 * The implementation has no mkdir. QEMU's front end builds it from the other calls: READ the
 * node, and if that says ENOENT, WRITE it with an empty value (which creates missing parents);
 * an existing node keeps its value. We do the same.
 *
 * QEMU 10.0's xs_mkdir then tests `if (!err)` where `if (err)` is meant, so there a successful
 * MKDIR reaches xs_error() with no error name and trips its assertion (QEMU aborts), while a
 * failed one answers OK. Emulating that would make every MKDIR a crash; we answer as intended.
 */
static void do_mkdir(Req *r)
{
    const char *path = nul_terminated(r);
    GByteArray *value;

    if (!path) {
        return;
    }
    value = g_byte_array_new();
    r->err = xs_impl_read(r->srv->store, r->c->domid, r->hdr->tx_id, path, value);
    if (r->err == ENOENT) {
        g_byte_array_set_size(value, 0);
        r->err = xs_impl_write(r->srv->store, r->c->domid, r->hdr->tx_id, path, value);
    }
    g_byte_array_unref(value);
    if (!r->err) {
        ok(r);
    }
}

/* No guard for "/": QEMU's RM of the root leaves a NULL root and the next request crashes. */
static void do_rm(Req *r)
{
    const char *path = nul_terminated(r);

    if (path) {
        r->err = xs_impl_rm(r->srv->store, r->c->domid, r->hdr->tx_id, path);
        if (!r->err) {
            ok(r);
        }
    }
}

static void do_directory(Req *r)
{
    const char *path = nul_terminated(r);
    GList *names = NULL;

    if (!path) {
        return;
    }
    r->err = xs_impl_directory(r->srv->store, r->c->domid, r->hdr->tx_id, path, NULL, &names);
    if (!r->err) {
        append_all(r, names);
    }
    g_list_free_full(names, g_free);
}

static bool parse_uint(const char *s, unsigned int *out)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (errno || end == s || *end || v > UINT_MAX) {
        return false;
    }
    *out = (unsigned int)v;
    return true;
}

/*
 * <gencnt>\0 then the children list from a byte offset, cut at the payload limit, then an extra
 * NUL when there is room. QEMU clips an entry to the room left before it skips by the offset;
 * the same order here.
 */
static void do_directory_part(Req *r)
{
    uint32_t off = 0;
    bool past_end;
    const char *path = field(r, &off, &past_end), *offset_text;
    unsigned int start;
    uint64_t gencnt = 0;
    GList *names = NULL;
    char num[32];

    if (!path) {
        r->err = EINVAL;
        return;
    }
    offset_text = field(r, &off, &past_end);
    if (!offset_text || off != r->len || !parse_uint(offset_text, &start)) {
        r->err = EINVAL; /* missing, unterminated, trailed by more bytes, or not a number */
        return;
    }
    r->err = xs_impl_directory(r->srv->store, r->c->domid, r->hdr->tx_id, path, &gencnt, &names);
    if (r->err) {
        return;
    }
    snprintf(num, sizeof(num), "%" PRIu64, gencnt);
    g_byte_array_append(r->rsp, (const guint8 *)num, (guint)strlen(num) + 1);
    for (GList *l = names; l; l = l->next) {
        const char *s = l->data;
        unsigned int n = (unsigned int)strlen(s) + 1;

        if (r->rsp->len + n > XENSTORE_PAYLOAD_MAX) {
            n = XENSTORE_PAYLOAD_MAX - r->rsp->len;
            if (!n) {
                break;
            }
        }
        if (start) {
            if (start >= n) {
                start -= n;
                continue;
            }
            s += start;
            n -= start;
            start = 0;
        }
        g_byte_array_append(r->rsp, (const guint8 *)s, n);
    }
    if (r->rsp->len < XENSTORE_PAYLOAD_MAX) {
        g_byte_array_append(r->rsp, (const guint8 *)"", 1);
    }
    g_list_free_full(names, g_free);
}

static void do_get_perms(Req *r)
{
    const char *path = nul_terminated(r);
    GList *perms = NULL;

    if (!path) {
        return;
    }
    r->err = xs_impl_get_perms(r->srv->store, r->c->domid, r->hdr->tx_id, path, &perms);
    if (!r->err) {
        append_all(r, perms);
    }
    g_list_free_full(perms, g_free);
}

/* <path>\0 then <perm>\0 entries; bytes after the last NUL are ignored, as QEMU allows. */
static void do_set_perms(Req *r)
{
    uint32_t off = 0;
    bool past_end;
    const char *path = field(r, &off, &past_end);
    GList *perms = NULL;

    if (!path) {
        r->err = EINVAL;
        return;
    }
    for (;;) {
        const char *perm = field(r, &off, &past_end);

        if (!perm) {
            break;
        }
        perms = g_list_append(perms, (gpointer)perm);
    }
    r->err = xs_impl_set_perms(r->srv->store, r->c->domid, r->hdr->tx_id, path, perms);
    g_list_free(perms);
    if (!r->err) {
        ok(r);
    }
}

/*
 * <path>\0<token>\0, trailing bytes ignored. A payload that ends right after the path gives QEMU
 * a token pointer past the payload: it reads whatever its request buffer holds there (zeroes in
 * a fresh QEMU, an earlier request's bytes otherwise). We use the fresh case, an empty token.
 */
static void do_watch(Req *r, bool add)
{
    uint32_t off = 0;
    bool past_end;
    const char *path = field(r, &off, &past_end), *token;

    if (!path) {
        r->err = EINVAL;
        return;
    }
    token = field(r, &off, &past_end);
    if (!token) {
        if (!past_end) {
            return; /* unterminated token: EINVAL already set */
        }
        token = "";
    }
    if (add) {
        r->c->ever_watched = true;
        r->err = xs_impl_watch(r->srv->store, r->c->domid, path, token, watch_event, r->c);
    } else {
        r->err = xs_impl_unwatch(r->srv->store, r->c->domid, path, token, watch_event, r->c);
    }
    if (!r->err) {
        migrate_count_watch(r->srv, r->c->domid, add ? 1 : -1);
        ok(r);
    }
}

/*
 * Said in the log when a guest is refused a transaction: whose open transactions fill the guests'
 * shared limit, as the front end knows them (a reproducer that does not replay is read by its log;
 * a closed connection's were ended at its close, conn.c).
 */
static void log_open_transactions(Server *srv, Conn *asking)
{
    fprintf(stderr, "qemu-xs-server: c%u (domid %u) refused a transaction (ENOSPC); open:", asking->id,
            asking->domid);
    for (guint i = 0; i < srv->conns->len; i++) {
        Conn *c = g_ptr_array_index(srv->conns, i);

        if (c->domid && c->open_txs->len) {
            fprintf(stderr, " c%u (domid %u) %u", c->id, c->domid, c->open_txs->len);
        }
    }
    fprintf(stderr, "\n");
}

static void do_transaction_start(Req *r)
{
    xs_transaction_t tx = r->hdr->tx_id; /* non-zero: the implementation answers EINVAL */
    char num[16];

    if (r->len != 1 || r->data[0] != '\0') {
        r->err = EINVAL;
        return;
    }
    r->err = xs_impl_transaction_start(r->srv->store, r->c->domid, &tx);
    if (r->err == ENOSPC) {
        log_open_transactions(r->srv, r->c);
    }
    if (!r->err) {
        g_array_append_val(r->c->open_txs, tx);
        snprintf(num, sizeof(num), "%u", tx);
        g_byte_array_append(r->rsp, (const guint8 *)num, (guint)strlen(num) + 1);
    }
}

static void forget_tx(Conn *c, xs_transaction_t tx)
{
    for (guint i = 0; i < c->open_txs->len; i++) {
        if (g_array_index(c->open_txs, xs_transaction_t, i) == tx) {
            g_array_remove_index_fast(c->open_txs, i);
            return;
        }
    }
}

static void do_transaction_end(Req *r)
{
    if (r->len != 2 || r->data[1] != '\0' || (r->data[0] != 'T' && r->data[0] != 'F')) {
        r->err = EINVAL;
        return;
    }
    r->err = xs_impl_transaction_end(r->srv->store, r->c->domid, r->hdr->tx_id, r->data[0] == 'T');
    if (r->err != ENOENT) {
        forget_tx(r->c, r->hdr->tx_id); /* committed, discarded or EAGAIN: the id is gone */
    }
    if (!r->err) {
        ok(r);
    }
}

static void do_reset_watches(Req *r)
{
    if (nul_terminated(r)) {
        /* Every watch of this domid, on every connection: the implementation keys them so. */
        xs_impl_reset_watches(r->srv->store, r->c->domid);
        migrate_forget_guest(r->srv, r->c->domid);
        ok(r);
    }
}

/*
 * QEMU refuses XS_CONTROL (EACCES). Ours, on a dom0 connection: "x-xscheck-domid\0N\0" makes the
 * connection speak as guest N from now on (one way); the launcher uses it for openGuest().
 * "x-xscheck-migrate\0" migrates the store (migrate.c); "x-xscheck-reset\0" makes it as it started
 * (reset.c).
 */
static void do_control(Req *r)
{
    static const char verb[] = "x-xscheck-domid";
    uint32_t off = 0;
    bool past_end;
    const char *name, *arg;
    unsigned int domid;

    if (r->c->domid != 0 || !(name = field(r, &off, &past_end))) {
        r->err = EACCES;
        return;
    }
    if (strcmp(name, "x-xscheck-migrate") == 0 && off == r->len) {
        r->err = migrate_store(r->srv);
        if (!r->err) {
            ok(r);
        }
        return;
    }
    if (strcmp(name, "x-xscheck-reset") == 0 && off == r->len) {
        r->err = reset_store(r->srv);
        if (!r->err) {
            ok(r);
        }
        return;
    }
    if (strcmp(name, verb) != 0) {
        r->err = EACCES;
        return;
    }
    arg = field(r, &off, &past_end);
    if (!arg || off != r->len || !parse_uint(arg, &domid) || domid == 0 || domid >= 0x7ff0) {
        r->err = EINVAL;
        return;
    }
    r->c->domid = domid;
    r->err = 0;
    ok(r);
    if (r->srv->verbose) {
        fprintf(stderr, "c%u: now speaks as domid %u\n", r->c->id, domid);
    }
}

void request_handle(Server *srv, Conn *c, const struct xsd_sockmsg *hdr, const uint8_t *payload)
{
    Req r = { .srv = srv, .c = c, .hdr = hdr, .data = payload, .len = hdr->len,
              .rsp = g_byte_array_new() };

    c->in_request = true;
    switch (hdr->type) {
    case XS_READ: do_read(&r); break;
    case XS_WRITE: do_write(&r); break;
    case XS_MKDIR: do_mkdir(&r); break;
    case XS_RM: do_rm(&r); break;
    case XS_DIRECTORY: do_directory(&r); break;
    case XS_DIRECTORY_PART: do_directory_part(&r); break;
    case XS_GET_PERMS: do_get_perms(&r); break;
    case XS_SET_PERMS: do_set_perms(&r); break;
    case XS_WATCH: do_watch(&r, true); break;
    case XS_UNWATCH: do_watch(&r, false); break;
    case XS_TRANSACTION_START: do_transaction_start(&r); break;
    case XS_TRANSACTION_END: do_transaction_end(&r); break;
    case XS_RESET_WATCHES: do_reset_watches(&r); break;
    case XS_CONTROL: do_control(&r); break;
    /* QEMU's guest may not manage domains. */
    case XS_INTRODUCE:
    case XS_RELEASE:
    case XS_IS_DOMAIN_INTRODUCED:
    case XS_RESUME:
    case XS_SET_TARGET: r.err = EACCES; break;
    /* Everything else, GET_DOMAIN_PATH included, is unimplemented in QEMU. */
    default: r.err = ENOSYS; break;
    }
    c->in_request = false;

    if (srv->verbose) {
        fprintf(stderr, "c%u d%u: type %u req %u tx %u len %u -> %s\n", c->id, c->domid, hdr->type,
                hdr->req_id, hdr->tx_id, hdr->len, r.err ? error_name(r.err) : "ok");
    }
    if (c->fd < 0) {
        g_byte_array_unref(r.rsp);
        return;
    }
    if (r.err) {
        const char *name = error_name(r.err);

        conn_queue(c->out, XS_ERROR, hdr->req_id, hdr->tx_id, name, (uint32_t)strlen(name) + 1);
    } else {
        conn_queue(c->out, hdr->type, hdr->req_id, hdr->tx_id, r.rsp->data, r.rsp->len);
    }
    g_byte_array_append(c->out, c->deferred->data, c->deferred->len);
    g_byte_array_set_size(c->deferred, 0);
    g_byte_array_unref(r.rsp);
}
