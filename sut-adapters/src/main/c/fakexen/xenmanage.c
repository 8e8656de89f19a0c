/*
 * libxenmanage (Xen 4.21 and later), which C xenstored uses instead of libxenctrl to learn a
 * domain's state and which domains changed since it last asked. Answered from the dom-N / ring-N
 * files like the libxenctrl queries. Declared here: bookworm's headers have no xenmanage.h. The
 * flag values are those of xenmanage.h in Xen 4.21.
 *
 * States: running, paused, blocked -> EXIST; shutdown, crashed -> EXIST|SHUTDOWN; dying ->
 * EXIST|DYING|DEAD (the harness marks a domain dying when it wants it released, and 4.21 releases
 * a domain once it is dead); dead or no file -> no such domain.
 * unique_id: the hypervisor gives each domain it creates a new one, so a domid used again is a new
 * domain. Here an incarnation begins whenever a domain is seen existing after having been seen
 * gone or dead. A change is what differs from the last answer for that domid, state or
 * incarnation: the harness replaces dom-N on every state change, so a new inode hints that a
 * domain died and came back between two polls. Only a hint (a freed inode number is soon reused);
 * the harness never does that without a query in between: XS_INTRODUCE makes xenstored call
 * xenmanage_get_domain_info, which records the domain alive again.
 */
#include "fakexen.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <xenctrl.h>

#include "domains.h"

#define XENMANAGE_GETDOMSTATE_STATE_EXIST    0x0001u
#define XENMANAGE_GETDOMSTATE_STATE_SHUTDOWN 0x0002u
#define XENMANAGE_GETDOMSTATE_STATE_DYING    0x0004u
#define XENMANAGE_GETDOMSTATE_STATE_DEAD     0x0008u
#define XENMANAGE_GETDOMSTATE_CAP_CONTROL    0x0001u
#define XENMANAGE_GETDOMSTATE_CAP_HARDWARE   0x0002u
#define XENMANAGE_GETDOMSTATE_CAP_XENSTORE   0x0004u

struct xentoollog_logger;

/* What the last answer about one domid said. */
struct seen {
    unsigned state;      /* 0: not existing */
    ino_t file;          /* inode of dom-N then, 0 without one */
    uint64_t incarnation;
};

typedef struct xenmanage_handle {
    struct seen seen[DOMID_FIRST_RESERVED];
    uint64_t next_incarnation;
} xenmanage_handle;

xenmanage_handle *xenmanage_open(struct xentoollog_logger *logger, unsigned int open_flags);
int xenmanage_close(xenmanage_handle *hdl);
int xenmanage_get_domain_info(xenmanage_handle *hdl, unsigned int domid, unsigned int *state,
                              unsigned int *caps, uint64_t *unique_id);
int xenmanage_poll_changed_domain(xenmanage_handle *hdl, unsigned int *domid, unsigned int *state,
                                  unsigned int *caps, uint64_t *unique_id);

xenmanage_handle *xenmanage_open(struct xentoollog_logger *logger, unsigned int open_flags)
{
    (void)logger;
    (void)open_flags;
    xenmanage_handle *h = calloc(1, sizeof(*h));
    if (h)
        h->next_incarnation = 1;
    return h;
}

int xenmanage_close(xenmanage_handle *hdl)
{
    free(hdl);
    return 0;
}

/* The domain's state now (0 when it does not exist) and the inode of its state file. */
static unsigned state_now(unsigned domid, ino_t *file)
{
    FX_REAL(stat);
    xc_domaininfo_t info;
    char path[PATH_MAX];
    struct stat st;
    snprintf(path, sizeof(path), "%s/dom-%u", fx_dir(), domid);
    *file = real_stat(path, &st) == 0 ? st.st_ino : 0;
    if (!fx_domain_info(domid, &info))
        return 0;
    unsigned s = XENMANAGE_GETDOMSTATE_STATE_EXIST;
    if (info.flags & XEN_DOMINF_shutdown)
        s |= XENMANAGE_GETDOMSTATE_STATE_SHUTDOWN;
    if (info.flags & XEN_DOMINF_dying)
        s |= XENMANAGE_GETDOMSTATE_STATE_DYING | XENMANAGE_GETDOMSTATE_STATE_DEAD;
    return s;
}

static int alive(unsigned state)
{
    return (state & XENMANAGE_GETDOMSTATE_STATE_EXIST) && !(state & XENMANAGE_GETDOMSTATE_STATE_DEAD);
}

/* Records and returns an answer about `domid`. A gone domain is answered as DEAD. */
static void answer(xenmanage_handle *h, unsigned domid, unsigned state, ino_t file, unsigned *state_out,
                   unsigned *caps, uint64_t *unique_id)
{
    struct seen *s = &h->seen[domid];
    if (state && (!s->incarnation || (alive(state) && !alive(s->state))))
        s->incarnation = h->next_incarnation++;
    s->state = state;
    s->file = file;
    if (state_out)
        *state_out = state ? state : XENMANAGE_GETDOMSTATE_STATE_DEAD;
    if (caps)
        *caps = domid == 0 ? XENMANAGE_GETDOMSTATE_CAP_CONTROL | XENMANAGE_GETDOMSTATE_CAP_HARDWARE
                             | XENMANAGE_GETDOMSTATE_CAP_XENSTORE : 0;
    if (unique_id)
        *unique_id = s->incarnation;
}

int xenmanage_get_domain_info(xenmanage_handle *hdl, unsigned int domid, unsigned int *state,
                              unsigned int *caps, uint64_t *unique_id)
{
    ino_t file;
    if (!hdl || domid >= DOMID_FIRST_RESERVED) {
        errno = EINVAL;
        return -1;
    }
    unsigned now = state_now(domid, &file);
    if (!now) {
        hdl->seen[domid].state = 0;
        hdl->seen[domid].file = 0;
        errno = ENOENT;
        return -1;
    }
    answer(hdl, domid, now, file, state, caps, unique_id);
    return 0;
}

int xenmanage_poll_changed_domain(xenmanage_handle *hdl, unsigned int *domid, unsigned int *state,
                                  unsigned int *caps, uint64_t *unique_id)
{
    static xc_domaininfo_t listed[DOMID_FIRST_RESERVED];
    static unsigned char exists[DOMID_FIRST_RESERVED];
    if (!hdl || !domid) {
        errno = EINVAL;
        return -1;
    }
    memset(exists, 0, sizeof(exists));
    int n = fx_domain_list(0, DOMID_FIRST_RESERVED, listed);
    for (int i = 0; i < n; i++)
        exists[listed[i].domain] = 1;
    for (unsigned d = 0; d < DOMID_FIRST_RESERVED; d++) {
        struct seen *s = &hdl->seen[d];
        if (!exists[d] && !s->state)
            continue;
        ino_t file = 0;
        unsigned now = exists[d] ? state_now(d, &file) : 0;
        if (now == s->state && file == s->file)
            continue;
        if (now && s->state && !alive(now) && !alive(s->state))
            continue; /* still dead, only rewritten */
        if (alive(now) && now == s->state && file != s->file) {
            /* the same state in a new file: it died (or was forgotten) and came back between two
               polls; report the death first, the new domain at the next poll */
            answer(hdl, d, XENMANAGE_GETDOMSTATE_STATE_EXIST | XENMANAGE_GETDOMSTATE_STATE_DEAD, s->file,
                   state, caps, unique_id);
            *domid = d;
            return 0;
        }
        *domid = d;
        answer(hdl, d, now, file, state, caps, unique_id);
        return 0;
    }
    errno = ENOENT;
    return -1;
}
