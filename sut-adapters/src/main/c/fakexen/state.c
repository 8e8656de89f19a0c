/*
 * The private state directory and the path policy: which paths the daemons name are moved into
 * the directory, which are refused, and the check that nothing is written anywhere else.
 */
#include "fakexen.h"
#include "lineage.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

/* Exit status when the shim refuses to run (EX_CONFIG in sysexits.h). */
#define REFUSE_STATUS 78

/* short by construction: a Unix socket path inside it must fit in sun_path */
static char state_dir[sizeof(((struct sockaddr_un *)0)->sun_path)];
static size_t state_dir_len;
static int debug_enabled;

const char *fx_dir(void)
{
    return state_dir;
}

void fx_log(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "fakexen[%d]: ", (int)getpid());
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
}

#define DEBUG(...) do { if (debug_enabled) fx_log(__VA_ARGS__); } while (0)

static void refuse(const char *why, const char *value)
{
    fprintf(stderr, "fakexen: refusing to run: %s ('%s'). The shim needs FAKEXEN_DIR, a private "
            "state directory: an absolute path to an existing directory owned by this user and "
            "writable by nobody else.\n", why, value ? value : "unset");
    _exit(REFUSE_STATUS);
}

static int has_dotdot(const char *p)
{
    for (const char *s = p; (s = strstr(s, "..")) != NULL; s += 2) {
        int starts = s == p || s[-1] == '/';
        int ends = s[2] == '\0' || s[2] == '/';
        if (starts && ends)
            return 1;
    }
    return 0;
}

static pid_t expected_parent;

static void *parent_watch(void *unused)
{
    (void)unused;
    for (;;) {
        if (getppid() != expected_parent) {
            fx_log("the harness (pid %d) is gone; exiting", (int)expected_parent);
            _exit(0);
        }
        usleep(200 * 1000);
    }
    return NULL;
}

/*
 * With FAKEXEN_PARENT_PID set, exit as soon as that process is no longer our parent: a harness
 * killed by SIGKILL runs no cleanup, and its daemons must not outlive it. The watcher thread
 * blocks every signal, so the daemon's own threads keep receiving them (oxenstored notices
 * SIGTERM only in the thread that is interrupted).
 */
static void watch_parent(void)
{
    const char *want = getenv("FAKEXEN_PARENT_PID");
    pthread_t thread;
    sigset_t all, old;
    if (!want || !*want)
        return;
    expected_parent = (pid_t)strtol(want, NULL, 10);
    if (getppid() != expected_parent) {
        /* a helper the daemon runs with the shim inherited (oxenstored's live-update config
         * check): allowed when the harness is its grandparent; it lives as long as its parent */
        if (fx_parent_of(getppid()) != expected_parent)
            refuse("FAKEXEN_PARENT_PID is neither this process's parent nor its grandparent", want);
        expected_parent = getppid();
    }
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    if (pthread_create(&thread, NULL, parent_watch, NULL) == 0)
        pthread_detach(thread);
    else
        fx_log("cannot start the parent watcher: %s", strerror(errno));
    pthread_sigmask(SIG_SETMASK, &old, NULL);
}

/*
 * Without a private directory the daemons would fall back to the host's paths (the system
 * socket, /proc/xen): refuse before main() runs rather than touch them.
 */
__attribute__((constructor)) static void check_state_dir(void)
{
    const char *d = getenv("FAKEXEN_DIR");
    const char *dbg = getenv("FAKEXEN_DEBUG");
    struct stat st;

    debug_enabled = dbg && *dbg && strcmp(dbg, "0") != 0;
    if (!d || !*d)
        refuse("FAKEXEN_DIR is not set", d);
    if (d[0] != '/' || has_dotdot(d) || strcmp(d, "/") == 0)
        refuse("FAKEXEN_DIR is not an absolute path below /", d);
    if (strlen(d) + sizeof("/notify.fifo") > sizeof(((struct sockaddr_un *)0)->sun_path))
        refuse("FAKEXEN_DIR is too long for a Unix socket path inside it", d);
    if (stat(d, &st) != 0 || !S_ISDIR(st.st_mode))
        refuse("FAKEXEN_DIR is not an existing directory", d);
    if (st.st_uid != geteuid() || (st.st_mode & (S_IWGRP | S_IWOTH)))
        refuse("FAKEXEN_DIR is not private (another owner, or writable by group or others)", d);
    snprintf(state_dir, sizeof(state_dir), "%s", d);
    state_dir_len = strlen(state_dir);
    while (state_dir_len > 1 && state_dir[state_dir_len - 1] == '/')
        state_dir[--state_dir_len] = '\0';
    watch_parent();
}

void fx_ensure_file(const char *path, const char *content, off_t size)
{
    FX_REAL(open);
    struct stat st;
    int fd = real_open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
    if (fd < 0) {
        DEBUG("cannot create %s: %s", path, strerror(errno));
        return;
    }
    if (fstat(fd, &st) == 0 && st.st_size == 0) {
        fchmod(fd, 0666); /* the harness may run as another user than the daemon */
        if (content && write(fd, content, strlen(content)) < 0)
            DEBUG("cannot write %s: %s", path, strerror(errno));
    }
    if (size && fstat(fd, &st) == 0 && st.st_size < size && ftruncate(fd, size) != 0)
        DEBUG("cannot size %s: %s", path, strerror(errno));
    close(fd);
}

