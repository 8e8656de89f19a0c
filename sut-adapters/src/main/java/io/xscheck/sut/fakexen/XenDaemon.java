package io.xscheck.sut.fakexen;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The two xenstore daemons of Debian's xen-utils-4.17 and how each is started under the shim.
 */
public enum XenDaemon {

    /** C xenstored (tools/xenstore). Never {@code -D}: it then skips domain_init and segfaults. */
    CXENSTORED("cxenstored", "xenstored", "cxenstored-4.17") {
        @Override
        List<String> command(Path binary, Path dir, List<String> extraArgs) {
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
    OXENSTORED("oxenstored", "oxenstored", "oxenstored-4.17") {
        @Override
        List<String> command(Path binary, Path dir, List<String> extraArgs) {
            Path conf = OxenstoredConfig.write(dir);
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

    /** Where Debian's xen-utils-4.17 installs both daemons. */
    public static final Path BIN_DIR = Path.of("/usr/lib/xen-4.17/bin");
    /** The Debian package whose version {@code version()} reports. */
    public static final String PACKAGE = "xen-utils-4.17";

    private final String targetName;
    private final String binaryName;
    private final String dialect;

    XenDaemon(String targetName, String binaryName, String dialect) {
        this.targetName = targetName;
        this.binaryName = binaryName;
        this.dialect = dialect;
    }

    /** The target's name in the registry and in reports. */
    public String targetName() {
        return targetName;
    }

    /** The model dialect this daemon is compared with. */
    public String dialect() {
        return dialect;
    }

    public Path binary() {
        return BIN_DIR.resolve(binaryName);
    }

    /** The daemon binary is present and the shim was built into this jar: the target can run. */
    public boolean isInstalled() {
        return Files.isExecutable(binary()) && Shim.isBuilt();
    }

    /** The command line; may write files the daemon needs into {@code dir}. */
    abstract List<String> command(Path binary, Path dir, List<String> extraArgs);

    /** Daemon-specific environment, on top of the shim's. */
    abstract Map<String, String> environment(Path dir);

    /** The daemon's own log files in its directory, for log tails. */
    abstract List<String> logFiles();
}
