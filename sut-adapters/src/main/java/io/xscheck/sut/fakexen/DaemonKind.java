package io.xscheck.sut.fakexen;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two xenstore daemons Xen ships, and how each is started under the shim whatever its build:
 * the command line, its environment and its log files.
 */
public enum DaemonKind {

    /** C xenstored (tools/xenstored, tools/xenstore before 4.18). Never {@code -D}: it then skips domain_init and segfaults. */
    CXENSTORED("cxenstored", "cx") {
        @Override
        List<String> command(Path binary, Path dir, Path stockConfig, List<String> extraArgs) {
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--no-fork"));
            cmd.addAll(extraArgs);
            return cmd;
        }

        @Override
        Map<String, String> environment(Path dir) {
            return Map.of("XENSTORED_RUNDIR", dir.toString());
        }

        @Override
        List<String> logFiles() {
            return List.of();
        }
    },

    /** oxenstored (tools/ocaml/xenstored), with a generated private configuration file. */
    OXENSTORED("oxenstored", "ox") {
        @Override
        List<String> command(Path binary, Path dir, Path stockConfig, List<String> extraArgs) {
            Path conf = OxenstoredConfig.write(dir, stockConfig);
            List<String> cmd = new ArrayList<>(List.of(binary.toString(), "--no-fork", "--config-file", conf.toString()));
            cmd.addAll(extraArgs);
            return cmd;
        }

        @Override
        Map<String, String> environment(Path dir) {
            return Map.of();
        }

        @Override
        List<String> logFiles() {
            return List.of(OxenstoredConfig.LOG, OxenstoredConfig.ACCESS_LOG);
        }
    };

    private final String family;
    private final String dirTag;

    DaemonKind(String family, String dirTag) {
        this.family = family;
        this.dirTag = dirTag;
    }

    /** The registry name of the kind, and the prefix of its dialects: {@code cxenstored}, {@code oxenstored}. */
    public String family() {
        return family;
    }

    /** The short tag of its private directories ({@code /tmp/xs-PID-cx-N}: socket paths are limited). */
    String dirTag() {
        return dirTag;
    }

    /** The kind a registry name such as {@code cxenstored} names, if any. */
    public static java.util.Optional<DaemonKind> ofFamily(String name) {
        for (DaemonKind k : values()) {
            if (k.family.equals(name)) {
                return java.util.Optional.of(k);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * The command line; may write files the daemon needs into {@code dir}. {@code stockConfig} is
     * the distribution's configuration file whose settings oxenstored keeps (C ignores it).
     */
    abstract List<String> command(Path binary, Path dir, Path stockConfig, List<String> extraArgs);

    /** Kind-specific environment, on top of the shim's. */
    abstract Map<String, String> environment(Path dir);

    /** The daemon's own log files in its directory, for log tails. */
    abstract List<String> logFiles();
}