/* `p` equals `prefix` or continues below it; *rest is what follows. */
static int under(const char *p, const char *prefix, const char **rest)
{
    size_t n = strlen(prefix);
    if (strncmp(p, prefix, n) != 0 || (p[n] != '\0' && p[n] != '/'))
        return 0;
    if (rest)
        *rest = p + n;
    return 1;
}

static int inside_state_dir(const char *p)
{
    if (p[0] != '/') {
        char cwd[PATH_MAX];
        return !has_dotdot(p) && getcwd(cwd, sizeof(cwd)) && under(cwd, state_dir, NULL);
    }
    return !has_dotdot(p) && under(p, state_dir, NULL);
}

/* At most this many bytes of a refused path are logged, so each denied.log line stays short. */
#define DENIAL_PATH_SHOWN 1024

/*
 * One line per refusal whatever the path: at most DENIAL_PATH_SHOWN bytes of it, with newlines,
 * other control bytes, non-ASCII and backslashes escaped as \xHH (a path may hold any byte but
 * NUL, and a newline in it must not start a second record), then its full length when cut.
 */
static void record_denial(const char *path)
{
    FX_REAL(open);
    static const char prefix[] = "write outside the state directory refused: ";
    char line[sizeof(prefix) + 4 * DENIAL_PATH_SHOWN + 64];
    char log[PATH_MAX];
    size_t n = sizeof(prefix) - 1;
    size_t total = strlen(path);
    size_t i;

    memcpy(line, prefix, n);
    for (i = 0; i < total && i < DENIAL_PATH_SHOWN; i++) {
        unsigned char c = (unsigned char)path[i];
        if (c < 0x20 || c >= 0x7f || c == '\\')
            n += (size_t)sprintf(line + n, "\\x%02x", c);
        else
            line[n++] = (char)c;
    }
    if (i < total)
        n += (size_t)sprintf(line + n, "... (%zu bytes)", total);
    line[n++] = '\n';
    fx_log("%.*s", (int)(n - 1), line);
    snprintf(log, sizeof(log), "%s/denied.log", state_dir);
    int fd = real_open(log, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
        if (write(fd, line, n) < 0)
            DEBUG("cannot record denial: %s", strerror(errno));
        close(fd);
    }
}

static __thread char buffers[2][PATH_MAX];
static __thread int next_buffer;

/* What redirect() answers for a host path whose redirected form does not fit in PATH_MAX. */
static const char too_long[] = "";

/*
 * A path inside the state directory, or too_long: cutting it to fit would name another file,
 * so a path that does not fit fails closed instead.
 */
static const char *in_state_dir(const char *fmt, const char *arg)
{
    char *out = buffers[next_buffer];
    next_buffer ^= 1;
    int n = snprintf(out, PATH_MAX, fmt, state_dir, arg);
    return n < 0 || n >= PATH_MAX ? too_long : out;
}

static const char *redirect(const char *p)
{
    const char *rest;
    const char *out;

    if (strcmp(p, "/proc/xen/xsd_kva") == 0 || strcmp(p, "/dev/xen/xenstored") == 0) {
        out = in_state_dir("%s/ring-0%s", "");
        fx_ensure_file(out, NULL, FX_RING_SIZE);
        return out;
    }
    if (strcmp(p, "/proc/xen/xsd_port") == 0) {
        const char *port = getenv("FAKEXEN_DOM0_PORT");
        out = in_state_dir("%s/xsd_port%s", "");
        /* no newline: oxenstored parses the whole file with int_of_string */
        fx_ensure_file(out, port && *port ? port : "1", 0);
        return out;
    }
    /* oxenstored's socket path is compiled in; C xenstored honours XENSTORED_PATH instead */
    if (strcmp(p, "/var/run/xenstored/socket") == 0 || strcmp(p, "/run/xenstored/socket") == 0)
        return in_state_dir("%s/socket%s", "");
    if (under(p, "/var/run/xenstored", &rest) || under(p, "/run/xenstored", &rest)
            || under(p, "/var/lib/xenstored", &rest) || under(p, "/var/run/xen", &rest)
            || under(p, "/run/xen", &rest))
        return in_state_dir("%s%s", rest);
    /* C xenstored 4.18+ creates its state directory here at start */
    if (under(p, "/var/lib/xen/xenstore", &rest))
        return in_state_dir("%s%s", rest);
    if (under(p, "/var/log/xen", &rest))
        return in_state_dir("%s/log%s", rest);
    /* syslog(3) connects here; keep the daemons' messages out of the host's log */
    if (strcmp(p, "/dev/log") == 0)
        return in_state_dir("%s/syslog%s", "");
    return NULL;
}

const char *fx_path(const char *path, int writing)
{
    const char *p = path;
    if (!path || !state_dir_len)
        return path;
    const char *mapped = writing ? NULL : fx_mapped(path); /* pathmap.c: a daemon away from its prefix */
    if (mapped)
        return mapped;
    if (path[0] == '/') {
        const char *moved = redirect(path);
        if (moved == too_long) {
            DEBUG("%.64s... refused: too long once moved into the state directory", path);
            errno = ENAMETOOLONG;
            return NULL;
        }
        if (moved) {
            DEBUG("%s -> %s", path, moved);
            p = moved;
        } else if (under(path, "/dev/xen", NULL) || under(path, "/proc/xen", NULL)) {
            DEBUG("%s refused: the real Xen interfaces are never used", path);
            errno = ENOENT;
            return NULL;
        }
    }
    if (writing && !inside_state_dir(p) && strcmp(p, "/dev/null") != 0) {
        record_denial(p);
        errno = EACCES;
        return NULL;
    }
    return p;
}
