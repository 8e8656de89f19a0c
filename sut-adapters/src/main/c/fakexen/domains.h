/* Fake domains (domains.c), shared by the libxenctrl fakes. */
#ifndef FAKEXEN_DOMAINS_H
#define FAKEXEN_DOMAINS_H

#include <xenctrl.h>

/* Fills `info` and returns 1 when domain `domid` exists, else 0. */
int fx_domain_info(uint32_t domid, xc_domaininfo_t *info);

/* Up to `max` existing domains with domid >= first, in domid order; returns how many. */
int fx_domain_list(uint32_t first, unsigned max, xc_domaininfo_t *out);

#endif
