package io.xscheck.conformance.engine;

import io.xscheck.protocol.Request;

/** The mfn and event-channel port the harness puts in an {@code introduce DOMID} step. */
final class IntroduceArgs {
    private IntroduceArgs() {
    }

    /** Stable per domid so that every side sees the same request. */
    static Request.Introduce request(int domid) {
        return new Request.Introduce(domid, 0x1000L + domid, 10 + (domid & 0xff));
    }

    /** The step's request: its domain's own mfn and port, or port 0 when the step asks for it. */
    static Request.Introduce request(io.xscheck.conformance.trace.Command.Introduce step) {
        Request.Introduce r = request(step.domid());
        return step.portZero() ? new Request.Introduce(r.domid(), r.mfn(), 0) : r;
    }
}
