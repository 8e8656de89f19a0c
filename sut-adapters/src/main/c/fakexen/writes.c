/*
 * The write calls files.c does not cover: the *at family, links, ownership, times, special files
 * and temporary names. Each path goes through the same policy as open() (fx_path): moved into the
 * state directory, refused, or used as is; a path relative to a directory descriptor is checked
 * where the descriptor points, not against the current directory. glibc's own wrappers call each
 * other internally (mkfifo -> mknodat, remove -> unlink, utimes -> utimensat), past any
 * interposer, so the public names are wrapped one by one. oxenstored's OCaml runtime imports link,
 * linkat, symlink, mkfifo, chown, truncate64 and utimes; C xenstored none of these.
 *
 * Out of reach of any interposer: raw syscall(2) and glibc's internal opens (tmpfile's nameless
 * file); neither daemon imports syscall or tmpfile.
 */
#include "fakexen.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

int fx_path_at(int dirfd, const char *path, int writing, char *out)
{
    char joined[PATH_MAX];
    const char *name = path;

    if (!path) {
        errno = EFAULT;
        return -1;
    }
    if (path[0] != '/' && dirfd != AT_FDCWD) {
        char fd_link[32];
        char base[PATH_MAX];
        snprintf(fd_link, sizeof(fd_link), "/proc/self/fd/%d", dirfd);
        ssize_t n = readlink(fd_link, base, sizeof(base) - 1);
        if (n < 0) {
            errno = EBADF;
            return -1;
        }
        base[n] = '\0';
        if (base[0] != '/') { /* a pipe or socket: no directory to be relative to */
            errno = ENOTDIR;
            return -1;
        }
        int m = path[0] ? snprintf(joined, sizeof(joined), "%s/%s", strcmp(base, "/") ? base : "", path)
                        : snprintf(joined, sizeof(joined), "%s", base);
        if (m < 0 || (size_t)m >= sizeof(joined)) {
            errno = ENAMETOOLONG;
            return -1;
        }
        name = joined;
    }
    const char *p = fx_path(name, writing);
    if (!p)
        return -1;
    if (strlen(p) >= PATH_MAX) {
        errno = ENAMETOOLONG;
        return -1;
    }
    strcpy(out, p);
    return 0;
}

/* A call naming one path at a directory descriptor: the resolved path is used with AT_FDCWD. */
#define AT_CALL(fn, dirfd, writing, ...) \
    do { \
        FX_REAL(fn); \
        char p[PATH_MAX]; \
        if (fx_path_at(dirfd, path, writing, p) != 0) \
            return -1; \
        return real_##fn(__VA_ARGS__); \
    } while (0)

int unlinkat(int dirfd, const char *path, int flags) { AT_CALL(unlinkat, dirfd, 1, AT_FDCWD, p, flags); }
int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
    AT_CALL(fchmodat, dirfd, 1, AT_FDCWD, p, mode, flags);
}
int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
    AT_CALL(fchownat, dirfd, 1, AT_FDCWD, p, uid, gid, flags);
}
int mknodat(int dirfd, const char *path, mode_t mode, dev_t dev) { AT_CALL(mknodat, dirfd, 1, AT_FDCWD, p, mode, dev); }
int mkfifoat(int dirfd, const char *path, mode_t mode) { AT_CALL(mkfifoat, dirfd, 1, AT_FDCWD, p, mode); }
int utimensat(int dirfd, const char *path, const struct timespec times[2], int flags)
{
    /* glibc declares path nonnull (its futimens calls the syscall itself); fx_path_at fails closed on NULL */
    AT_CALL(utimensat, dirfd, 1, AT_FDCWD, p, times, flags);
}
int futimesat(int dirfd, const char *path, const struct timeval times[2])
{
    AT_CALL(futimesat, dirfd, 1, AT_FDCWD, p, times);
}

