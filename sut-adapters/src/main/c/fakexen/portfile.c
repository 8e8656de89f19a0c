/*
 * The event-channel port table on disk, so that it survives a live update's exec() (see
 * portfile.h). One line per fact:
 *   dom-exc PORT               the port bound to VIRQ_DOM_EXC
 *   port PORT KIND DOMID       a bound port (KIND: interdomain, virq, unbound)
 * Written to a temporary file and renamed over the old one on every bind and unbind: a daemon
 * binds a handful of ports per domain, so the cost is a few syscalls per INTRODUCE or RELEASE.
 */
#include "fakexen.h"
#include "portfile.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static void table_path(char *out, size_t size, const char *suffix)
{
    snprintf(out, size, "%s/%s%s", fx_dir(), FX_PORTFILE, suffix);
}

FILE *fx_ports_begin(uint32_t dom_exc_port)
{
    FX_REAL(open);
    char tmp[PATH_MAX];
    table_path(tmp, sizeof(tmp), ".new");
    /* the real open(): the path is inside the state directory by construction */
    int fd = real_open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fx_log("cannot save the event-channel ports to %s: %s", tmp, strerror(errno));
        return NULL;
    }
    FILE *table = fdopen(fd, "w");
    if (!table) {
        close(fd);
        return NULL;
    }
    fprintf(table, "dom-exc %u\n", dom_exc_port);
    return table;
}

void fx_ports_put(FILE *table, uint32_t port, const char *kind, uint32_t domid)
{
    fprintf(table, "port %u %s %u\n", port, kind, domid);
}

void fx_ports_commit(FILE *table)
{
    FX_REAL(rename);
    char tmp[PATH_MAX], path[PATH_MAX];
    table_path(tmp, sizeof(tmp), ".new");
    table_path(path, sizeof(path), "");
    if (ferror(table) | fclose(table)) {
        fx_log("cannot write %s: %s", tmp, strerror(errno));
        return;
    }
    if (real_rename(tmp, path) != 0)
        fx_log("cannot rename %s: %s", tmp, strerror(errno));
}

uint32_t fx_ports_load(fx_port_sink *sink, void *ctx)
{
    FX_REAL(fopen);
    char path[PATH_MAX], line[128], kind[32];
    unsigned a, b;
    uint32_t dom_exc = 0;
    table_path(path, sizeof(path), "");
    FILE *table = real_fopen(path, "r");
    if (!table) {
        /* a daemon that re-opens a kept fd without a saved table cannot get its ports back */
        fx_log("no event-channel ports to restore from %s: %s", path, strerror(errno));
        return 0;
    }
    while (fgets(line, sizeof(line), table)) {
        if (sscanf(line, "dom-exc %u", &a) == 1)
            dom_exc = a;
        else if (sscanf(line, "port %u %31s %u", &a, kind, &b) == 3)
            sink(ctx, a, kind, b);
    }
    fclose(table);
    return dom_exc;
}
