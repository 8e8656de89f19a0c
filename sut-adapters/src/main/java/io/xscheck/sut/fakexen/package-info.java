/**
 * C xenstored and oxenstored as targets, run without Xen: Debian's xen-utils-4.17 on the host,
 * Debian trixie's 4.20 fetched into the user cache ({@code XenRelease}), or any binary by path
 * ({@code XenDaemon}: a kind plus a binary, its libraries and a read-only path map). The
 * fake-Xen shim ({@code src/main/c/fakexen}, shipped as {@code native/libfakexen.so}) stands in for
 * libxenctrl, libxengnttab and libxenevtchn and confines the daemon to a private directory;
 * {@link io.xscheck.sut.fakexen.XenDaemonSut} starts a daemon there and serves dom0 connections over
 * its Unix socket and guest connections over file-backed shared-memory rings
 * ({@code GuestRing}), with event channels as two FIFOs ({@code EventChannels}; kicks through
 * {@code KickWriter}, which never holds a caller on a FIFO the daemon stopped reading).
 *
 * <p>May depend on {@code io.xscheck.sut}, {@code io.xscheck.sut.process}, {@code io.xscheck.protocol}
 * and the JDK.
 */
package io.xscheck.sut.fakexen;
