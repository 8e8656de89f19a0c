package io.xscheck.sut.fakexen;

import io.xscheck.sut.process.DaemonVersion;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A newer Xen release's daemons as {@code fetch-xen-debs.sh} left them: Debian's packages of that
 * release unpacked into the user cache, or the reason there are none (the archive could not be
 * reached, patchelf is missing). The build record is the classpath resource
 * {@code native/xen-X.Y.properties}; the daemons stay in the cache directory it names.
 *
 * @param release the Xen release, e.g. {@code 4.20}
 * @param status {@code installed} or {@code missing}
 * @param reason why not installed; empty when installed
 * @param debianVersion the Debian version of xen-utils-X.Y, e.g. {@code 4.20.4+63-g7abfd2bce2-0+deb13u1}
 * @param dir the cache entry (see fetch-xen-debs.sh for its layout)
 */
public record XenRelease(String release, String status, String reason, String debianVersion, Path dir) {

    /** Xen 4.20 from Debian trixie. */
    public static final XenRelease XEN_4_20 = read("4.20");

    /** The build record of {@code release} on the classpath, or a "missing" one saying why there is none. */
    static XenRelease read(String release) {
        String resource = "/native/xen-" + release + ".properties";
        try (InputStream in = XenRelease.class.getResourceAsStream(resource)) {
            if (in == null) {
                return missing(release, "the fetch step has not run (no " + resource + " on the classpath)");
            }
            Properties p = new Properties();
            p.load(in);
            XenRelease r = new XenRelease(release, p.getProperty("status", "missing"), p.getProperty("reason", ""),
                    p.getProperty("debianVersion", "unknown"), Path.of(p.getProperty("dir", "/nonexistent")));
            if (r.status.equals("installed") && !Files.isExecutable(r.xenDir().resolve("bin/xenstored"))) {
                return missing(release, "the build record names " + r.dir + ", which no longer holds the daemons "
                        + "(rebuild sut-adapters to fetch them again)");
            }
            return r;
        } catch (IOException e) {
            return missing(release, "cannot read " + resource + ": " + e.getMessage());
        }
    }

    private static XenRelease missing(String release, String reason) {
        return new XenRelease(release, "missing", reason, "unknown", Path.of("/nonexistent"));
    }

    public boolean isInstalled() {
        return status.equals("installed") && Shim.isBuilt();
    }

    /** e.g. {@code Xen 4.20 (Debian 4.20.4+63-g7abfd2bce2-0+deb13u1) in DIR}, or why it is missing. */
    public String describe() {
        return status.equals("installed") ? "Xen " + release + " (Debian " + debianVersion + ") in " + dir
                : "Xen " + release + " targets not installed: " + reason;
    }

    /** Stands for the package's /usr/lib/xen-X.Y. */
    private Path xenDir() {
        return dir.resolve("xen");
    }

    /** The target name of this release's daemon of {@code kind}, e.g. {@code cxenstored-4.20}. */
    public String targetName(DaemonKind kind) {
        return kind.family() + "-" + release;
    }

    /**
     * The daemon of {@code kind}: the release's libraries first on the library path (and, for
     * oxenstored, the suite's C library its copy was linked against), and the package's
     * /usr/lib/xen-X.Y read from the cache, where oxenstored finds its plugin and itself.
     */
    public XenDaemon daemon(DaemonKind kind) {
        Path binary = xenDir().resolve("bin").resolve(kind == DaemonKind.CXENSTORED ? "xenstored" : "oxenstored");
        List<Path> libs = kind == DaemonKind.CXENSTORED ? List.of(dir.resolve("lib"))
                : List.of(dir.resolve("glibc"), dir.resolve("lib"));
        return new XenDaemon(targetName(kind), kind, binary, libs, Map.of("/usr/lib/xen-" + release, xenDir()),
                dir.resolve("oxenstored.conf"), Optional.of(DaemonVersion.known(debianVersion)));
    }
}
