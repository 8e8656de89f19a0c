package io.xscheck.sut.model;

import io.xscheck.sut.Sut;
import org.junit.jupiter.api.Nested;

/** The served model passes the shared target-level checks over its sockets. */
class ModelServerChecksTest {

    @Nested
    class CDialect extends SutChecks {
        @Override
        protected Sut open() {
            return new ServedModelSut("cxenstored-4.17");
        }
    }

    @Nested
    class QemuDialect extends SutChecks {
        @Override
        protected Sut open() {
            return new ServedModelSut("qemu");
        }
    }
}
