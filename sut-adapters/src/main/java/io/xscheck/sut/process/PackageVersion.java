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
        ProcessBuilder pb = new ProcessBuilder("dpkg-query", "-W", "-f=${Version}", pkg).redirectErrorStream(true);
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
