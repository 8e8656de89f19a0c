/*
 * The event-channel port table on disk (portfile.c). A daemon keeps its event-channel fd across
 * the exec() of a live update and expects its ports to stay bound, as they would on the kernel's
 * /dev/xen/evtchn, where bindings belong to the open file. The shim's table lives in process
 * memory, which exec() discards, so evtchn.c writes every change here and reads it back when the
 * daemon re-opens the kept fd (xenevtchn_fdopen).
 */
#ifndef FAKEXEN_PORTFILE_H
#define FAKEXEN_PORTFILE_H

#include <stdint.h>
#include <stdio.h>

/* The file in the state directory. */
#define FX_PORTFILE "evtchn.ports"

/* Starts a new table (a temporary file next to FX_PORTFILE); NULL if it cannot be created. */
FILE *fx_ports_begin(uint32_t dom_exc_port);

/* Adds one bound port: `kind` is a word without spaces (interdomain, virq, unbound). */
void fx_ports_put(FILE *table, uint32_t port, const char *kind, uint32_t domid);

/* Replaces FX_PORTFILE with the new table in one rename, so a reader never sees half of it. */
void fx_ports_commit(FILE *table);

/* Called for each port of the saved table. */
typedef void fx_port_sink(void *ctx, uint32_t port, const char *kind, uint32_t domid);

/* Reads FX_PORTFILE back: returns the VIRQ_DOM_EXC port (0 if none) and feeds every port to `sink`. */
uint32_t fx_ports_load(fx_port_sink *sink, void *ctx);

#endif
