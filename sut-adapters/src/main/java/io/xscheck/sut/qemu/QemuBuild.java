package io.xscheck.sut.qemu;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Properties;

/**
 * What {@code build-qemu-xs.sh} produced: the server binary and the QEMU version it was built
 * from, or the reason there is none (QEMU's source could not be fetched, a tool is missing). Both
 * are classpath resources under {@code native/}, so this works from the build tree and from a jar.
 *
 * @param status {@code installed}, {@code missing} or {@code broken}
 * @param reason why not installed; empty when installed
 * @param qemuVersion upstream version of the tarball, e.g. {@code 10.0.13+ds}
 * @param debianVersion the Debian source version it came from, e.g. {@code 1:10.0.13+ds-0+deb13u1}
 * @param implSha256 SHA-256 of the xenstore_impl.c that was compiled
 * @param implValidated whether that file is the one the front end was written and probed against
 */
public record QemuBuild(String status, String reason, String qemuVersion, String debianVersion,
                        String implSha256, boolean implValidated) {

    static final String RECORD = "/native/qemu-xs.properties";
    static final String BINARY = "/native/qemu-xs-server";

    /** The build record on the classpath, or a "missing" one saying the build step never ran. */
    public static QemuBuild current() {
        try (InputStream in = QemuBuild.class.getResourceAsStream(RECORD)) {
            if (in == null) {
                return missing("the QEMU build step has not run (no " + RECORD + " on the classpath)");
            }
            Properties p = new Properties();
            p.load(in);
            QemuBuild build = new QemuBuild(p.getProperty("status", "missing"), p.getProperty("reason", ""),
                    p.getProperty("qemuVersion", "unknown"), p.getProperty("debianVersion", "unknown"),
                    p.getProperty("implSha256", ""), Boolean.parseBoolean(p.getProperty("implValidated")));
            if (build.isInstalled() && QemuBuild.class.getResource(BINARY) == null) {
                return missing("the build record says installed but " + BINARY + " is not on the classpath");
            }
            return build;
        } catch (IOException e) {
            return missing("cannot read " + RECORD + ": " + e.getMessage());
        }
    }

    private static QemuBuild missing(String reason) {
        return new QemuBuild("missing", reason, "unknown", "unknown", "", false);
    }

    public boolean isInstalled() {
        return status.equals("installed");
    }

    /** e.g. {@code QEMU 10.0.13+ds (Debian 1:10.0.13+ds-0+deb13u1)}. */
    public String describe() {
        if (!isInstalled()) {
            return "QEMU target not installed: " + reason;
        }
        return "QEMU " + qemuVersion + " (Debian " + debianVersion + ")"
                + (implValidated ? "" : ", xenstore_impl.c " + implSha256 + " not the validated one");
    }

    /** Copies the server binary into {@code dir} as an executable and returns its path. */
    Path extractBinary(Path dir) {
        Path target = dir.resolve("qemu-xs-server");
        try (InputStream in = Optional.ofNullable(QemuBuild.class.getResourceAsStream(BINARY))
                .orElseThrow(() -> new IOException(BINARY + " is not on the classpath"))) {
            Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract the QEMU xenstore server into " + dir, e);
        }
    }
}
