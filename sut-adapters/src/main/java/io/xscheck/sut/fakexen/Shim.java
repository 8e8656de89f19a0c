package io.xscheck.sut.fakexen;

import io.xscheck.sut.SutException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The fake-Xen shim, {@code libfakexen.so}, built from {@code src/main/c/fakexen} by the Maven
 * build and shipped as the classpath resource {@code native/libfakexen.so}. Each daemon gets its
 * own copy in its private directory, so it works the same from the build tree and the CLI jar.
 */
final class Shim {

    static final String RESOURCE = "/native/libfakexen.so";
    static final String FILE_NAME = "libfakexen.so";

    private Shim() {
    }

    static boolean isBuilt() {
        return Shim.class.getResource(RESOURCE) != null;
    }

    /** Copies the shim into {@code dir} and returns its path. */
    static Path install(Path dir, String target) {
        try (InputStream in = Shim.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new SutException(SutException.Kind.ENVIRONMENT, target, "the fake-Xen shim " + RESOURCE
                        + " is not on the classpath; build sut-adapters with Maven (needs gcc and libxen-dev)", "");
            }
            Path lib = dir.resolve(FILE_NAME);
            Files.copy(in, lib);
            Files.setPosixFilePermissions(lib, PosixFilePermissions.fromString("r-x------"));
            return lib;
        } catch (IOException e) {
            throw new SutException(SutException.Kind.ENVIRONMENT, target,
                    "cannot install the fake-Xen shim into " + dir + ": " + e, "", e);
        }
    }
}
