package io.xscheck.sut.model;

import io.xscheck.sut.Sut;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Nested;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The real daemons pass the same shared checks as the QEMU target and the model (so the checks
 * hold for every implementation, not just ours). Started through the registry.
 */
class DaemonSutChecksTest {

    static Sut open(String name) {
        if (!Suts.installed().contains(name)) {
            String ci = System.getenv("CI");
            if (ci != null && !ci.isEmpty() && !ci.equals("false")) {
                fail("CI is set but " + name + " is not installed");
            }
            abort(name + " is not installed");
        }
        return Suts.open(name);
    }

    @Nested
    class CXenstored extends SutChecks {
        @Override
        protected Sut open() {
            return DaemonSutChecksTest.open("cxenstored");
        }
    }

    @Nested
    class OXenstored extends SutChecks {
        @Override
        protected Sut open() {
            return DaemonSutChecksTest.open("oxenstored");
        }
    }
}