int remove(const char *path) { AT_CALL(remove, AT_FDCWD, 1, p); }
int lchmod(const char *path, mode_t mode) { AT_CALL(lchmod, AT_FDCWD, 1, p, mode); }
int chown(const char *path, uid_t uid, gid_t gid) { AT_CALL(chown, AT_FDCWD, 1, p, uid, gid); }
int lchown(const char *path, uid_t uid, gid_t gid) { AT_CALL(lchown, AT_FDCWD, 1, p, uid, gid); }
int truncate64(const char *path, off64_t len) { AT_CALL(truncate64, AT_FDCWD, 1, p, len); }
int mknod(const char *path, mode_t mode, dev_t dev) { AT_CALL(mknod, AT_FDCWD, 1, p, mode, dev); }
int mkfifo(const char *path, mode_t mode) { AT_CALL(mkfifo, AT_FDCWD, 1, p, mode); }
int utime(const char *path, const struct utimbuf *times) { AT_CALL(utime, AT_FDCWD, 1, p, times); }
int utimes(const char *path, const struct timeval times[2]) { AT_CALL(utimes, AT_FDCWD, 1, p, times); }
int lutimes(const char *path, const struct timeval times[2]) { AT_CALL(lutimes, AT_FDCWD, 1, p, times); }
int creat64(const char *path, mode_t mode) { AT_CALL(creat64, AT_FDCWD, 1, p, mode); }

int setxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
    AT_CALL(setxattr, AT_FDCWD, 1, p, name, value, size, flags);
}
int lsetxattr(const char *path, const char *name, const void *value, size_t size, int flags)
{
    AT_CALL(lsetxattr, AT_FDCWD, 1, p, name, value, size, flags);
}
int removexattr(const char *path, const char *name) { AT_CALL(removexattr, AT_FDCWD, 1, p, name); }
int lremovexattr(const char *path, const char *name) { AT_CALL(lremovexattr, AT_FDCWD, 1, p, name); }

