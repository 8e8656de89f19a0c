package io.xscheck.sut.fakexen;

import io.xscheck.sut.process.DaemonVersion;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * One xenstore daemon binary and how to run it under the shim: its kind (C or OCaml), its path,
 * and what a binary unpacked away from its compiled-in prefix needs (a private library directory,
 * read-only path redirections for files it looks up by absolute path, its distribution's
 * oxenstored.conf). Its version is known (a build record) or read from the binary, and picks the
 * dialect it is compared with.
 *
 * @param targetName the target's name in the registry and in reports, e.g. {@code cxenstored} or
 *     {@code cxenstored=/opt/xen/sbin/xenstored}
 * @param kind C xenstored or oxenstored
 * @param binary the executable (an ELF interpreter of its own is set in the file itself)
 * @param libraryDirs put first on LD_LIBRARY_PATH (the Xen libraries of the daemon's release)
 * @param pathMap compiled-in absolute path prefix -> where those files really are, for reads only
 *     (oxenstored 4.18+ lists and loads its plugin from a compiled-in directory)
 * @param stockConfig the oxenstored.conf whose settings a private oxenstored keeps
 * @param knownVersion the version when a build record says it; empty: read from the binary
 */
public record XenDaemon(String targetName, DaemonKind kind, Path binary, List<Path> libraryDirs,
                        Map<String, Path> pathMap, Path stockConfig, Optional<DaemonVersion> knownVersion) {

    /** Where Debian's xen-utils-4.17 installs both daemons. */
    public static final Path BIN_DIR = Path.of("/usr/lib/xen-4.17/bin");
    /** The Debian package of the host's daemons. */
    public static final String PACKAGE = "xen-utils-4.17";

    /** The host's C xenstored from Debian's xen-utils-4.17. */
    public static final XenDaemon CXENSTORED = atPath("cxenstored", DaemonKind.CXENSTORED, BIN_DIR.resolve("xenstored"));
    /** The host's oxenstored from Debian's xen-utils-4.17. */
    public static final XenDaemon OXENSTORED = atPath("oxenstored", DaemonKind.OXENSTORED, BIN_DIR.resolve("oxenstored"));

    /** Versions read from binaries, by path: dpkg is asked once per binary and JVM. */
    private static final Map<Path, DaemonVersion> READ_VERSIONS = new ConcurrentHashMap<>();

    public XenDaemon {
        libraryDirs = List.copyOf(libraryDirs);
        pathMap = Map.copyOf(pathMap);
    }

    /** A daemon binary installed where it was built for (a package, {@code make install}). */
    public static XenDaemon atPath(String targetName, DaemonKind kind, Path binary) {
        return new XenDaemon(targetName, kind, binary, List.of(), Map.of(), OxenstoredConfig.STOCK, Optional.empty());
    }

    /** The two host daemons of Debian's xen-utils-4.17. */
    public static List<XenDaemon> values() {
        return List.of(CXENSTORED, OXENSTORED);
    }

    public String version() {
        return release().description();
    }

    /** The version with the Xen release it belongs to. */
    public DaemonVersion release() {
        return knownVersion.orElseGet(() -> READ_VERSIONS.computeIfAbsent(binary, DaemonVersion::of));
    }

    /** The model dialect this daemon is compared with: the closest to its release. */
    public String dialect() {
        return DialectChoice.closest(kind, release().release());
    }

    /** The daemon binary is present and the shim was built into this jar: the target can run. */
    public boolean isInstalled() {
        return Files.isExecutable(binary) && Shim.isBuilt();
    }

    /** The command line; may write files the daemon needs into {@code dir}. */
    List<String> command(Path binary, Path dir, List<String> extraArgs) {
        return kind.command(binary, dir, stockConfig, extraArgs);
    }

    /** The daemon's environment, on top of the shim's: its kind's, its libraries, its path map. */
    Map<String, String> environment(Path dir) {
        Map<String, String> env = new HashMap<>(kind.environment(dir));
        if (!libraryDirs.isEmpty()) {
            env.put("LD_LIBRARY_PATH", libraryDirs.stream().map(Path::toString).collect(Collectors.joining(":")));
        }
        if (!pathMap.isEmpty()) {
            // The shim takes the first entry that applies: longer prefixes first.
            env.put("FAKEXEN_MAP", pathMap.entrySet().stream()
                    .sorted(Map.Entry.<String, Path>comparingByKey(java.util.Comparator.comparingInt(String::length)).reversed())
                    .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(":")));
        }
        return env;
    }

    /** The daemon's own log files in its directory, for log tails. */
    List<String> logFiles() {
        return kind.logFiles();
    }

    @Override
    public String toString() {
        return targetName;
    }
}
