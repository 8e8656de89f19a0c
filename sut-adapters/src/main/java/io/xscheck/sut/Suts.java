package io.xscheck.sut;

import io.xscheck.sut.fakexen.XenDaemon;
import io.xscheck.sut.fakexen.XenDaemonSut;
import io.xscheck.sut.model.ModelSut;
import io.xscheck.sut.qemu.QemuSut;

import java.nio.file.Path;
import java.util.List;

/**
 * The registry of targets: {@code Suts.open("cxenstored" | "oxenstored" | "qemu" | "model" |
 * "socket:PATH", options)}.
 */
public final class Suts {

    /** Prefix of a spec naming an external daemon's Unix socket. */
    public static final String SOCKET_PREFIX = "socket:";

    /** Every target kind this build knows, in the order reports list them. */
    private static final List<SutFactory> FACTORIES = List.of(
            // One entry per target kind; add yours here.
            new SutFactory("cxenstored", XenDaemon.CXENSTORED::isInstalled,
                    o -> XenDaemonSut.start(XenDaemon.CXENSTORED, o)),
            new SutFactory("oxenstored", XenDaemon.OXENSTORED::isInstalled,
                    o -> XenDaemonSut.start(XenDaemon.OXENSTORED, o)),
            new SutFactory("qemu", QemuSut::installed, QemuSut::start),
            // The executable spec in process; other dialects: ModelSut.start(name).
            new SutFactory("model", () -> true, o -> ModelSut.start("spec"))
    );

    private Suts() {
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
        for (SutFactory f : FACTORIES) {
            if (f.name().equals(spec)) {
                return f.open(options);
            }
        }
        throw new SutException(SutException.Kind.ENVIRONMENT, spec,
                "unknown target; known: " + known() + " and " + SOCKET_PREFIX + "PATH", "");
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
