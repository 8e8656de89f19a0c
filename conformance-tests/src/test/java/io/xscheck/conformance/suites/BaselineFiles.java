package io.xscheck.conformance.suites;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the baselines live: {@code baselines/} at the repository root (tests run in the module directory). */
final class BaselineFiles {
    private BaselineFiles() {
    }

    static Path dir() {
        Path fromModule = Path.of("..", "baselines");
        return Files.isDirectory(fromModule) ? fromModule : Path.of("baselines");
    }

    static Path of(String target) {
        return dir().resolve(target + ".txt");
    }
}
