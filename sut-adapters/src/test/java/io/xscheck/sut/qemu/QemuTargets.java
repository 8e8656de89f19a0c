package io.xscheck.sut.qemu;

import io.xscheck.sut.SutOptions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/** Starting the QEMU target from tests: skipped where it is not built, a failure under CI. */
final class QemuTargets {

    private QemuTargets() {
    }

    static QemuSut start() {
        QemuBuild build = QemuBuild.current();
        if (!build.isInstalled()) {
            String ci = System.getenv("CI");
            if (ci != null && !ci.isEmpty() && !ci.equals("false")) {
                fail("CI is set but the QEMU target is not installed: " + build.describe());
            }
            Assumptions.abort(build.describe());
        }
        return QemuSut.start(SutOptions.defaults().withTempParent(Path.of("/tmp")));
    }
}
