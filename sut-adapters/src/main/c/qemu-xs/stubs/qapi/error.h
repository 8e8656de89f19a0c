/* xscheck's stand-in for QEMU's qapi/error.h: only QEMU's test-xs-node.c includes it. */
#ifndef XSCHECK_STUB_QAPI_ERROR_H
#define XSCHECK_STUB_QAPI_ERROR_H
#endif
