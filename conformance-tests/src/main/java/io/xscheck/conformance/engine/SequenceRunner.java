package io.xscheck.conformance.engine;

import io.xscheck.conformance.gen.CommandTemplate;
import io.xscheck.conformance.gen.Resolver;
import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Expect;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceWriter;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Runs one test case (generated templates or a concrete trace) against a fresh target and the
 * model, stopping at the first divergence.
 */
public final class SequenceRunner {
    private final TargetPool pool;
    private final Dialect dialect;
    private final int treeEvery;
    private final String targetName;

    /** @param factory null to run the model alone; every case gets a fresh target */
    public SequenceRunner(TargetFactory factory, Dialect dialect, int treeEvery, String targetName) {
        this(factory == null ? null : new TargetPool(factory, null, false), dialect, treeEvery, targetName);
    }

    /** @param pool where cases get their targets; null to run the model alone */
    SequenceRunner(TargetPool pool, Dialect dialect, int treeEvery, String targetName) {
        this.pool = pool;
        this.dialect = dialect;
        this.treeEvery = treeEvery;
        this.targetName = targetName;
    }

    /** Runs generated templates on a fresh target. */
    public SequenceOutcome run(List<CommandTemplate> templates) {
        return execute(null, templates, false);
    }

    /**
     * Runs generated templates, on the target the previous case left (reset) where the pool has
     * one: the outcome says so, and a divergence seen there is to be confirmed on a fresh target.
     */
    SequenceOutcome runReusing(List<CommandTemplate> templates) {
        return execute(null, templates, true);
    }

    /** Replays a concrete trace on a fresh target. */
    public SequenceOutcome replay(Trace trace) {
        return execute(trace, null, false);
    }

    private SequenceOutcome execute(Trace trace, List<CommandTemplate> templates, boolean mayReuse) {
        TargetPool.Lease lease = pool == null ? null : pool.acquire(mayReuse);
        Sut sut = lease == null ? null : lease.sut();
        List<TraceLine> lines = new ArrayList<>();
        List<String> text = new ArrayList<>();
        Map<String, Integer> mix = new TreeMap<>();
        int commands = 0;
        List<String> failed = new ArrayList<>();
        Optional<Divergence> divergence = Optional.empty();
        String logTail = "";
        boolean clean = false;
        try (Lockstep ls = new Lockstep(new ModelSession(dialect), sut == null ? null : new TargetSession(sut), treeEvery)) {
            try {
                if (templates != null) {
                    boolean guests = sut == null || sut.supportsGuests();
                    List<TraceLine.Conn> conns = Resolver.standardConns(guests);
                    String root = sut == null ? "/" : sut.sandboxRoot();
                    for (TraceLine.Conn c : conns) {
                        ls.declare(c);
                        lines.add(c);
                        text.add(TraceWriter.line(c));
                    }
                    Resolver resolver = new Resolver(conns, root);
                    List<TraceLine.Step> prelude = new ArrayList<>();
                    if (!root.equals("/")) {
                        prelude.add(TraceLine.Step.of(conns.get(0).name(), new Command.Send(new Request.Mkdir(root))));
                    }
                    for (TraceLine.Step s : prelude) {
                        StepResult r = ls.step(s);
                        commands++;
                        record(ls, r, lines, text, mix);
                        if (r.divergence().isPresent()) {
                            divergence = r.divergence();
                            break;
                        }
                    }
                    for (int i = 0; divergence.isEmpty() && i < templates.size(); i++) {
                        Optional<TraceLine.Step> s = resolver.resolve(templates.get(i), ls.gone());
                        if (s.isEmpty()) {
                            continue;
                        }
                        StepResult r = ls.step(s.get());
                        commands++;
                        resolver.observe(s.get(), r.followed());
                        record(ls, r, lines, text, mix);
                        divergence = r.divergence();
                    }
                } else {
                    for (TraceLine line : trace.lines()) {
                        if (divergence.isPresent()) {
                            break;
                        }
                        if (line instanceof TraceLine.Conn c) {
                            ls.declare(c);
                            lines.add(c);
                            text.add(TraceWriter.line(c));
                            continue;
                        }
                        StepResult r = ls.step((TraceLine.Step) line);
                        commands++;
                        if (r.expectationFailed()) {
                            failed.add("step " + (r.index() + 1) + ": " + TraceWriter.line(r.step()) + "  got "
                                    + r.target().map(String::valueOf).orElse(r.eventsCheck().map(String::valueOf)
                                    .orElse(String.valueOf(r.followed()))));
                        }
                        record(ls, r, lines, text, mix);
                        divergence = r.divergence();
                    }
                }
                if (divergence.isEmpty()) {
                    divergence = ls.finish();
                    divergence.ifPresent(d -> text.add("# whole-tree check: " + d.actual()));
                }
            } catch (SutException e) {
                divergence = Optional.of(new Divergence("crash", "crash:setup:" + e.kind(), lines.size(), "(setup)",
                        "a usable target", e.getMessage(), "harness"));
            }
            if (divergence.isPresent() && sut != null) {
                logTail = safeLogTail(sut);
            }
            clean = divergence.isEmpty() && failed.isEmpty();
        } finally {
            if (lease != null) {
                pool.release(lease, clean, GuestDomids.of(lines));
            }
        }
        return new SequenceOutcome(new Trace(lines), divergence, String.join("\n", text) + "\n", commands, mix, logTail,
                List.copyOf(failed), lease != null && lease.reused());
    }

    private static String safeLogTail(Sut sut) {
        try {
            return sut.logTail(30);
        } catch (RuntimeException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void record(Lockstep ls, StepResult r, List<TraceLine> lines, List<String> text, Map<String, Integer> mix) {
        TraceLine.Step step = r.step();
        mix.merge(Lockstep.keyword(step), 1, Integer::sum);
        Expect expect = step.command() instanceof Command.Events
                ? new Expect.Events(r.modelEvents().getOrDefault(step.conn(), List.of()))
                : ls.expectOf(r.modelReplies());
        TraceLine.Step withExpect = step.withExpect(expect);
        lines.add(step.withoutExpect());
        String line = TraceWriter.line(withExpect);
        if (r.divergence().isPresent()) {
            Divergence d = r.divergence().get();
            line += "    # " + targetName + ": " + d.actual().replace('\n', ' ');
        }
        text.add(line);
        if (!(step.command() instanceof Command.Events)) {
            for (Map.Entry<String, List<WatchEvent>> e : r.modelEvents().entrySet()) {
                text.add("# " + e.getKey() + " gets " + TraceWriter.expect(new Expect.Events(e.getValue())));
            }
        }
    }
}
