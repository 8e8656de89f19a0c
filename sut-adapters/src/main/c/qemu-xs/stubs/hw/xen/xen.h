/*
 * xscheck's stand-in for QEMU's hw/xen/xen.h. The real header declares machine hooks
 * (PCIDevice, qemu_irq, ...) that xenstore_impl.c does not use; the Xen public headers only
 * need the interface version. The include guard is QEMU's, so the real header never sneaks in.
 */
#ifndef QEMU_HW_XEN_H
#define QEMU_HW_XEN_H
#ifndef __XEN_INTERFACE_VERSION__
#define __XEN_INTERFACE_VERSION__ 0x00040e00
#endif
#endif
