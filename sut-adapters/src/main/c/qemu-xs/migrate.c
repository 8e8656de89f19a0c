/*
 * XS_CONTROL "x-xscheck-migrate": QEMU's migration of its xenstore, on one host. QEMU saves the
 * store with xs_impl_serialize() before it leaves (hw/i386/kvm/xen_xenstore.c pre_save) and the
 * destination loads it with xs_impl_deserialize() into the store it created (post_load), naming
 * its one guest's domid and the guest as the opaque of every restored watch. Here the same calls
 * run back to back: serialize, xs_impl_create(), deserialize, and the new store replaces the old.
 *
 * What the implementation keeps is its business, not ours: the tree with its permissions, the
 * transactions with their ids (last_tx), and the *guest* watches (save_watch: "We only save the
 * *guest* watches"). dom0's watches are QEMU's own back ends' on a real host, which set theirs
 * again on the destination; the dom0 connections here stand for those back ends and get theirs
 * back only by watching again.
 *
 * QEMU has one guest, so its stream does not say whose a watch is. The front end serves several
 * guests; it restores the watches to the one guest connection that has any, and refuses (EBUSY,
 * nothing changed) when watches belong to more than one guest domain or to a domain with more
 * than one open connection: no choice of opaque would be QEMU's.
 *
 * The old store is not freed: xenstore_impl.c has no destructor. It is never called again.
 */
#include "xs_front.h"

void migrate_count_watch(Server *srv, unsigned int domid, int delta)
{
    gpointer key = GUINT_TO_POINTER(domid);
    int n = GPOINTER_TO_INT(g_hash_table_lookup(srv->guest_watches, key)) + delta;

    if (domid == 0) {
        return;
    }
    if (n > 0) {
        g_hash_table_insert(srv->guest_watches, key, GINT_TO_POINTER(n));
    } else {
        g_hash_table_remove(srv->guest_watches, key);
    }
}

/* RESET_WATCHES, or the guest's last connection closed: the domain has no watch left. */
void migrate_forget_guest(Server *srv, unsigned int domid)
{
    g_hash_table_remove(srv->guest_watches, GUINT_TO_POINTER(domid));
}

/* The one open connection of the one guest domain with watches; NULL when there is no such guest. */
static int watching_guest(Server *srv, Conn **guest)
{
    GHashTableIter it;
    gpointer key, value;
    unsigned int domid = 0;

    *guest = NULL;
    g_hash_table_iter_init(&it, srv->guest_watches);
    while (g_hash_table_iter_next(&it, &key, &value)) {
        if (domid) {
            /* said in the log: a refused migration's reproducer shows why */
            fprintf(stderr, "qemu-xs-server: migration refused: watches of domains %u and %u\n", domid,
                    GPOINTER_TO_UINT(key));
            return EBUSY; /* two guest domains */
        }
        domid = GPOINTER_TO_UINT(key);
    }
    if (!domid) {
        return 0;
    }
    for (guint i = 0; i < srv->conns->len; i++) {
        Conn *c = g_ptr_array_index(srv->conns, i);

        if (c->domid == domid) {
            if (*guest) {
                fprintf(stderr, "qemu-xs-server: migration refused: domain %u watches and has connections c%u and c%u\n",
                        domid, (*guest)->id, c->id);
                return EBUSY; /* two connections of that guest */
            }
            *guest = c;
        }
    }
    return 0;
}

int migrate_store(Server *srv)
{
    Conn *guest;
    GByteArray *saved;
    XenstoreImplState *fresh;
    int err;

    conn_reap_closed(srv);
    err = watching_guest(srv, &guest);

    if (err) {
        return err;
    }
    saved = xs_impl_serialize(srv->store);
    fresh = xs_impl_create(0);
    /* With no guest to give them to, deserialize skips the saved watches (watch_fn NULL). */
    err = xs_impl_deserialize(fresh, saved, guest ? guest->domid : 0, guest ? watch_event : NULL, guest);
    if (srv->verbose) {
        fprintf(stderr, "migrate: %u bytes, guest %s%u -> %d\n", saved->len, guest ? "d" : "none ",
                guest ? guest->domid : 0, err);
    }
    g_byte_array_unref(saved);
    if (err) {
        /* A stream the implementation wrote and cannot read back: QEMU fails the migration. */
        fprintf(stderr, "qemu-xs-server: xs_impl_deserialize failed: %d; keeping the old store\n", err);
        return EIO;
    }
    srv->store = fresh;
    /*
     * The guest's watch count stays as the guest's requests made it: what the guest set is what
     * the migration promised to keep (a watch QEMU's stream lost shows as a missing event).
     */
    return 0;
}
