package io.xscheck.conformance.fuzz;

import io.xscheck.conformance.engine.BoundedClose;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.sut.Sut;

import java.util.Optional;

/** One robustness run of a trace on a fresh target, closed afterwards whatever happened. */
final class Replays {

    private Replays() {
    }

    static RobustnessRun.Outcome onFresh(TargetFactory factory, Trace trace) {
        Sut sut = factory.open();
        try {
            return RobustnessRun.run(sut, trace, (n, s, o, v) -> { });
        } finally {
            BoundedClose.close(sut);
        }
    }

    /** The violation's signature on a fresh target, or empty when the trace ran clean there. */
    static Optional<String> signatureOnFresh(TargetFactory factory, Trace trace) {
        return onFresh(factory, trace).violation().map(Violation::signature);
    }
}
