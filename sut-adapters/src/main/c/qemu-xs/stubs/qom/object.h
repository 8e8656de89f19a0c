/* xscheck's stand-in for QEMU's qom/object.h: included by xenstore_impl.c, nothing used. */
#ifndef XSCHECK_STUB_QOM_OBJECT_H
#define XSCHECK_STUB_QOM_OBJECT_H
#endif
