/*
 * A stand-in for a daemon built against a newer Xen that calls a hypervisor function the fake-Xen
 * shim does not answer: it opens libxenctrl (answered by the shim), then calls
 * xc_domain_set_time_offset (not answered: it goes to the real libxenctrl, which finds no
 * hypervisor). Built by BinaryByPathTest with gcc -lxenctrl.
 */
#include <stdio.h>
#include <stdlib.h>
#include <xenctrl.h>

int main(void)
{
    xc_interface *xch = xc_interface_open(NULL, NULL, 0);
    if (!xch)
        return 2;
    int rc = xc_domain_set_time_offset(xch, 1, 0);
    fprintf(stderr, "xc_domain_set_time_offset answered %d without a hypervisor\n", rc);
    return 1;
}
