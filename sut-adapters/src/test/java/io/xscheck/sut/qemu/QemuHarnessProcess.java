package io.xscheck.sut.qemu;

import io.xscheck.sut.SutOptions;

import java.nio.file.Path;

/** A stand-in harness for {@link QemuAbnormalExitTest}, in its own JVM: starts QEMU, waits to be killed. */
public final class QemuHarnessProcess {

    private QemuHarnessProcess() {
    }

    public static void main(String[] args) throws Exception {
        QemuSut sut = QemuSut.start(SutOptions.defaults().withTempParent(Path.of(args[0])));
        System.out.println(sut.pid() + " " + sut.directory());
        System.out.flush();
        Thread.sleep(60_000);
        sut.close();
    }
}
