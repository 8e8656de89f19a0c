/*
 * Calls every write call the fake-Xen shim covers, run under the shim by ShimWriteCallsTest with
 * the state directory as its current directory.
 *
 * usage: write-calls OUTSIDE_DIR
 *   OUTSIDE_DIR  an existing directory outside the state directory holding one file, `fixture`
 *
 * Prints one line per call: "refused NAME FORM RC ERRNO" for the calls aimed outside the state
 * directory (FORM: short path, 10,000-byte path, or a name relative to a descriptor of
 * OUTSIDE_DIR), "allowed NAME RC ERRNO [DETAIL]" for the calls that stay inside it or are moved
 * into it, "toolong NAME RC ERRNO" for a moved path that no longer fits in PATH_MAX. The test
 * reads the verdicts; this program judges nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <sys/xattr.h>
#include <unistd.h>
#include <utime.h>

#define LONG_PATH_BYTES 10000

static char outside[PATH_MAX];
static char long_path[LONG_PATH_BYTES + 1];
static int outside_fd;

static void report(const char *verdict, const char *name, const char *form, long rc, int err)
{
    printf("%s %s %s %ld %s\n", verdict, name, form, rc, rc < 0 ? strerrorname_np(err) : "-");
    fflush(stdout);
}

/* The short outside path of a call: OUTSIDE/new-NAME, or OUTSIDE/fixture for one that changes a file. */
static const char *out_path(const char *name, int existing)
{
    static char buf[PATH_MAX + 64];
    if (existing)
        snprintf(buf, sizeof(buf), "%s/fixture", outside);
    else
        snprintf(buf, sizeof(buf), "%s/new-%s", outside, name);
    return buf;
}

static const char *out_name(const char *name, int existing)
{
    static char buf[64];
    snprintf(buf, sizeof(buf), existing ? "fixture" : "new-%s", name);
    return existing ? "fixture" : buf;
}

/* A call on one path: tried with the short outside path and the 10,000-byte one. */
#define ON_PATH(name, existing, call) \
    do { \
        const char *path; \
        long rc; \
        path = out_path(name, existing); \
        errno = 0; rc = (long)(call); report("refused", name, "short", rc, errno); \
        path = long_path; \
        errno = 0; rc = (long)(call); report("refused", name, "long", rc, errno); \
    } while (0)

/* An *at call: the two paths above, then a name relative to a descriptor of the outside directory. */
#define ON_AT(name, existing, call) \
    do { \
        int dirfd = AT_FDCWD; \
        ON_PATH(name, existing, call); \
        const char *path = out_name(name, existing); \
        dirfd = outside_fd; \
        errno = 0; long rc = (long)(call); report("refused", name, "dirfd", rc, errno); \
    } while (0)

#define ALLOWED(name, call) \
    do { \
        errno = 0; long rc = (long)(call); report("allowed", name, "-", rc, errno); \
    } while (0)

