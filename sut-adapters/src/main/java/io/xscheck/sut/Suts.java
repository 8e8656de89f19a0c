package io.xscheck.sut;

import io.xscheck.sut.fakexen.DaemonKind;
import io.xscheck.sut.fakexen.TreeBuild;
import io.xscheck.sut.fakexen.XenDaemon;
import io.xscheck.sut.fakexen.XenDaemonSut;
import io.xscheck.sut.fakexen.XenRelease;
import io.xscheck.sut.model.ModelSut;
import io.xscheck.sut.qemu.QemuSut;

import java.nio.file.Path;
import java.util.List;

/**
 * The registry of targets: {@code Suts.open("cxenstored" | "oxenstored" | "qemu" | "model" |
 * "socket:PATH" | "cxenstored=PATH" | "oxenstored=PATH" | "cxenstored@tree=DIR" | "oxenstored@tree=DIR", options)}.
 */
public final class Suts {

    /** Prefix of a spec naming an external daemon's Unix socket. */
    public static final String SOCKET_PREFIX = "socket:";
    /** Separates a daemon kind from a Xen source tree to build it from: {@code cxenstored@tree=DIR}. */
    public static final String TREE_SEPARATOR = "@tree=";
    /** Separates a daemon kind from the path of the binary to launch: {@code cxenstored=PATH}. */
    public static final String BINARY_SEPARATOR = "=";

    /** Every target kind this build knows, in the order reports list them. */
    private static final List<SutFactory> FACTORIES = List.of(
            // One entry per target kind; add yours here.
            new SutFactory("cxenstored", XenDaemon.CXENSTORED::isInstalled,
                    o -> XenDaemonSut.start(XenDaemon.CXENSTORED, o)),
            new SutFactory("oxenstored", XenDaemon.OXENSTORED::isInstalled,
                    o -> XenDaemonSut.start(XenDaemon.OXENSTORED, o)),
            newerRelease(XenRelease.XEN_4_20, DaemonKind.CXENSTORED),
            newerRelease(XenRelease.XEN_4_20, DaemonKind.OXENSTORED),
            new SutFactory("qemu", QemuSut::installed, QemuSut::start),
            // The executable spec in process; other dialects: ModelSut.start(name).
            new SutFactory("model", () -> true, o -> ModelSut.start("spec"))
    );

    private Suts() {
    }

    /** A newer Xen's daemon from Debian's packages in the user cache (see {@link XenRelease}). */
    private static SutFactory newerRelease(XenRelease release, DaemonKind kind) {
        String name = release.targetName(kind);
        return new SutFactory(name, release::isInstalled, o -> {
            if (!release.isInstalled()) {
                throw new SutException(SutException.Kind.ENVIRONMENT, name, release.describe(), "");
            }
            return XenDaemonSut.start(release.daemon(kind), o);
        });
    }

    /** Starts (or connects to) the target named by {@code spec}. */
    public static Sut open(String spec, SutOptions options) {
        if (spec == null || spec.isBlank()) {
            throw new SutException(SutException.Kind.ENVIRONMENT, String.valueOf(spec),
                    "empty target spec; known: " + known(), "");
        }
        if (spec.startsWith(SOCKET_PREFIX)) {
            return SocketSut.open(Path.of(spec.substring(SOCKET_PREFIX.length())), options);
        }
        int tree = spec.indexOf(TREE_SEPARATOR);
        if (tree > 0) {
            return openTree(spec, spec.substring(0, tree), spec.substring(tree + TREE_SEPARATOR.length()), options);
        }
        int eq = spec.indexOf(BINARY_SEPARATOR);
        if (eq > 0) {
            return openBinary(spec, spec.substring(0, eq), spec.substring(eq + 1), options);
        }
        for (SutFactory f : FACTORIES) {
            if (f.name().equals(spec)) {
                return f.open(options);
            }
        }
        throw new SutException(SutException.Kind.ENVIRONMENT, spec,
                "unknown target; known: " + known() + ", " + SOCKET_PREFIX + "PATH, cxenstored=PATH and oxenstored=PATH", "");
    }

    /** {@code cxenstored=PATH}: that binary, launched under the fake-Xen shim like the host's daemon. */
    private static Sut openBinary(String spec, String kindName, String path, SutOptions options) {
        DaemonKind kind = DaemonKind.ofFamily(kindName).orElseThrow(() -> new SutException(
                SutException.Kind.ENVIRONMENT, spec, "unknown daemon kind '" + kindName + "' before '"
                + BINARY_SEPARATOR + "'; known: cxenstored" + BINARY_SEPARATOR + "PATH, oxenstored"
                + BINARY_SEPARATOR + "PATH", ""));
        if (path.isEmpty()) {
            throw new SutException(SutException.Kind.ENVIRONMENT, spec, "no binary path after '" + BINARY_SEPARATOR + "'", "");
        }
        return XenDaemonSut.start(XenDaemon.atPath(spec, kind, Path.of(path).toAbsolutePath()), options);
    }

    /** {@code cxenstored@tree=DIR} or {@code oxenstored@tree=DIR}: built from that Xen source tree (cached by content), then launched. */
    private static Sut openTree(String spec, String kindName, String dir, SutOptions options) {
        DaemonKind kind = DaemonKind.ofFamily(kindName).orElseThrow(() -> new SutException(
                SutException.Kind.ENVIRONMENT, spec, "unknown daemon kind '" + kindName + "' before '"
                + TREE_SEPARATOR + "'; known: cxenstored" + TREE_SEPARATOR + "DIR", ""));
        return XenDaemonSut.start(TreeBuild.daemon(spec, kind, Path.of(dir)), options);
    }

    public static Sut open(String spec) {
        return open(spec, SutOptions.defaults());
    }

    /** The names of the targets that can run on this machine. */
    public static List<String> installed() {
        return FACTORIES.stream().filter(SutFactory::isInstalled).map(SutFactory::name).toList();
    }

    /** The names of every target this build knows, installed or not. */
    public static List<String> known() {
        return FACTORIES.stream().map(SutFactory::name).toList();
    }
}
