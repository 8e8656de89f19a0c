package io.xscheck.conformance.trace;

import com.google.common.collect.ImmutableList;

import java.util.List;

/** A whole trace: connection declarations and steps, in file order. Replays against a fresh target. */
public record Trace(List<TraceLine> lines) {
    public Trace {
        lines = ImmutableList.copyOf(lines);
    }

    /** The case root the trace declares, if any (see {@link TraceLine.Root}). */
    public java.util.Optional<String> root() {
        return lines.stream().filter(TraceLine.Root.class::isInstance).map(l -> ((TraceLine.Root) l).path()).findFirst();
    }

    public List<TraceLine.Conn> conns() {
        return lines.stream().filter(TraceLine.Conn.class::isInstance).map(TraceLine.Conn.class::cast).toList();
    }

    public List<TraceLine.Step> steps() {
        return lines.stream().filter(TraceLine.Step.class::isInstance).map(TraceLine.Step.class::cast).toList();
    }
}
