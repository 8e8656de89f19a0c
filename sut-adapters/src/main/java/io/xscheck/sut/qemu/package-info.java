/**
 * The QEMU target: QEMU's own xenstore implementation ({@code hw/i386/kvm/xenstore_impl.c},
 * fetched from Debian's archive at build time and compiled unmodified) behind xscheck's xs_wire
 * front end ({@code src/main/c/qemu-xs}), started in a private temp directory by
 * {@link io.xscheck.sut.qemu.QemuSut}. {@link io.xscheck.sut.qemu.QemuBuild} reads what the build
 * produced, or why it could not.
 *
 * <p>May depend on {@code io.xscheck.sut}, {@code io.xscheck.protocol}, Guava and the JDK; not on
 * the model.
 */
package io.xscheck.sut.qemu;
