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
import io.xscheck.sut.Capability;
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
    /** The step a divergence names when the target failed before the case's first step. */
    static final String SETUP = "(setup)";

    private final String targetName;
    /** The last case of this runner, when it ended clean: a reused target broke by it shows at the next. */
    private SequenceOutcome previous;
    /** Where this runner's cases spend their time (the run's clock when a campaign gives one). */
    private StepClock clock = new StepClock();

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

    /** Records the time of the cases this runner runs on {@code c}. */
    SequenceRunner timedBy(StepClock c) {
        this.clock = c;
        return this;
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
        // Only a campaign's own cases are timed: confirmations and shrinking replays are not the run's pace.
        StepClock clock = mayReuse ? this.clock : new StepClock();
        long setupStart = System.nanoTime();
        java.time.Instant caseStart = java.time.Instant.now();
        TargetPool.Lease lease = pool == null ? null : pool.acquire(mayReuse);
        Sut sut = lease == null ? null : lease.sut();
        if (trace != null && sut != null) {
            Optional<String> lacking = TraceNeeds.missing(trace, sut.capabilities());
            if (lacking.isPresent()) {
                pool.release(lease, true, java.util.Set.of());
                throw new IllegalArgumentException(sut.name() + ": " + lacking.get());
            }
        }
        List<TraceLine> lines = new ArrayList<>();
        TraceText text = new TraceText();
        Map<String, Integer> mix = new TreeMap<>();
        Map<String, Integer> rules = new TreeMap<>();
        int commands = 0;
        List<String> failed = new ArrayList<>();
        Optional<Divergence> divergence = Optional.empty();
        String logTail = "";
        boolean clean = false;
        boolean batched = false;
        boolean eventsLeftOut = false;
        io.xscheck.sut.TreeImage seen = null;
        try (Lockstep ls = new Lockstep(new ModelSession(dialect), sut == null ? null : new TargetSession(sut), treeEvery)
                .timedBy(clock)) {
            try {
                if (templates != null) {
                    boolean guests = sut == null || sut.capabilities().contains(Capability.GUESTS);
                    List<TraceLine.Conn> conns = Resolver.standardConns(guests);
                    String root = ls.openCaseRoot(Optional.empty());
                    if (!root.equals("/")) {
                        addRoot(root, lines, text);
                    }
                    if (sut != null && guests) {
                        sut.prepareCaseGuests(conns.stream().filter(TraceLine.Conn::guest).map(TraceLine.Conn::domid)
                                .collect(java.util.stream.Collectors.toSet()));
                    }
                    for (TraceLine.Conn c : conns) {
                        ls.declare(c);
                        lines.add(c);
                        text.add(TraceWriter.line(c));
                    }
                    divergence = prepare(ls, text);
                    commands += ls.caseRoot().equals("/") ? 0 : 2;
                    clock.since(StepClock.Phase.CASE_SETUP, setupStart);
                    Resolver resolver = new Resolver(conns, root, new Resolver.Traits(
                            dialect.transactions().idsAcrossConnections(), dialect.domains().introduceRejectsBadPort(),
                            dialect.acls().deadDomainAclEntriesKept(), dialect.domains().dom0IsADomain()));
                    // Only on a reused target whose divergences are replayed on a fresh one anyway: on QEMU (its reset
                    // renews its state, so nothing is replayed; a third of its cases diverge) a replay of each cost more
                    // than going ahead saved.
                    ls.sendsAhead(mayReuse && lease != null && lease.reused() && !sut.resetRenewsState());
                    for (int i = 0; divergence.isEmpty() && i < templates.size(); i++) {
                        Optional<TraceLine.Conn> revived = resolver.revival(templates.get(i), ls.gone());
                        if (revived.isPresent()) {
                            // the steps sent ahead are compared first: the introduction's events follow them
                            for (StepResult r : ls.settle()) {
                                commands++;
                                record(ls, r, lines, text, mix, rules);
                                divergence = divergence.or(r::divergence);
                            }
                            if (divergence.isEmpty()) {
                                ls.declare(revived.get());
                                lines.add(revived.get());
                                text.add(TraceWriter.line(revived.get()));
                            }
                            continue;
                        }
                        Optional<TraceLine.Step> s = resolver.resolve(templates.get(i), ls.gone());
                        if (s.isEmpty()) {
                            continue;
                        }
                        Lockstep.Progress p = ls.advance(s.get());
                        for (StepResult r : p.done()) {
                            commands++;
                            record(ls, r, lines, text, mix, rules);
                        }
                        divergence = p.divergence();
                        if (divergence.isEmpty()) {
                            resolver.observe(s.get(), p.followed());
                        }
                    }
                    if (divergence.isEmpty()) {
                        for (StepResult r : ls.settle()) {
                            commands++;
                            record(ls, r, lines, text, mix, rules);
                            divergence = divergence.or(r::divergence);
                        }
                    }
                    batched = ls.batched();
                } else {
                    String root = ls.openCaseRoot(trace.root());
                    if (!root.equals("/")) {
                        addRoot(root, lines, text);
                    }
                    boolean prepared = false;
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
                        if (!(line instanceof TraceLine.Step step)) {
                            continue;
                        }
                        if (!prepared) {
                            prepared = true;
                            divergence = prepare(ls, text);
                            if (divergence.isPresent()) {
                                break;
                            }
                        }
                        StepResult r = ls.step(step);
                        commands++;
                        if (r.expectationFailed()) {
                            failed.add("step " + (r.index() + 1) + ": " + TraceWriter.line(r.step()) + "  got "
                                    + r.target().map(String::valueOf).orElse(r.eventsCheck().map(String::valueOf)
                                    .orElse(String.valueOf(r.followed()))));
                        }
                        record(ls, r, lines, text, mix, rules);
                        divergence = r.divergence();
                    }
                }
                if (divergence.isEmpty()) {
                    divergence = ls.finish();
                    divergence.ifPresent(d -> text.add("# whole-tree check: " + d.actual()));
                    seen = ls.seenAtEnd().orElse(null);
                }
                eventsLeftOut = batched && divergence.isPresent() && ls.eventsLeftOut(divergence.get());
            } catch (SutException e) {
                divergence = Optional.of(new Divergence("crash", Signatures.crash("setup", e, ""), lines.size(),
                        SETUP, "a usable target", e.getMessage(), "harness"));
            }
            if (divergence.isPresent() && sut != null) {
                logTail = safeLogTail(sut, REPRODUCER_LOG_LINES);
                // read further back than the reproducer shows: a backtrace and what the daemon logged after it can push
                // the "caught exception" line out of the last 30 lines (4.20 gate seed 79027: the reproducer's tail
                // shows oxenstored's Domains.cleanup backtrace without that line, and the divergence went unnamed)
                final String tail = safeLogTail(sut, EXCEPTION_LOG_LINES);
                divergence = divergence.map(d -> DaemonExceptions.named(d, tail, caseStart));
            }
            clean = divergence.isEmpty() && failed.isEmpty();
        } finally {
            long resetStart = System.nanoTime();
            if (lease != null) {
                // A diverged case's target is suspect, unless its reset makes its state anew and it is still whole.
                boolean renewable = sut.resetRenewsState() && failed.isEmpty()
                        && !(divergence.isPresent() && divergence.get().category().equals("crash"));
                pool.release(lease, clean || renewable, GuestDomids.of(lines), GuestDomids.untouched(lines),
                        clean ? seen : null);
            }
            clock.since(StepClock.Phase.CASE_RESET, resetStart);
        }
        boolean reused = lease != null && lease.reused();
        if (reused && previous != null && divergence.isPresent()
                && divergence.get().step().equals(SETUP)) {
            return diedAfterPrevious(divergence.get(), commands, mix, logTail);
        }
        SequenceOutcome outcome = new SequenceOutcome(new Trace(lines), divergence, text,
                commands, mix, logTail, List.copyOf(failed), reused, rules, batched, eventsLeftOut);
        previous = clean ? outcome : null;
        return outcome;
    }

    /**
     * A target reused from the previous case that is gone before this case could use it was
     * broken by that case (C xenstored 4.17 aborts on a request it had put aside, later, when it
     * retries it): the previous case is the reproducer, not this one's empty trace.
     */
    private SequenceOutcome diedAfterPrevious(Divergence setup, int commands, Map<String, Integer> mix, String logTail) {
        SequenceOutcome p = previous;
        previous = null;
        Divergence d = new Divergence("crash", setup.signature().replace("crash:setup:", "crash:after-case:"),
                p.trace().steps().size(), "(after the last step: the next case found the target gone)",
                setup.expected(), setup.actual(), "harness");
        String reproducer = p.reproducer() + "# " + targetName + ": the target was gone when the next test case"
                + " connected: " + setup.actual().replace('\n', ' ') + "\n";
        return new SequenceOutcome(p.trace(), Optional.of(d), reproducer, commands, mix, logTail, List.of(), true);
    }

    private static void addRoot(String root, List<TraceLine> lines, TraceText text) {
        TraceLine.Root line = new TraceLine.Root(root);
        lines.add(line);
        text.add(TraceWriter.line(line) + "    # made by the harness: mkdir, then setperms n0, on the first dom0 connection");
    }

    /** Creates the case root on both sides; a divergence there is the target's, reported like any other. */
    private static Optional<Divergence> prepare(Lockstep ls, TraceText text) {
        for (StepResult r : ls.prepareCaseRoot()) {
            if (r.divergence().isPresent()) {
                text.add("# " + TraceWriter.line(r.step()) + "    # (case root) " + r.divergence().get().actual());
                return r.divergence();
            }
        }
        return Optional.empty();
    }

    /** Log lines a reproducer shows. */
    private static final int REPRODUCER_LOG_LINES = 30;
    /** Log lines searched for an exception the daemon caught and went on from ({@link DaemonExceptions}). */
    private static final int EXCEPTION_LOG_LINES = 200;

    private static String safeLogTail(Sut sut, int lines) {
        try {
            return sut.logTail(lines);
        } catch (RuntimeException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private void record(Lockstep ls, StepResult r, List<TraceLine> lines, TraceText text, Map<String, Integer> mix,
                        Map<String, Integer> rules) {
        TraceLine.Step step = r.step();
        mix.merge(Lockstep.keyword(step), 1, Integer::sum);
        if (io.xscheck.model.Rule.withId(r.rule()).isPresent()) {
            rules.merge(r.rule(), 1, Integer::sum);
        }
        lines.add(step.withoutExpect());
        text.addLater(() -> stepText(ls, r));
    }

    /** A step's reproducer line with the model's expectation (and the target's answer where it diverged), then the events each connection gets. */
    private String stepText(Lockstep ls, StepResult r) {
        TraceLine.Step step = r.step();
        Expect expect = step.command() instanceof Command.Events
                ? new Expect.Events(r.modelEvents().getOrDefault(step.conn(), List.of()))
                : ls.expectOf(r.modelReplies());
        StringBuilder out = new StringBuilder(TraceWriter.line(step.withExpect(expect)));
        if (r.divergence().isPresent()) {
            Divergence d = r.divergence().get();
            out.append("    # ").append(targetName).append(": ").append(d.actual().replace('\n', ' '));
        }
        if (!(step.command() instanceof Command.Events)) {
            for (Map.Entry<String, List<WatchEvent>> e : r.modelEvents().entrySet()) {
                out.append("\n# ").append(e.getKey()).append(" gets ").append(TraceWriter.expect(new Expect.Events(e.getValue())));
            }
        }
        return out.toString();
    }
}