static long bind_to(const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    int fd = socket(AF_UNIX, SOCK_STREAM, 0);
    snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
    long rc = bind(fd, (struct sockaddr *)&sa, sizeof(sa));
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

static char *template_of(const char *path)
{
    char *template = malloc(strlen(path) + 7);
    if (!template)
        abort();
    strcpy(template, path);
    strcat(template, "XXXXXX");
    return template;
}

static long mkstemp_at(const char *path)
{
    char *template = template_of(path);
    long rc = mkstemp(template);
    int err = errno;
    free(template);
    errno = err;
    return rc;
}

static long mkdtemp_at(const char *path)
{
    char *template = template_of(path);
    long rc = mkdtemp(template) ? 0 : -1;
    int err = errno;
    free(template);
    errno = err;
    return rc;
}

static long fopen_w(const char *path)
{
    FILE *f = fopen(path, "w");
    if (f)
        fclose(f);
    return f ? 0 : -1;
}

static long freopen_w(const char *path)
{
    FILE *f = fopen("freopen-base", "w");
    FILE *g = freopen(path, "w", f);
    int err = errno;
    fclose(g ? g : f);
    errno = err;
    return g ? 0 : -1;
}

int main(int argc, char **argv)
{
    const char *state_dir = getenv("FAKEXEN_DIR");
    struct timeval tv[2] = { { 1, 0 }, { 1, 0 } };
    struct timespec ts[2] = { { 1, 0 }, { 1, 0 } };
    struct utimbuf ub = { 1, 1 };

    if (argc != 2 || !state_dir) {
        fprintf(stderr, "usage: write-calls OUTSIDE_DIR (under the shim, FAKEXEN_DIR set)\n");
        return 2;
    }
    snprintf(outside, sizeof(outside), "%s", argv[1]);
    outside_fd = open(outside, O_RDONLY | O_DIRECTORY);
    if (outside_fd < 0) {
        perror(outside);
        return 2;
    }
    /* 10,000 bytes below the outside directory; the newline must not start a line of denied.log */
    int n = snprintf(long_path, sizeof(long_path), "%s/x\nforged denial line ", outside);
    memset(long_path + n, 'a', LONG_PATH_BYTES - (size_t)n);
    long_path[LONG_PATH_BYTES] = '\0';

    /* sources inside the state directory for the renames and links aimed outside */
    if (fopen_w("inside-file") != 0) {
        perror("inside-file");
        return 2;
    }

    ON_PATH("open", 0, open(path, O_WRONLY | O_CREAT, 0644));
    ON_PATH("open64", 0, open64(path, O_WRONLY | O_CREAT, 0644));
    ON_PATH("open-trunc", 1, open(path, O_WRONLY | O_TRUNC));
    ON_AT("openat", 0, openat(dirfd, path, O_WRONLY | O_CREAT, 0644));
    ON_AT("openat64", 0, openat64(dirfd, path, O_RDWR | O_CREAT, 0644));
    ON_PATH("creat", 0, creat(path, 0644));
    ON_PATH("creat64", 0, creat64(path, 0644));
    ON_PATH("fopen", 0, fopen_w(path));
    ON_PATH("freopen", 0, freopen_w(path));
    ON_PATH("unlink", 1, unlink(path));
    ON_AT("unlinkat", 1, unlinkat(dirfd, path, 0));
    ON_PATH("remove", 1, remove(path));
    ON_PATH("rmdir", 0, rmdir(path));
    ON_PATH("mkdir", 0, mkdir(path, 0755));
    ON_AT("mkdirat", 0, mkdirat(dirfd, path, 0755));
    ON_PATH("rename-to", 0, rename("inside-file", path));
    ON_PATH("rename-from", 1, rename(path, "stolen"));
    ON_AT("renameat-to", 0, renameat(AT_FDCWD, "inside-file", dirfd, path));
    ON_AT("renameat-from", 1, renameat(dirfd, path, AT_FDCWD, "stolen"));
    ON_AT("renameat2-to", 0, renameat2(AT_FDCWD, "inside-file", dirfd, path, 0));
    ON_AT("renameat2-from", 1, renameat2(dirfd, path, AT_FDCWD, "stolen", RENAME_NOREPLACE));
    ON_PATH("link-to", 0, link("inside-file", path));
    ON_PATH("link-from", 1, link(path, "stolen"));
    ON_AT("linkat-to", 0, linkat(AT_FDCWD, "inside-file", dirfd, path, 0));
    ON_AT("linkat-from", 1, linkat(dirfd, path, AT_FDCWD, "stolen", 0));
    ON_PATH("symlink", 0, symlink("inside-file", path));
    ON_PATH("symlink-target", 1, symlink(path, "stolen-link"));
    ON_AT("symlinkat", 0, symlinkat("inside-file", dirfd, path));
    ON_PATH("chmod", 1, chmod(path, 0777));
    ON_PATH("lchmod", 1, lchmod(path, 0777));
    ON_AT("fchmodat", 1, fchmodat(dirfd, path, 0777, 0));
    ON_PATH("chown", 1, chown(path, getuid(), getgid()));
    ON_PATH("lchown", 1, lchown(path, getuid(), getgid()));
    ON_AT("fchownat", 1, fchownat(dirfd, path, getuid(), getgid(), 0));
    ON_PATH("truncate", 1, truncate(path, 0));
    ON_PATH("truncate64", 1, truncate64(path, 0));
    ON_PATH("mknod", 0, mknod(path, S_IFREG | 0644, 0));
    ON_AT("mknodat", 0, mknodat(dirfd, path, S_IFREG | 0644, 0));
    ON_PATH("mkfifo", 0, mkfifo(path, 0644));
    ON_AT("mkfifoat", 0, mkfifoat(dirfd, path, 0644));
    ON_PATH("utime", 1, utime(path, &ub));
    ON_PATH("utimes", 1, utimes(path, tv));
    ON_PATH("lutimes", 1, lutimes(path, tv));
    ON_AT("utimensat", 1, utimensat(dirfd, path, ts, 0));
    ON_AT("futimesat", 1, futimesat(dirfd, path, tv));
    ON_PATH("setxattr", 1, setxattr(path, "user.xscheck", "x", 1, 0));
    ON_PATH("lsetxattr", 1, lsetxattr(path, "user.xscheck", "x", 1, 0));
    ON_PATH("removexattr", 1, removexattr(path, "user.xscheck"));
    ON_PATH("lremovexattr", 1, lremovexattr(path, "user.xscheck"));
    ON_PATH("mkstemp", 0, mkstemp_at(path));
    ON_PATH("mkdtemp", 0, mkdtemp_at(path));
    /* a socket path holds at most 107 bytes: the short form only */
    errno = 0;
    long rc = bind_to(out_path("bind", 0));
    report("refused", "bind", "short", rc, errno);

    /* The same calls inside the state directory, or moved into it, still work. */
    int here = open(".", O_RDONLY | O_DIRECTORY);
    ALLOWED("openat-here", openat(here, "at-file", O_WRONLY | O_CREAT, 0644));
    ALLOWED("mkdirat-moved", mkdirat(AT_FDCWD, "/var/lib/xenstored/moved-dir", 0755));
    ALLOWED("symlinkat-here", symlinkat("at-file", here, "at-link"));
    ALLOWED("renameat2-moved", renameat2(here, "at-file", AT_FDCWD, "/var/run/xenstored/renamed", 0));
    ALLOWED("linkat-here", linkat(AT_FDCWD, "renamed", here, "hard-link", 0));
    ALLOWED("unlinkat-here", unlinkat(here, "hard-link", 0));
    ALLOWED("fchmodat-here", fchmodat(here, "renamed", 0600, 0));
    ALLOWED("mkfifo-moved", mkfifo("/run/xenstored/fifo", 0600));
    char template[] = "/var/lib/xenstored/tmp-XXXXXX";
    errno = 0;
    rc = mkstemp(template);
    printf("allowed mkstemp-moved - %ld %s %s\n", rc, rc < 0 ? strerrorname_np(errno) : "-", strrchr(template, '/') + 1);

    /*
     * A moved path one byte too long for PATH_MAX: cut to fit, it would name STATE_DIR/././...
     * /victim (an existing, different file's name), so it must fail instead.
     */
    size_t dir_len = strlen(state_dir);
    const char *victim = (4088 - dir_len) % 2 == 0 ? "victim" : "victim_";
    size_t dots = (4095 - dir_len - 1 - strlen(victim)) / 2;
    char cut[PATH_MAX + 64];
    n = snprintf(cut, sizeof(cut), "/var/run/xenstored/");
    for (size_t i = 0; i < dots; i++)
        n += snprintf(cut + n, sizeof(cut) - (size_t)n, "./");
    snprintf(cut + n, sizeof(cut) - (size_t)n, "%s-and-more", victim);
    errno = 0;
    rc = open(cut, O_WRONLY | O_CREAT, 0644);
    report("toolong", "open", victim, rc, errno);
    errno = 0;
    rc = mkdirat(AT_FDCWD, cut, 0755);
    report("toolong", "mkdirat", victim, rc, errno);
    return 0;
}
