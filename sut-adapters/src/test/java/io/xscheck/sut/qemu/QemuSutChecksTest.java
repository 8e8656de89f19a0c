package io.xscheck.sut.qemu;

import io.xscheck.sut.Sut;
import io.xscheck.sut.model.SutChecks;

/** QEMU passes every shared target-level check (its differences are in {@link QemuFindingsTest}). */
class QemuSutChecksTest extends SutChecks {

    @Override
    protected Sut open() {
        return QemuTargets.start();
    }
}
