/**
 * Targets (systems under test) for the engine: the {@link io.xscheck.sut.Sut} interface and its
 * connections and {@link io.xscheck.sut.Capability capabilities}, the {@link io.xscheck.sut.Suts}
 * registry, external daemons by socket path ({@link io.xscheck.sut.SocketSut}: a sandbox of case
 * roots behind {@link io.xscheck.sut.SandboxGuard}; who serves the socket from
 * {@link io.xscheck.sut.SocketOwner} and {@link io.xscheck.sut.DaemonIdentity}), and the
 * launchers that run C xenstored and oxenstored without Xen under the fake-Xen shim
 * ({@code src/main/c/fakexen}), with guests speaking over file-backed shared-memory rings, and
 * {@link io.xscheck.sut.TreeImage}/{@link io.xscheck.sut.TreeRestorer}, which let a target's
 * {@code reset} bring its tree back to how it started.
 * Subpackages hold the QEMU target ({@code qemu}) and the in-process model target ({@code model}).
 *
 * <p>May depend on {@code io.xscheck.protocol} (wire values, {@code XsConnection}), on
 * {@code io.xscheck.model} (for the model target, and for the dialect names an external daemon's
 * identity maps to), on Guava and the JDK.
 */
package io.xscheck.sut;
