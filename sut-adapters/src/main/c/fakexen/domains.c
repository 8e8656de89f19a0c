/*
 * Fake domains: a domain's existence and run state come from the text file dom-<domid>, its
 * xenstore page is the file ring-<domid>, both in the state directory. libxenctrl's domain
 * queries and the grant/foreign mappings are answered from these files.
 */
#include "fakexen.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xen/sched.h>

#include "domains.h"

void *fx_map_ring(uint32_t domid)
{
    FX_REAL(open);
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s/ring-%u", fx_dir(), domid);
    fx_ensure_file(path, NULL, FX_RING_SIZE);
    int fd = real_open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    void *page = mmap(NULL, FX_RING_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
    close(fd);
    return page == MAP_FAILED ? NULL : page;
}

static int starts_with(const char *s, const char *word)
{
    return strncmp(s, word, strlen(word)) == 0;
}

/* XEN_DOMINF_* flags for a state word, or -1 for "dead" (no such domain). */
static int flags_of_state(const char *s)
{
    while (*s == ' ' || *s == '\t' || *s == '\n')
        s++;
    if (starts_with(s, "dead"))
        return -1;
    if (starts_with(s, "dying"))
        return XEN_DOMINF_dying;
    if (starts_with(s, "crashed"))
        return XEN_DOMINF_shutdown | (SHUTDOWN_crash << XEN_DOMINF_shutdownshift);
    if (starts_with(s, "shutdown")) {
        unsigned code = (unsigned)strtoul(s + strlen("shutdown"), NULL, 0);
        return XEN_DOMINF_shutdown | ((code & XEN_DOMINF_shutdownmask) << XEN_DOMINF_shutdownshift);
    }
    if (starts_with(s, "paused"))
        return XEN_DOMINF_paused;
    if (starts_with(s, "blocked"))
        return XEN_DOMINF_blocked;
    return XEN_DOMINF_running; /* "running", or an empty file */
}

int fx_domain_info(uint32_t domid, xc_domaininfo_t *info)
{
    FX_REAL(open);
    FX_REAL(stat);
    char path[PATH_MAX];
    int flags = XEN_DOMINF_running;

    if (domid >= DOMID_FIRST_RESERVED)
        return 0;
    if (domid != 0) {
        snprintf(path, sizeof(path), "%s/dom-%u", fx_dir(), domid);
        int fd = real_open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            char text[128];
            ssize_t n = read(fd, text, sizeof(text) - 1);
            close(fd);
            text[n > 0 ? n : 0] = '\0';
            flags = flags_of_state(text);
            if (flags < 0)
                return 0;
        } else {
            struct stat st;
            snprintf(path, sizeof(path), "%s/ring-%u", fx_dir(), domid);
            if (real_stat(path, &st) != 0)
                return 0; /* a domain without a state file exists while its ring does */
        }
    }
    memset(info, 0, sizeof(*info));
    info->domain = domid;
    info->flags = (uint32_t)flags;
    info->tot_pages = 256;
    info->max_pages = 256;
    info->nr_online_vcpus = 1;
    return 1;
}

static int by_value(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

/* The domids >= first that have a dom- or ring- file, plus dom0, sorted. */
static int candidate_domids(uint32_t first, uint32_t *ids, int max)
{
    int n = 0;
    if (first == 0 && max > 0)
        ids[n++] = 0;
    DIR *dir = opendir(fx_dir());
    if (!dir)
        return n;
    struct dirent *e;
    while ((e = readdir(dir)) != NULL && n < max) {
        const char *num = starts_with(e->d_name, "dom-") ? e->d_name + 4
                        : starts_with(e->d_name, "ring-") ? e->d_name + 5 : NULL;
        char *end;
        if (!num || !*num)
            continue;
        unsigned long id = strtoul(num, &end, 10);
        if (*end || id == 0 || id < first || id >= DOMID_FIRST_RESERVED)
            continue;
        int seen = 0;
        for (int i = 0; i < n && !seen; i++)
            seen = ids[i] == id;
        if (!seen)
            ids[n++] = (uint32_t)id;
    }
    closedir(dir);
    qsort(ids, (size_t)n, sizeof(ids[0]), by_value);
    return n;
}

int fx_domain_list(uint32_t first, unsigned max, xc_domaininfo_t *out)
{
    static uint32_t ids[DOMID_FIRST_RESERVED];
    unsigned got = 0;
    int n = candidate_domids(first, ids, DOMID_FIRST_RESERVED);
    for (int i = 0; i < n && got < max; i++)
        if (fx_domain_info(ids[i], &out[got]))
            got++;
    return (int)got;
}
