/**
 * Targets (systems under test) for the engine: the {@link io.xscheck.sut.Sut} interface and its
 * connections, the {@link io.xscheck.sut.Suts} registry, external daemons by socket path, and the
 * launchers that run C xenstored and oxenstored without Xen under the fake-Xen shim
 * ({@code src/main/c/fakexen}), with guests speaking over file-backed shared-memory rings, and
 * {@link io.xscheck.sut.TreeImage}/{@link io.xscheck.sut.TreeRestorer}, which let a target's
 * {@code reset} bring its tree back to how it started.
 * Subpackages hold the QEMU target ({@code qemu}) and the in-process model target ({@code model}).
 *
 * <p>May depend on {@code io.xscheck.protocol} (wire values, {@code XsConnection}), on
 * {@code io.xscheck.model} (only for the model target), on Guava and the JDK.
 */
package io.xscheck.sut;
