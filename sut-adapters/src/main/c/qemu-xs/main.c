/*
 * qemu-xs-server: QEMU's xenstore implementation served over xs_wire on Unix sockets.
 *
 * usage: qemu-xs-server -s PATH [-g DOMID:PATH]... [-w] [-v]
 *   -s PATH        listen on PATH; its connections speak as dom0 (privileged)
 *   -g DOMID:PATH  listen on PATH; its connections speak as guest DOMID (permission checks apply)
 *   -w             exit when stdin reaches end of file: the launcher holds the other end of a
 *                  pipe, so the server goes away with it however the launcher dies
 *   -v             log every connection and request to stderr
 *
 * The store starts as QEMU's does, less its one guest: xs_impl_create() makes "/" (owned by dom0,
 * "n0"), then QEMU's start-up writes its guest's nodes under /local/domain/N, creating "/local" on
 * the way (an empty node that copies the root's perms). This server writes "/local" alone; tests
 * create each guest's nodes themselves, as a toolstack would.
 * One thread, one poll loop; requests from all connections are answered one at a time, in order.
 * "ready" on stderr means every socket is listening.
 */
#include "xs_front.h"

#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/un.h>

static void usage(void)
{
    fprintf(stderr, "usage: qemu-xs-server -s PATH [-g DOMID:PATH]... [-w] [-v]\n");
    exit(2);
}

static void add_listener(Server *srv, unsigned int domid, const char *path)
{
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    Listener *l;
    int fd;

    if (srv->nr_listeners == XS_FRONT_MAX_LISTENERS) {
        fprintf(stderr, "qemu-xs-server: at most %d sockets\n", XS_FRONT_MAX_LISTENERS);
        exit(2);
    }
    if (strlen(path) >= sizeof(sa.sun_path)) {
        fprintf(stderr, "qemu-xs-server: socket path too long (max %zu): %s\n",
                sizeof(sa.sun_path) - 1, path);
        exit(2);
    }
    strcpy(sa.sun_path, path);
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 || listen(fd, 64) < 0) {
        fprintf(stderr, "qemu-xs-server: cannot listen on %s: %s\n", path, strerror(errno));
        exit(1);
    }
    l = &srv->listeners[srv->nr_listeners++];
    l->fd = fd;
    l->domid = domid;
    l->path = g_strdup(path);
}

static void parse_guest(Server *srv, char *arg)
{
    char *colon = strchr(arg, ':'), *end;
    unsigned long domid;

    if (!colon) {
        usage();
    }
    *colon = '\0';
    errno = 0;
    domid = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || domid == 0 || domid >= 0x7ff0) {
        fprintf(stderr, "qemu-xs-server: bad guest domid: %s\n", arg);
        exit(2);
    }
    add_listener(srv, (unsigned int)domid, colon + 1);
}

static void shut_down(Server *srv, const char *why)
{
    for (int i = 0; i < srv->nr_listeners; i++) {
        unlink(srv->listeners[i].path);
    }
    fprintf(stderr, "qemu-xs-server: exiting: %s\n", why);
    exit(0);
}

static void check_lifeline(Server *srv)
{
    char buf[256];
    ssize_t n = read(STDIN_FILENO, buf, sizeof(buf));

    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
        shut_down(srv, "stdin closed (the launcher is gone)");
    }
}

/*
 * Closed connections a reset left behind: no store holds them as a watch's opaque any more, and
 * the poll round that may have listed them is over.
 */
static void free_retired(Server *srv)
{
    for (guint i = 0; i < srv->retired_free; i++) {
        conn_free(g_ptr_array_index(srv->retired, i));
    }
    g_ptr_array_remove_range(srv->retired, 0, srv->retired_free);
    srv->retired_free = 0;
}

static void serve(Server *srv)
{
    for (;;) {
        guint nconns = srv->conns->len;
        guint nfds = (guint)srv->nr_listeners + nconns + 1;
        struct pollfd *fds = g_new0(struct pollfd, nfds);
        Conn **polled = g_new0(Conn *, nconns + 1);
        struct pollfd *lifeline = &fds[nfds - 1];

        lifeline->fd = srv->lifeline ? STDIN_FILENO : -1;
        lifeline->events = POLLIN;

        for (int i = 0; i < srv->nr_listeners; i++) {
            fds[i].fd = srv->listeners[i].fd;
            fds[i].events = POLLIN;
        }
        for (guint i = 0; i < nconns; i++) {
            Conn *c = g_ptr_array_index(srv->conns, i);

            polled[i] = c;
            fds[srv->nr_listeners + i].fd = c->fd;
            fds[srv->nr_listeners + i].events = POLLIN | (c->out->len ? POLLOUT : 0);
        }
        if (poll(fds, nfds, -1) < 0 && errno != EINTR) {
            fprintf(stderr, "qemu-xs-server: poll: %s\n", strerror(errno));
            exit(1);
        }
        if (lifeline->revents & (POLLIN | POLLHUP | POLLERR)) {
            check_lifeline(srv);
        }
        for (int i = 0; i < srv->nr_listeners; i++) {
            if (fds[i].revents & POLLIN) {
                conn_accept(srv, &srv->listeners[i]);
            }
        }
        for (guint i = 0; i < nconns; i++) {
            Conn *c = polled[i];

            if (c->fd >= 0 && (fds[srv->nr_listeners + i].revents & (POLLIN | POLLHUP | POLLERR))) {
                conn_readable(srv, c);
            }
        }
        /* A request may have queued watch events for any connection. */
        for (guint i = srv->conns->len; i-- > 0;) {
            conn_flush(srv, g_ptr_array_index(srv->conns, i));
        }
        g_free(fds);
        g_free(polled);
        free_retired(srv);
    }
}

int store_create_local(Server *srv)
{
    GByteArray *empty = g_byte_array_new();
    int err = xs_impl_write(srv->store, 0, XBT_NULL, "/local", empty);

    g_byte_array_unref(empty);
    if (err) {
        fprintf(stderr, "qemu-xs-server: cannot create /local: error %d\n", err);
    }
    return err;
}

int main(int argc, char **argv)
{
    Server srv = { .conns = g_ptr_array_new(), .next_conn_id = 1,
                   .guest_watches = g_hash_table_new(g_direct_hash, g_direct_equal),
                   .retired = g_ptr_array_new() };
    bool have_dom0 = false;
    int opt;

    signal(SIGPIPE, SIG_IGN);
    setvbuf(stderr, NULL, _IOLBF, 0);
    while ((opt = getopt(argc, argv, "s:g:wv")) != -1) {
        switch (opt) {
        case 's':
            add_listener(&srv, 0, optarg);
            have_dom0 = true;
            break;
        case 'g':
            parse_guest(&srv, optarg);
            break;
        case 'w':
            srv.lifeline = true;
            break;
        case 'v':
            srv.verbose = true;
            break;
        default:
            usage();
        }
    }
    if (optind != argc || !have_dom0) {
        usage();
    }
    srv.store = xs_impl_create(0);
    if (store_create_local(&srv) != 0) {
        return 1;
    }
    fprintf(stderr, "qemu-xs-server: ready\n");
    serve(&srv);
    return 0;
}
