package io.xscheck.sut.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/** The installed version of a Debian package, as {@code dpkg-query} reports it. */
public final class PackageVersion {

    private PackageVersion() {
    }

    /** e.g. {@code 4.17.7+13-g2445b30a44-0+deb12u1}, or {@code unknown (why)}. */
    public static String of(String pkg) {
        return query(pkg, "dpkg-query", "-W", "-f=${Version}", pkg);
    }

    /** The version of the package that installed {@code file}, or {@code unknown (why)}. */
    public static String ofFile(java.nio.file.Path file) {
        String owner = query(file.toString(), "dpkg-query", "-S", file.toString());
        if (owner.startsWith("unknown")) {
            return "unknown (" + file + " belongs to no package)";
        }
        // "xen-utils-4.17: /usr/lib/xen-4.17/bin/xenstored"; a diverted file has more lines
        String pkg = owner.lines().findFirst().orElse("").split(":", 2)[0].split(",")[0].strip();
        return pkg.isEmpty() ? "unknown (" + owner + ")" : pkg + " " + of(pkg);
    }

    private static String query(String what, String... command) {
        String pkg = what;
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        try {
            Process p = pb.start();
            p.getOutputStream().close();
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor();
                return "unknown (dpkg-query did not answer)";
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.exitValue() == 0 && !out.isEmpty() ? out : "unknown (" + pkg + " not installed as a package)";
        } catch (IOException e) {
            return "unknown (no dpkg-query: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown (interrupted)";
        }
    }
}
