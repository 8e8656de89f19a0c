/*
 * libc interposers: every call by which the daemons name a file goes through fx_path(), so it is
 * moved into the state directory, refused, or checked not to write outside it.
 */
#include "fakexen.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

static int open_writes(int flags)
{
    return (flags & O_ACCMODE) != O_RDONLY || (flags & (O_CREAT | O_TRUNC | O_APPEND));
}

static int fopen_writes(const char *mode)
{
    return mode && strpbrk(mode, "wa+") != NULL;
}

static mode_t mode_arg(int flags, va_list ap)
{
    int needs = (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
    return needs ? (mode_t)va_arg(ap, int) : 0;
}

#define OPEN_LIKE(fn, ...) \
    do { \
        FX_REAL(fn); \
        va_list ap; \
        va_start(ap, flags); \
        mode_t mode = mode_arg(flags, ap); \
        va_end(ap); \
        const char *p = fx_path(path, open_writes(flags)); \
        if (!p) \
            return -1; \
        return real_##fn(__VA_ARGS__); \
    } while (0)

int open(const char *path, int flags, ...) { OPEN_LIKE(open, p, flags, mode); }
int open64(const char *path, int flags, ...) { OPEN_LIKE(open64, p, flags, mode); }

/* The policy is checked on the path the dirfd names, not on the current directory (writes.c). */
#define OPENAT_LIKE(fn) \
    do { \
        FX_REAL(fn); \
        char p[PATH_MAX]; \
        va_list ap; \
        va_start(ap, flags); \
        mode_t mode = mode_arg(flags, ap); \
        va_end(ap); \
        if (fx_path_at(dirfd, path, open_writes(flags), p) != 0) \
            return -1; \
        return real_##fn(AT_FDCWD, p, flags, mode); \
    } while (0)

int openat(int dirfd, const char *path, int flags, ...) { OPENAT_LIKE(openat); }
int openat64(int dirfd, const char *path, int flags, ...) { OPENAT_LIKE(openat64); }

int __openat_2(int dirfd, const char *path, int flags)
{
    return openat(dirfd, path, flags);
}

int __openat64_2(int dirfd, const char *path, int flags)
{
    return openat64(dirfd, path, flags);
}

/* The fortified entry points gcc emits for open() with a constant flags argument. */
int __open_2(const char *path, int flags)
{
    return open(path, flags);
}

int __open64_2(const char *path, int flags)
{
    return open64(path, flags);
}

int creat(const char *path, mode_t mode)
{
    return open(path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

FILE *fopen(const char *path, const char *mode)
{
    FX_REAL(fopen);
    const char *p = fx_path(path, fopen_writes(mode));
    return p ? real_fopen(p, mode) : NULL;
}

FILE *fopen64(const char *path, const char *mode)
{
    FX_REAL(fopen64);
    const char *p = fx_path(path, fopen_writes(mode));
    return p ? real_fopen64(p, mode) : NULL;
}

#define PATH_CALL(fn, writing, ...) \
    do { \
        FX_REAL(fn); \
        const char *p = fx_path(path, writing); \
        if (!p) \
            return -1; \
        return real_##fn(__VA_ARGS__); \
    } while (0)

int stat(const char *path, struct stat *st) { PATH_CALL(stat, 0, p, st); }
int stat64(const char *path, struct stat64 *st) { PATH_CALL(stat64, 0, p, st); }
int lstat(const char *path, struct stat *st) { PATH_CALL(lstat, 0, p, st); }
int lstat64(const char *path, struct stat64 *st) { PATH_CALL(lstat64, 0, p, st); }
int access(const char *path, int mode) { PATH_CALL(access, 0, p, mode); }
int unlink(const char *path) { PATH_CALL(unlink, 1, p); }
int rmdir(const char *path) { PATH_CALL(rmdir, 1, p); }
int chmod(const char *path, mode_t mode) { PATH_CALL(chmod, 1, p, mode); }
int truncate(const char *path, off_t len) { PATH_CALL(truncate, 1, p, len); }

/*
 * oxenstored creates every parent of its run directory ("/var", "/var/run", ...). Those exist,
 * and answering EEXIST, as the kernel would, is not a write.
 */
int mkdir(const char *path, mode_t mode)
{
    FX_REAL(mkdir);
    FX_REAL(stat);
    struct stat st;
    const char *seen = fx_path(path, 0);
    if (seen && real_stat(seen, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    const char *p = fx_path(path, 1);
    return p ? real_mkdir(p, mode) : -1;
}

int rename(const char *from, const char *to)
{
    FX_REAL(rename);
    char src[PATH_MAX];
    const char *p = fx_path(from, 1);
    if (!p)
        return -1;
    if (strlen(p) >= sizeof(src)) {
        errno = ENAMETOOLONG; /* never a cut-down, different source */
        return -1;
    }
    strcpy(src, p);
    const char *q = fx_path(to, 1);
    return q ? real_rename(src, q) : -1;
}

/*
 * A Unix socket address is a path too. Returns the address to use (possibly rewritten into
 * `buf`), or NULL with errno set when the path must not be used.
 */
static const struct sockaddr *socket_path(const struct sockaddr *sa, socklen_t *len,
                                          struct sockaddr_un *buf, int writing)
{
    const size_t base = offsetof(struct sockaddr_un, sun_path);
    char path[sizeof(buf->sun_path) + 1];

    if (!sa || sa->sa_family != AF_UNIX || *len <= base)
        return sa;
    size_t n = *len - base;
    if (n > sizeof(buf->sun_path))
        n = sizeof(buf->sun_path);
    memcpy(path, ((const struct sockaddr_un *)sa)->sun_path, n);
    path[n] = '\0';
    if (path[0] == '\0')
        return sa; /* abstract namespace: no file */
    const char *p = fx_path(path, writing);
    if (!p)
        return NULL;
    if (strcmp(p, path) == 0)
        return sa;
    if (strlen(p) >= sizeof(buf->sun_path)) {
        errno = ENAMETOOLONG;
        return NULL;
    }
    memset(buf, 0, sizeof(*buf));
    buf->sun_family = AF_UNIX;
    strcpy(buf->sun_path, p);
    *len = (socklen_t)(base + strlen(p) + 1);
    return (const struct sockaddr *)buf;
}

int bind(int fd, const struct sockaddr *sa, socklen_t len)
{
    FX_REAL(bind);
    struct sockaddr_un buf;
    const struct sockaddr *to = socket_path(sa, &len, &buf, 1);
    return to ? real_bind(fd, to, len) : -1;
}

int connect(int fd, const struct sockaddr *sa, socklen_t len)
{
    FX_REAL(connect);
    struct sockaddr_un buf;
    const struct sockaddr *to = socket_path(sa, &len, &buf, 0);
    return to ? real_connect(fd, to, len) : -1;
}

/*
 * oxenstored raises RLIMIT_NOFILE to 1M, which needs CAP_SYS_RESOURCE; it treats the EPERM as
 * fatal. Settle for the hard limit we have.
 */
static int clamped_setrlimit(int resource, const struct rlimit *want)
{
    FX_REAL(setrlimit);
    int rc = real_setrlimit(resource, want);
    struct rlimit have;
    if (rc == 0 || errno != EPERM || getrlimit(resource, &have) != 0)
        return rc;
    struct rlimit got = *want;
    if (got.rlim_max == RLIM_INFINITY || got.rlim_max > have.rlim_max)
        got.rlim_max = have.rlim_max;
    if (got.rlim_cur == RLIM_INFINITY || got.rlim_cur > got.rlim_max)
        got.rlim_cur = got.rlim_max;
    return real_setrlimit(resource, &got);
}

int setrlimit(__rlimit_resource_t resource, const struct rlimit *rl)
{
    return clamped_setrlimit(resource, rl);
}

/* On LP64 struct rlimit64 and struct rlimit have the same layout. */
int setrlimit64(__rlimit_resource_t resource, const struct rlimit64 *rl)
{
    return clamped_setrlimit(resource, (const struct rlimit *)rl);
}
