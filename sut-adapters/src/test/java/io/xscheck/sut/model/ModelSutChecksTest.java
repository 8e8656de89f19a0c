package io.xscheck.sut.model;

import io.xscheck.sut.Sut;
import org.junit.jupiter.api.Nested;

/** The in-process model passes the shared target-level checks in every dialect. */
class ModelSutChecksTest {

    @Nested
    class CDialect extends SutChecks {
        @Override
        protected Sut open() {
            return ModelSut.start("cxenstored-4.17");
        }
    }

    @Nested
    class OcamlDialect extends SutChecks {
        @Override
        protected Sut open() {
            return ModelSut.start("oxenstored-4.17");
        }
    }

    @Nested
    class QemuDialect extends SutChecks {
        @Override
        protected Sut open() {
            return ModelSut.start("qemu");
        }
    }

    @Nested
    class SpecDialect extends SutChecks {
        @Override
        protected Sut open() {
            return ModelSut.start("spec");
        }
    }
}
