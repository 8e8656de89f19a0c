/*
 * Read-only path map for daemons unpacked away from the prefix compiled into them (a newer Xen's
 * packages extracted into a private cache): FAKEXEN_MAP="FROM=TO[:FROM=TO...]" makes every read of
 * a path under FROM read the same path under TO. oxenstored 4.18+ lists and loads its
 * domain-information plugin from a compiled-in directory (xsd_glue/xenctrl_plugin under its
 * libexec dir), so opendir() and dlopen() are interposed here as well; and it records its own
 * path (Sys.executable_name, from /proc/self/exe) in /tool/xenstored, which the reverse map keeps
 * at the installed path, as on a host with the package. Writes are never mapped.
 */
#include "fakexen.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static __thread char mapped_buffers[2][PATH_MAX];
static __thread int next_mapped;

/* Length of `prefix` when `p` equals it or continues below it, else 0. */
static size_t below(const char *p, const char *prefix, size_t n)
{
    if (n == 0 || strncmp(p, prefix, n) != 0 || (p[n] != '\0' && p[n] != '/'))
        return 0;
    return n;
}

/*
 * Rewrites `path` by the first map entry whose `from` side (or `to` side, when `reverse`) holds it.
 * Returns NULL when no entry applies or the result does not fit.
 */
static const char *map_path(const char *path, int reverse)
{
    const char *map = getenv("FAKEXEN_MAP");
    if (!path || path[0] != '/' || !map)
        return NULL;
    while (*map) {
        const char *eq = strchr(map, '=');
        const char *end = strchr(map, ':');
        if (!end)
            end = map + strlen(map);
        if (eq && eq < end) {
            const char *side = reverse ? eq + 1 : map;
            size_t side_len = reverse ? (size_t)(end - eq - 1) : (size_t)(eq - map);
            const char *other = reverse ? map : eq + 1;
            int other_len = reverse ? (int)(eq - map) : (int)(end - eq - 1);
            size_t n = below(path, side, side_len);
            if (n) {
                char *out = mapped_buffers[next_mapped];
                next_mapped ^= 1;
                int len = snprintf(out, PATH_MAX, "%.*s%s", other_len, other, path + n);
                return len > 0 && len < PATH_MAX ? out : NULL;
            }
        }
        map = *end ? end + 1 : end;
    }
    return NULL;
}

const char *fx_mapped(const char *path)
{
    return map_path(path, 0);
}

DIR *opendir(const char *path)
{
    FX_REAL(opendir);
    const char *p = fx_path(path, 0);
    return p ? real_opendir(p) : NULL;
}

void *dlopen(const char *path, int flags)
{
    FX_REAL(dlopen);
    const char *p = path && path[0] == '/' ? fx_mapped(path) : NULL;
    return real_dlopen(p ? p : path, flags);
}

ssize_t readlink(const char *restrict path, char *restrict buf, size_t size)
{
    FX_REAL(readlink);
    ssize_t n = real_readlink(path, buf, size);
    if (n <= 0 || (size_t)n >= size || strcmp(path, "/proc/self/exe") != 0)
        return n;
    char target[PATH_MAX];
    memcpy(target, buf, (size_t)n);
    target[n] = '\0';
    const char *installed = map_path(target, 1);
    if (!installed || strlen(installed) > size)
        return n;
    memcpy(buf, installed, strlen(installed));
    return (ssize_t)strlen(installed);
}
