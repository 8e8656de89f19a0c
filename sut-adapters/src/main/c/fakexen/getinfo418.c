/*
 * The libxenctrl domain query of Xen 4.18 and later. C xenstored (domain_getinfo in
 * xenstored_domain.c) and oxenstored's domain_getinfo plugin (tools/ocaml/libs/xsd_glue) ask for
 * one domain at a time with xc_domain_getinfo_single(), which returns 0 and fills *info when the
 * domain exists, else -1 with errno ESRCH, as the domctl does. Declared here: bookworm's 4.17
 * headers, which the shim is built against, do not have it; xc_domaininfo_t
 * (struct xen_domctl_getdomaininfo) has the same layout in the 4.17 and 4.20 headers.
 */
#include "fakexen.h"

#include <errno.h>

#include <xenctrl.h>

#include "domains.h"

int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid, xc_domaininfo_t *info);

int xc_domain_getinfo_single(xc_interface *xch, uint32_t domid, xc_domaininfo_t *info)
{
    xc_domaininfo_t found;
    (void)xch;
    if (!fx_domain_info(domid, &found)) {
        errno = ESRCH;
        return -1;
    }
    if (info)
        *info = found;
    return 0;
}
