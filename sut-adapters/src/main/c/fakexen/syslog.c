/*
 * syslog(3), kept in the state directory: each message becomes a line of syslog.log there, so
 * it shows in the harness's log tails and never in the host's log. (Redirecting /dev/log is not
 * enough: glibc's syslog connects through an internal alias the interposers cannot see.) C
 * xenstored logs protocol violations and quota trouble this way; oxenstored can be configured to.
 */
#include "fakexen.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>

static const char *const level_names[] = {
    "emerg", "alert", "crit", "err", "warning", "notice", "info", "debug",
};

static void log_line(int priority, const char *fmt, va_list ap)
{
    FX_REAL(open);
    char line[2048];
    char path[PATH_MAX];
    int saved = errno; /* %m needs the caller's errno */
    int n = snprintf(line, sizeof(line), "%s: ", level_names[LOG_PRI(priority)]);
    errno = saved;
    vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
    size_t len = strlen(line);
    if (len == 0 || line[len - 1] != '\n')
        line[len++] = '\n';
    snprintf(path, sizeof(path), "%s/syslog.log", fx_dir());
    int fd = real_open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (write(fd, line, len) < 0)
            fx_log("cannot write %s: %s", path, strerror(errno));
        close(fd);
    }
    errno = saved;
}

void openlog(const char *ident, int option, int facility)
{
    (void)ident;
    (void)option;
    (void)facility;
}

void closelog(void)
{
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
    log_line(priority, fmt, ap);
}

void syslog(int priority, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    log_line(priority, fmt, ap);
    va_end(ap);
}

/* The fortified entry points gcc emits with _FORTIFY_SOURCE (both daemons import these). */
void __vsyslog_chk(int priority, int flag, const char *fmt, va_list ap)
{
    (void)flag;
    log_line(priority, fmt, ap);
}

void __syslog_chk(int priority, int flag, const char *fmt, ...)
{
    va_list ap;
    (void)flag;
    va_start(ap, fmt);
    log_line(priority, fmt, ap);
    va_end(ap);
}
