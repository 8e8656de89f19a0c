/*
 * The libxenctrl calls the daemons make, answered from the state directory. The handle is a
 * dummy: no hypervisor is ever opened. Other xc_* functions oxenstored links against are never
 * called by xenstore code and are deliberately absent.
 */
#include "fakexen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <xenctrl.h>
#include <xen/sched.h>

#include "domains.h"

struct fake_xc {
    xc_error last_error; /* always "no error": queries of missing domains just return fewer */
};

xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
                                unsigned open_flags)
{
    (void)logger;
    (void)dombuild_logger;
    (void)open_flags;
    return (xc_interface *)calloc(1, sizeof(struct fake_xc));
}

int xc_interface_close(xc_interface *xch)
{
    free(xch);
    return 0;
}

const xc_error *xc_get_last_error(xc_interface *xch)
{
    static const xc_error none;
    return xch ? &((struct fake_xc *)xch)->last_error : &none;
}

void xc_clear_last_error(xc_interface *xch)
{
    if (xch)
        memset(&((struct fake_xc *)xch)->last_error, 0, sizeof(xc_error));
}

const char *xc_error_code_to_desc(int code)
{
    return code == XC_ERROR_NONE ? "No error details" : "fakexen: error";
}

/* oxenstored (Xenctrl.domain_getinfo) */
int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain, unsigned int max_domains,
                          xc_domaininfo_t *info)
{
    (void)xch;
    return fx_domain_list(first_domain, max_domains, info);
}

/* C xenstored (check_domains, domain existence for permissions) */
int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms,
                      xc_dominfo_t *info)
{
    (void)xch;
    if (max_doms == 0)
        return 0;
    xc_domaininfo_t *found = calloc(max_doms, sizeof(*found));
    if (!found)
        return -1;
    int n = fx_domain_list(first_domid, max_doms, found);
    for (int i = 0; i < n; i++) {
        uint32_t f = found[i].flags;
        xc_dominfo_t *o = &info[i];
        memset(o, 0, sizeof(*o));
        o->domid = found[i].domain;
        o->dying = !!(f & XEN_DOMINF_dying);
        o->paused = !!(f & XEN_DOMINF_paused);
        o->blocked = !!(f & XEN_DOMINF_blocked);
        o->running = !!(f & XEN_DOMINF_running);
        o->shutdown_reason = (f >> XEN_DOMINF_shutdownshift) & XEN_DOMINF_shutdownmask;
        o->shutdown = !!(f & XEN_DOMINF_shutdown);
        if (o->shutdown && o->shutdown_reason == SHUTDOWN_crash) {
            o->shutdown = 0; /* libxenctrl reports a crash as crashed, not shut down */
            o->crashed = 1;
        }
        o->nr_pages = found[i].tot_pages;
        o->max_memkb = found[i].max_pages * 4;
        o->nr_online_vcpus = 1;
    }
    free(found);
    return n;
}

/* oxenstored maps an introduced guest's page by mfn; the mfn means nothing here. */
void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size, int prot, unsigned long mfn)
{
    (void)xch;
    (void)prot;
    (void)mfn;
    if (size > FX_RING_SIZE) {
        errno = EINVAL;
        return NULL;
    }
    return fx_map_ring(dom);
}
