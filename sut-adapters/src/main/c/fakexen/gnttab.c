/*
 * libxengnttab, as C xenstored uses it: it maps a guest's xenstore page by the reserved grant
 * (ignoring the mfn given in XS_INTRODUCE), so the mapping is the guest's ring file.
 */
#include "fakexen.h"

#include <stdlib.h>
#include <sys/mman.h>

#include <xengnttab.h>

struct fake_gnttab {
    int unused;
};

xengnttab_handle *xengnttab_open(struct xentoollog_logger *logger, unsigned open_flags)
{
    (void)logger;
    (void)open_flags;
    return (xengnttab_handle *)calloc(1, sizeof(struct fake_gnttab));
}

int xengnttab_close(xengnttab_handle *xgt)
{
    free(xgt);
    return 0;
}

int xengnttab_set_max_grants(xengnttab_handle *xgt, uint32_t nr_grants)
{
    (void)xgt;
    (void)nr_grants;
    return 0;
}

void *xengnttab_map_grant_ref(xengnttab_handle *xgt, uint32_t domid, uint32_t ref, int prot)
{
    (void)xgt;
    (void)ref;
    (void)prot;
    return fx_map_ring(domid);
}

int xengnttab_unmap(xengnttab_handle *xgt, void *start_address, uint32_t count)
{
    (void)xgt;
    return munmap(start_address, (size_t)count * FX_RING_SIZE);
}
