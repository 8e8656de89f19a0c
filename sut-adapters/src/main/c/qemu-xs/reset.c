/*
 * XS_CONTROL "x-xscheck-reset" (dom0 only): the server as a new one starts, without a new process,
 * so that the harness can run its next test case here (QemuSut.reset) instead of starting a server
 * for every case.
 *
 * The store is replaced by a new one made as main() makes the first (xs_impl_create, then
 * "/local"), so every node, transaction, watch, quota count, generation count and transaction id
 * of QEMU's state is a fresh start's by construction, not by undoing what a case did (QEMU keeps
 * a connection's transactions across RESET_WATCHES, and no request can give back a generation
 * count or the next transaction id). The front end's own state goes back with it: no connection
 * has an open transaction or a watch (the new store holds none), and no guest has watches to
 * migrate. What stays is what a new connection would make again: the open connections, each
 * speaking as the domid it declared.
 *
 * xenstore_impl.c has no destructor, so the old store is emptied through its own calls before it
 * is dropped: its transactions ended, its watches reset, the root's children removed. Its root
 * node and its two tables (a few hundred bytes) are not freed, as after a migration.
 */
#include "xs_front.h"

static void end_transactions(XenstoreImplState *old, Conn *c)
{
    for (guint i = 0; i < c->open_txs->len; i++) {
        xs_impl_transaction_end(old, c->domid, g_array_index(c->open_txs, xs_transaction_t, i), false);
    }
    g_array_set_size(c->open_txs, 0);
}

/*
 * A case's RM of "/" leaves QEMU a NULL root, which any request on "/" itself (and any write)
 * dereferences: only a tree "/local" can be read below is emptied. One whose "/local" a case
 * removed stays unfreed with the old store.
 */
static void empty_tree(XenstoreImplState *old)
{
    GList *names = NULL;
    GByteArray *local = g_byte_array_new();
    bool walkable = xs_impl_read(old, 0, XBT_NULL, "/local", local) == 0;

    g_byte_array_unref(local);
    if (walkable && xs_impl_directory(old, 0, XBT_NULL, "/", NULL, &names) == 0) {
        for (GList *l = names; l; l = l->next) {
            char *path = g_strconcat("/", (const char *)l->data, NULL);

            xs_impl_rm(old, 0, XBT_NULL, path);
            g_free(path);
        }
    }
    g_list_free_full(names, g_free);
}

int reset_store(Server *srv)
{
    XenstoreImplState *old = srv->store;
    GHashTableIter it;
    gpointer domid;

    /* A connection its client closed before asking for the reset is gone before the reset. */
    conn_reap_closed(srv);
    for (guint i = 0; i < srv->conns->len; i++) {
        Conn *c = g_ptr_array_index(srv->conns, i);

        end_transactions(old, c);
        c->ever_watched = false; /* as a new connection: the new store holds no watch of it */
    }
    /* The watches first, so that emptying the tree fires none. */
    xs_impl_reset_watches(old, 0);
    g_hash_table_iter_init(&it, srv->guest_watches);
    while (g_hash_table_iter_next(&it, &domid, NULL)) {
        xs_impl_reset_watches(old, GPOINTER_TO_UINT(domid));
    }
    g_hash_table_remove_all(srv->guest_watches);
    empty_tree(old);
    /* Closed connections kept only as the old store's watch opaques go after this poll round. */
    srv->retired_free = srv->retired->len;
    srv->store = xs_impl_create(0);
    if (srv->verbose) {
        fprintf(stderr, "reset: a new store\n");
    }
    return store_create_local(srv) ? EIO : 0;
}
