package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Capability;

import java.util.EnumSet;
import java.util.Set;

/** What a trace asks of a target: a trace is never replayed on one that lacks any of it. */
public final class TraceNeeds {
    private static final Set<Op> DOMAIN_OPS = EnumSet.of(Op.INTRODUCE, Op.RELEASE, Op.RESUME, Op.SET_TARGET);

    private TraceNeeds() {
    }

    public static Set<Capability> of(Trace trace) {
        Set<Capability> out = EnumSet.noneOf(Capability.class);
        if (trace.root().isEmpty()) {
            out.add(Capability.WHOLE_TREE);
        }
        for (TraceLine line : trace.lines()) {
            if (line instanceof TraceLine.Conn c && c.guest()) {
                out.add(Capability.GUESTS);
            }
            if (!(line instanceof TraceLine.Step s)) {
                continue;
            }
            Command c = s.command();
            if (c instanceof Command.LiveUpdate) {
                out.add(Capability.LIVE_UPDATE);
            } else if (c instanceof Command.Migrate) {
                out.add(Capability.MIGRATE);
            } else if (c instanceof Command.Kill || c instanceof Command.RingWrite) {
                out.add(Capability.GUESTS);
            } else if (c instanceof Command.WireBytes) {
                out.add(Capability.MALFORMED_REQUESTS);
            } else if (c instanceof Command.Introduce) {
                out.add(Capability.DOMAIN_OPS);
            } else if (c instanceof Command.Send send) {
                Request r = send.request();
                if (r instanceof Request.Raw) {
                    out.add(Capability.MALFORMED_REQUESTS);
                } else if (r.op() == Op.CONTROL) {
                    out.add(Capability.CONTROL);
                } else if (DOMAIN_OPS.contains(r.op())) {
                    out.add(Capability.DOMAIN_OPS);
                }
            }
        }
        return out;
    }

    /** Empty when the target can take the trace, else what it lacks, in words. */
    public static java.util.Optional<String> missing(Trace trace, Set<Capability> offered) {
        Set<Capability> lacking = EnumSet.noneOf(Capability.class);
        lacking.addAll(of(trace));
        lacking.removeAll(offered);
        if (lacking.isEmpty()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of("the trace needs " + lacking + (lacking.contains(Capability.WHOLE_TREE)
                ? " (it has no 'root' line, so it works on the whole tree)" : "")
                + (lacking.contains(Capability.MALFORMED_REQUESTS) ? " (pass --unsafe-requests to allow those)" : "")
                + ", which this target does not offer");
    }
}
