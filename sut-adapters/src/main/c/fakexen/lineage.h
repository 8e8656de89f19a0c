/* Process ancestry (lineage.c), for the parent-pid guard in state.c. */
#ifndef FAKEXEN_LINEAGE_H
#define FAKEXEN_LINEAGE_H

#include <sys/types.h>

/* The parent of process `pid` as /proc/PID/stat gives it, or -1 if it cannot be read. */
pid_t fx_parent_of(pid_t pid);

#endif
