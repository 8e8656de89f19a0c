/**
 * Processes the harness starts: private temporary directories that are always removed (also those
 * of a JVM that was killed), daemons stopped with SIGTERM then SIGKILL and reaped, on close or by a
 * shutdown hook, their log tails, Debian package versions, and what a daemon binary says about
 * itself (its ELF dynamic section: the Xen libraries it needs, the symbols it imports).
 *
 * <p>May depend on {@code io.xscheck.sut} (for {@code Health}) and the JDK.
 */
package io.xscheck.sut.process;
