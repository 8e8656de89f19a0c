/* xscheck's stand-in for QEMU's qemu/module.h: test-xs-node.c calls module_call_init(QOM). */
#ifndef XSCHECK_STUB_QEMU_MODULE_H
#define XSCHECK_STUB_QEMU_MODULE_H
#define MODULE_INIT_QOM 0
static inline void module_call_init(int type)
{
    (void)type;
}
#endif
