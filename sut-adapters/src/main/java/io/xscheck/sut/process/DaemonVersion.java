package io.xscheck.sut.process;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Xen version of a xenstore daemon binary, as shown in reports.
 *
 * @param description what reports print, e.g. {@code 4.17.7+13-g2445b30a44-0+deb12u1} (the owning
 *     Debian package's version) or {@code 4.20 (libxenctrl.so.4.20)}
 * @param release the Xen release {@code X.Y} it belongs to, which picks the closest dialect; empty
 *     when nothing said
 */
public record DaemonVersion(String description, Optional<String> release) {

    /** libxenctrl's soname carries the Xen release: the library's ABI changes with every release. */
    private static final Pattern XENCTRL_SONAME = Pattern.compile("libxenctrl\\.so\\.(\\d+\\.\\d+)");
    /** A Debian version of Xen's packages starts with the release, e.g. 4.20.4+63-g7abfd2bce2-0+deb13u1. */
    private static final Pattern RELEASE_PREFIX = Pattern.compile("^(?:\\d+:)?(\\d+\\.\\d+)\\.");

    /** A version known from elsewhere (a build record); its release is read from its start. */
    public static DaemonVersion known(String description) {
        Matcher m = RELEASE_PREFIX.matcher(description);
        return new DaemonVersion(description, m.find() ? Optional.of(m.group(1)) : Optional.empty());
    }

    /**
     * Reads the version of {@code binary}: the version of the Debian package that owns it
     * ({@code dpkg -S}), else the release in the soname of the libxenctrl it links (a copy, or a
     * build of one's own; oxenstored also links libxenguest.so.X.Y, which is read when libxenctrl
     * is not among its DT_NEEDED), else unknown.
     */
    public static DaemonVersion of(Path binary) {
        Optional<String> fromSoname = sonameRelease(binary);
        Optional<String> pkg = owningPackage(binary);
        if (pkg.isPresent()) {
            String v = PackageVersion.of(pkg.get());
            if (!v.startsWith("unknown")) {
                DaemonVersion d = known(v);
                return d.release.isPresent() ? d : new DaemonVersion(v, fromSoname);
            }
        }
        return fromSoname.map(r -> new DaemonVersion(r + " (" + sonameOf(binary).orElse("") + ")", Optional.of(r)))
                .orElseGet(() -> new DaemonVersion("unknown (no Debian package owns " + binary
                        + " and it links no libxenctrl.so.X.Y)", Optional.empty()));
    }

    /** The release in the soname of the libxenctrl (or libxenguest) that {@code binary} needs. */
    static Optional<String> sonameRelease(Path binary) {
        return sonameOf(binary).map(s -> {
            Matcher m = XENCTRL_SONAME.matcher(s.replace("libxenguest", "libxenctrl"));
            return m.find() ? m.group(1) : null;
        });
    }

    private static Optional<String> sonameOf(Path binary) {
        try {
            ElfDynamic elf = ElfDynamic.read(binary);
            Optional<String> ctrl = elf.needed().stream().filter(n -> n.startsWith("libxenctrl.so.")).findFirst();
            return ctrl.or(() -> elf.needed().stream().filter(n -> n.startsWith("libxenguest.so.")).findFirst())
                    .filter(n -> XENCTRL_SONAME.matcher(n.replace("libxenguest", "libxenctrl")).find());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The Debian package that installed {@code binary}, from {@code dpkg -S}; empty if none. */
    static Optional<String> owningPackage(Path binary) {
        // "xen-utils-4.17: /usr/lib/xen-4.17/bin/xenstored" (or "pkg:amd64: path" for a multi-arch one)
        return ShortCommand.output(List.of("dpkg", "-S", binary.toAbsolutePath().normalize().toString()))
                .filter(out -> out.indexOf(": ") > 0 && !out.contains("\n"))
                .map(out -> out.substring(0, out.indexOf(": ")).strip());
    }
}
