package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.model.Dialect;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;

import java.util.Map;

/**
 * The real targets the suites run against. A target that is not installed fails the test when the
 * environment variable {@code CI} is set (CI must not skip), and skips it otherwise.
 */
final class TestTargets {
    /** The target that speaks each dialect. */
    static final Map<String, String> BY_DIALECT = Map.of(
            Dialect.CXENSTORED, "cxenstored",
            Dialect.OXENSTORED, "oxenstored",
            Dialect.CXENSTORED_420, "cxenstored-4.20",
            Dialect.OXENSTORED_420, "oxenstored-4.20",
            Dialect.QEMU, "qemu");

    private TestTargets() {
    }

    static TargetFactory require(String target) {
        io.xscheck.conformance.InstalledTargets.require(target);
        SutOptions options = SutOptions.defaults();
        return () -> Suts.open(target, options);
    }
}