/* Like mkdir() in files.c: an existing directory answers EEXIST without counting as a write. */
int mkdirat(int dirfd, const char *path, mode_t mode)
{
    FX_REAL(mkdirat);
    FX_REAL(stat);
    char p[PATH_MAX];
    struct stat st;
    if (fx_path_at(dirfd, path, 0, p) == 0 && real_stat(p, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    if (fx_path_at(dirfd, path, 1, p) != 0)
        return -1;
    return real_mkdirat(AT_FDCWD, p, mode);
}

/* Both names of a rename or a hard link are writes: a link to a file outside is a way to write it. */
static int two_paths(int from_fd, const char *from, int to_fd, const char *to, char *p, char *q)
{
    return fx_path_at(from_fd, from, 1, p) == 0 && fx_path_at(to_fd, to, 1, q) == 0 ? 0 : -1;
}

int renameat(int from_fd, const char *from, int to_fd, const char *to)
{
    FX_REAL(renameat);
    char p[PATH_MAX], q[PATH_MAX];
    return two_paths(from_fd, from, to_fd, to, p, q) ? -1 : real_renameat(AT_FDCWD, p, AT_FDCWD, q);
}

int renameat2(int from_fd, const char *from, int to_fd, const char *to, unsigned int flags)
{
    FX_REAL(renameat2);
    char p[PATH_MAX], q[PATH_MAX];
    return two_paths(from_fd, from, to_fd, to, p, q) ? -1 : real_renameat2(AT_FDCWD, p, AT_FDCWD, q, flags);
}

int link(const char *from, const char *to)
{
    FX_REAL(link);
    char p[PATH_MAX], q[PATH_MAX];
    return two_paths(AT_FDCWD, from, AT_FDCWD, to, p, q) ? -1 : real_link(p, q);
}

int linkat(int from_fd, const char *from, int to_fd, const char *to, int flags)
{
    FX_REAL(linkat);
    char p[PATH_MAX], q[PATH_MAX];
    /* with AT_EMPTY_PATH and "" the source is the descriptor itself: keep it so */
    if ((flags & AT_EMPTY_PATH) && !from[0]) {
        if (fx_path_at(from_fd, from, 1, p) != 0 || fx_path_at(to_fd, to, 1, q) != 0)
            return -1;
        return real_linkat(from_fd, from, AT_FDCWD, q, flags);
    }
    return two_paths(from_fd, from, to_fd, to, p, q) ? -1 : real_linkat(AT_FDCWD, p, AT_FDCWD, q, flags);
}

/*
 * A symbolic link is checked at both ends: the link is written, and so is whatever a later write
 * through it reaches. A relative target is checked from the link's own directory; an absolute
 * one is moved like any other path (a link to /var/run/xenstored/x points into the directory).
 */
int symlinkat(const char *target, int dirfd, const char *path)
{
    FX_REAL(symlinkat);
    char p[PATH_MAX], t[PATH_MAX], from_link[PATH_MAX];
    if (fx_path_at(dirfd, path, 1, p) != 0)
        return -1;
    if (target[0] == '/')
        return fx_path_at(AT_FDCWD, target, 1, t) ? -1 : real_symlinkat(t, AT_FDCWD, p);
    const char *slash = strrchr(p, '/');
    int n = slash ? snprintf(from_link, sizeof(from_link), "%.*s/%s", (int)(slash - p), p, target)
                  : snprintf(from_link, sizeof(from_link), "%s", target);
    if (n < 0 || (size_t)n >= sizeof(from_link)) {
        errno = ENAMETOOLONG;
        return -1;
    }
    return fx_path_at(AT_FDCWD, from_link, 1, t) ? -1 : real_symlinkat(target, AT_FDCWD, p);
}

int symlink(const char *target, const char *path)
{
    return symlinkat(target, AT_FDCWD, path);
}

FILE *freopen(const char *path, const char *mode, FILE *stream)
{
    FX_REAL(freopen);
    char p[PATH_MAX];
    /* a NULL path reopens the stream's own file with a new mode */
    if (path && fx_path_at(AT_FDCWD, path, mode && strpbrk(mode, "wa+") != NULL, p) != 0)
        return NULL;
    return real_freopen(path ? p : NULL, mode, stream);
}

FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
    FX_REAL(freopen64);
    char p[PATH_MAX];
    if (path && fx_path_at(AT_FDCWD, path, mode && strpbrk(mode, "wa+") != NULL, p) != 0)
        return NULL;
    return real_freopen64(path ? p : NULL, mode, stream);
}

/*
 * mkstemp and friends create a file named after their template: the template is checked like a
 * path, and when it is moved, the random letters the real call chose are copied back into the
 * caller's template, which is all it learns of the name.
 */
static int temp_name(const char *template, int suffix_len, char *p)
{
    size_t n = template ? strlen(template) : 0;
    if (n < 6 + (size_t)suffix_len) {
        errno = EINVAL;
        return -1;
    }
    return fx_path_at(AT_FDCWD, template, 1, p);
}

static void copy_letters_back(char *template, const char *p, int suffix_len)
{
    size_t tn = strlen(template), pn = strlen(p);
    memcpy(template + tn - 6 - suffix_len, p + pn - 6 - suffix_len, 6);
}

#define MKSTEMP_LIKE(call, suffix_len) \
    do { \
        char p[PATH_MAX]; \
        if (temp_name(template, suffix_len, p) != 0) \
            return -1; \
        int fd = call; \
        if (fd >= 0) \
            copy_letters_back(template, p, suffix_len); \
        return fd; \
    } while (0)

int mkstemp(char *template) { FX_REAL(mkstemp); MKSTEMP_LIKE(real_mkstemp(p), 0); }
int mkstemp64(char *template) { FX_REAL(mkstemp64); MKSTEMP_LIKE(real_mkstemp64(p), 0); }
int mkostemp(char *template, int flags) { FX_REAL(mkostemp); MKSTEMP_LIKE(real_mkostemp(p, flags), 0); }
int mkostemp64(char *template, int flags) { FX_REAL(mkostemp64); MKSTEMP_LIKE(real_mkostemp64(p, flags), 0); }
int mkstemps(char *template, int suffix_len)
{
    FX_REAL(mkstemps);
    MKSTEMP_LIKE(real_mkstemps(p, suffix_len), suffix_len);
}
int mkostemps(char *template, int suffix_len, int flags)
{
    FX_REAL(mkostemps);
    MKSTEMP_LIKE(real_mkostemps(p, suffix_len, flags), suffix_len);
}

char *mkdtemp(char *template)
{
    FX_REAL(mkdtemp);
    char p[PATH_MAX];
    if (temp_name(template, 0, p) != 0)
        return NULL;
    if (!real_mkdtemp(p))
        return NULL;
    copy_letters_back(template, p, 0);
    return template;
}
