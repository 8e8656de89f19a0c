package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.conformance.trace.TraceSyntaxException;
import io.xscheck.model.Dialect;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --dialect auto} for a daemon reached by its socket: a short probe trace, harmless and
 * confined to a case root of the target's sandbox, is run once per dialect of the model; the
 * dialects under which the target agrees with the model on every step are the candidates. The
 * probes touch the places where the dialects differ most visibly (DIRECTORY order, RM of missing
 * nodes, GET_DOMAIN_PATH, trailing slashes, transaction conflicts, ACLs naming unknown domains).
 */
public final class DialectDetector {

    /** What was picked and why. */
    public record Choice(String dialect, String why) {
    }

    /** Written for a placeholder root of a socket target's width; moved to a fresh one when run. */
    static final String PROBE = """
            root /xscheck-sandbox-0000000-000000/c000000
            conn A dom0
            conn B dom0
            A mkdir /xscheck-sandbox-0000000-000000/c000000/d/b
            A mkdir /xscheck-sandbox-0000000-000000/c000000/d/a
            A write /xscheck-sandbox-0000000-000000/c000000/d/c x
            A directory /xscheck-sandbox-0000000-000000/c000000/d
            A rm /xscheck-sandbox-0000000-000000/c000000/missing
            A rm /xscheck-sandbox-0000000-000000/c000000/missing/child
            A read /xscheck-sandbox-0000000-000000/c000000/d/
            A getdomainpath 0
            A setperms /xscheck-sandbox-0000000-000000/c000000/d/a n0 r77
            A getperms /xscheck-sandbox-0000000-000000/c000000/d/a
            B watch /xscheck-sandbox-0000000-000000/c000000/d t
            A tx T1
            A@T1 read /xscheck-sandbox-0000000-000000/c000000/d/a
            A@T1 write /xscheck-sandbox-0000000-000000/c000000/d/b y
            B write /xscheck-sandbox-0000000-000000/c000000/d/c z
            A commit T1
            A tx T2
            A@T2 write /xscheck-sandbox-0000000-000000/c000000/d/e v
            A commit T2
            B events
            """;

    private DialectDetector() {
    }

    /**
     * @param guess what the daemon's identity suggests; kept when the probes allow it
     * @param identity how the guess was made, for the explanation
     */
    public static Choice detect(TargetFactory factory, String guess, String identity) {
        Trace probe;
        try {
            probe = TraceParser.parse(PROBE);
        } catch (TraceSyntaxException e) {
            throw new IllegalStateException("the built-in probe trace does not parse", e);
        }
        Map<String, String> verdicts = new LinkedHashMap<>();
        List<String> agreeing = new ArrayList<>();
        for (String name : Dialect.names()) {
            SequenceOutcome o = new SequenceRunner(factory, Dialect.named(name), 0, "probe").replay(probe);
            if (o.diverged()) {
                verdicts.put(name, "differs at '" + o.divergence().get().step() + "'");
            } else {
                agreeing.add(name);
                verdicts.put(name, "agrees");
            }
        }
        String probes = probe.steps().size() + " probe steps in the sandbox: " + verdicts;
        if (agreeing.contains(guess)) {
            return new Choice(guess, identity + "; " + probes);
        }
        if (!agreeing.isEmpty()) {
            return new Choice(agreeing.get(0), identity + " suggested " + guess + ", but " + probes);
        }
        return new Choice(guess, identity + "; no dialect agrees with every probe (" + probes + "), so the guess"
                + " stands and its differences will show as divergences");
    }
}
