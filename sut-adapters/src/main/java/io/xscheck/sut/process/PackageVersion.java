package io.xscheck.sut.process;


/** The installed version of a Debian package, as {@code dpkg-query} reports it. */
public final class PackageVersion {

    private PackageVersion() {
    }

    /** e.g. {@code 4.17.7+13-g2445b30a44-0+deb12u1}, or {@code unknown (why)}. */
    public static String of(String pkg) {
        return ShortCommand.output(java.util.List.of("dpkg-query", "-W", "-f=${Version}", pkg))
                .filter(v -> !v.isEmpty())
                .orElse("unknown (" + pkg + " not installed as a package)");
    }
}
