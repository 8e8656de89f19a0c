/*
 * Drives the shim's libxenmanage answers (Xen 4.21's C xenstored asks them which domains changed)
 * the way the harness changes domains: prints one line per poll answer and per query, for
 * XenmanageShimTest. Linked against the shim itself; FAKEXEN_DIR names the state directory.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct xenmanage_handle xenmanage_handle;
xenmanage_handle *xenmanage_open(void *logger, unsigned int open_flags);
int xenmanage_close(xenmanage_handle *hdl);
int xenmanage_get_domain_info(xenmanage_handle *hdl, unsigned int domid, unsigned int *state,
                              unsigned int *caps, uint64_t *unique_id);
int xenmanage_poll_changed_domain(xenmanage_handle *hdl, unsigned int *domid, unsigned int *state,
                                  unsigned int *caps, uint64_t *unique_id);

static void set_state(const char *dir, const char *state)
{
    char tmp[4096], path[4096];
    snprintf(tmp, sizeof(tmp), "%s/.dom-5.tmp", dir);
    snprintf(path, sizeof(path), "%s/dom-5", dir);
    FILE *f = fopen(tmp, "w");
    fprintf(f, "%s\n", state);
    fclose(f);
    rename(tmp, path); /* a new file each time, as FakeXenFiles.setState does */
}

static void poll_all(xenmanage_handle *h, const char *label)
{
    unsigned domid, state, caps;
    uint64_t uid;
    while (xenmanage_poll_changed_domain(h, &domid, &state, &caps, &uid) == 0)
        printf("%s: dom%u state=%u caps=%u uid=%llu\n", label, domid, state, caps, (unsigned long long)uid);
    printf("%s: end errno=%s\n", label, errno == ENOENT ? "ENOENT" : strerror(errno));
}

int main(void)
{
    const char *dir = getenv("FAKEXEN_DIR");
    char path[4096];
    xenmanage_handle *h = xenmanage_open(NULL, 0);
    set_state(dir, "running");
    poll_all(h, "start");
    set_state(dir, "dying");
    poll_all(h, "dying");
    snprintf(path, sizeof(path), "%s/dom-5", dir);
    unlink(path);
    poll_all(h, "gone");
    set_state(dir, "running");
    poll_all(h, "again");
    /* The research note's reintroduction case: killed and released, introduced again (xenstored
       asks get_domain_info then), killed again; one VIRQ (poll) after each death. */
    set_state(dir, "dying");
    poll_all(h, "kill1");
    set_state(dir, "running");
    unsigned state;
    uint64_t uid;
    int got = xenmanage_get_domain_info(h, 5, &state, NULL, &uid);
    printf("introduce dom5: rc=%d state=%u uid=%llu\n", got, state, (unsigned long long)uid);
    set_state(dir, "dying");
    poll_all(h, "kill2");
    int rc = xenmanage_get_domain_info(h, 7, &state, NULL, &uid);
    printf("info dom7: rc=%d errno=%s\n", rc, rc ? (errno == ENOENT ? "ENOENT" : strerror(errno)) : "-");
    xenmanage_close(h);
    return 0;
}
