/*
 * Process ancestry. The shim is inherited by whatever a daemon execs: oxenstored's
 * "live-update -f BINARY" forks and runs BINARY (with --help) to check its configuration, and that
 * child's parent is the daemon, not the harness. The parent-pid guard asks for the grandparent.
 */
#include "fakexen.h"
#include "lineage.h"

#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

pid_t fx_parent_of(pid_t pid)
{
    FX_REAL(open);
    char path[64], stat[512];
    snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
    int fd = real_open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    ssize_t n = read(fd, stat, sizeof(stat) - 1);
    close(fd);
    if (n <= 0)
        return -1;
    stat[n] = '\0';
    /* "PID (COMM) STATE PPID ...": COMM may hold spaces and parentheses, so scan from the last ')' */
    const char *after_comm = strrchr(stat, ')');
    int ppid;
    if (!after_comm || sscanf(after_comm + 1, " %*c %d", &ppid) != 1)
        return -1;
    return (pid_t)ppid;
}
