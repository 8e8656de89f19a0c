package io.xscheck.conformance.engine;

import io.xscheck.conformance.gen.CommandTemplate;
import io.xscheck.conformance.gen.Templates;
import io.xscheck.conformance.gen.Weights;
import io.xscheck.conformance.trace.TraceWriter;
import io.xscheck.model.Dialect;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;
import org.quicktheories.api.AsString;
import org.quicktheories.core.Configuration;
import org.quicktheories.core.Gen;
import org.quicktheories.core.NoGuidance;
import org.quicktheories.core.Reporter;
import org.quicktheories.core.Strategy;
import org.quicktheories.impl.TheoryRunner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;

/**
 * A run against one target: test cases from seeded QuickTheories generators, each against a fresh
 * target, {@code jobs} in parallel (one target per job), until the time or the sequence budget is
 * spent. The first time a divergence signature shows up it is shrunk: QuickTheories shrinks the
 * templates, then {@link Shrinker} removes concrete steps.
 */
public final class Campaign {
    /** Spreads test-case seeds; the same run seed gives the same test cases on every target. */
    private static final long SEED_STRIDE = 0x9E3779B97F4A7C15L;
    /**
     * QuickTheories starts every search with its edge cases (the shortest list, then the longest);
     * those are skipped, so each test case is the first random example of its seed. Later examples
     * pass at once; QuickTheories may skip duplicate examples, hence the margin in {@code EXAMPLES}.
     */
    private static final int PRIMED = 2;
    private static final int EXAMPLES = 20;
    /** A case this short is left to step removal: template shrinking cannot do much better. */
    private static final int SMALL_ENOUGH = 2;

    /**
     * @param known signatures already documented (a baseline): counted and reported, never shrunk
     */
    public record Config(long seed, Duration time, long sequences, int jobs, Weights weights, int maxLength,
                         int treeEvery, Duration shrinkBudget, int shrinkCycles, java.util.Set<String> known) {
        public Config {
            known = java.util.Set.copyOf(known);
        }

        public Config(long seed, Duration time, long sequences, int jobs, Weights weights, int maxLength,
                      int treeEvery, Duration shrinkBudget, int shrinkCycles) {
            this(seed, time, sequences, jobs, weights, maxLength, treeEvery, shrinkBudget, shrinkCycles, java.util.Set.of());
        }
    }

    private final String targetName;
    private final TargetFactory factory;
    private final Dialect dialect;
    private final Config config;
    private final LongConsumer progress;
    private final LongConsumer diverged;
    private final AtomicLong commands = new AtomicLong();
    private final AtomicLong shrinkNanos = new AtomicLong();
    private final BoundedClose closer = new BoundedClose();
    private final AtomicLong sequences = new AtomicLong();
    private final AtomicLong reusedCases = new AtomicLong();
    private final AtomicLong failedResets = new AtomicLong();
    private final AtomicLong unconfirmed = new AtomicLong();
    private final AtomicLong repeatsNotReplayed = new AtomicLong();
    /**
     * Signatures a fresh target showed one step at a time in this run: a case's own (a fresh target, nothing sent
     * ahead, or a target whose reset renews its state) or a confirmation's replay. A later case on a reset target
     * that shows one of them is counted as that finding's case without a replay (see {@link #confirmed}).
     */
    private final java.util.Set<String> confirmedOnFresh = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicReference<String> unconfirmedExample =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final AtomicLong nextIndex = new AtomicLong();
    private final StepClock clock = new StepClock();
    /** What the target can take, from the first instance (the model alone: everything). */
    private volatile java.util.Set<io.xscheck.sut.Capability> capabilities = io.xscheck.sut.Capability.all();
    /** Whether the target's reset renews its state ({@link Sut#resetRenewsState}), from the first instance. */
    private volatile boolean resetRenews;
    /** Why the target could not serve another case, once that happened: the run stops for it. */
    private final java.util.concurrent.atomic.AtomicReference<String> lostTarget =
            new java.util.concurrent.atomic.AtomicReference<>();
    private final Map<String, Finding> findings = new ConcurrentHashMap<>();
    private final Map<String, Long> byCategory = new ConcurrentHashMap<>();
    private final Map<String, Long> opMix = new ConcurrentHashMap<>();
    private final Map<String, Long> ruleHits = new ConcurrentHashMap<>();
    private volatile java.util.Set<String> generatedKinds = java.util.Set.of();
    /** Exceptions the engine itself threw (not target failures): reported as the run's error. */
    private final List<Throwable> engineErrors = java.util.Collections.synchronizedList(new ArrayList<>());

    /** @param factory null runs the model against itself (an engine self-check) */
    public Campaign(String targetName, TargetFactory factory, Dialect dialect, Config config, LongConsumer progress) {
        this(targetName, factory, dialect, config, progress, n -> { });
    }

    /** @param diverged told once per test case that diverges, for a live count */
    public Campaign(String targetName, TargetFactory factory, Dialect dialect, Config config, LongConsumer progress,
                    LongConsumer diverged) {
        this.diverged = diverged;
        this.targetName = targetName;
        this.factory = factory;
        this.dialect = dialect;
        this.config = config;
        this.progress = progress;
    }

    public static long caseSeed(long runSeed, long index) {
        return runSeed + index * SEED_STRIDE;
    }

    public TargetReport run() {
        String version = "";
        String error = "";
        Weights weights = config.weights();
        if (factory != null) {
            try {
                Sut probe = TargetPool.openWithRetry(factory);
                version = probe.version();
                java.util.Set<io.xscheck.sut.Capability> caps = probe.capabilities();
                capabilities = caps;
                resetRenews = probe.resetRenewsState();
                BoundedClose.close(probe);
                weights = weights.restrictedTo(caps);
            } catch (SutException | IllegalArgumentException e) {
                return new TargetReport(targetName, "", dialect.name(), config.jobs(), 0, 0, 0, Map.of(), List.of(),
                        Map.of(), 0, e.getMessage(), 0, TargetReport.Reuse.NONE);
            }
        } else {
            version = "model";
        }
        long start = System.nanoTime();
        long deadline = start + config.time().toNanos();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        Gen<List<CommandTemplate>> gen = Templates.sequences(weights, config.maxLength());
        generatedKinds = weights.asMap().entrySet().stream().filter(e -> e.getValue() > 0)
                .map(e -> e.getKey().name().toLowerCase()).collect(java.util.stream.Collectors.toCollection(java.util.TreeSet::new));
        for (int j = 0; j < config.jobs(); j++) {
            Thread t = new Thread(() -> {
                try {
                    work(gen, deadline);
                } catch (Throwable e) {
                    failures.add(e);
                }
            }, "xscheck-" + targetName + "-" + j);
            t.start();
            threads.add(t);
        }
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        closer.drain();
        failures.addAll(engineErrors);
        Optional<String> lost = lostTarget.get() == null ? Optional.empty() : Optional.of(lostTarget.get());
        if (lost.isPresent() && findings.values().stream().anyMatch(f -> f.divergence().category().equals("crash"))) {
            // The daemon a crash took down cannot serve later cases: that is the crash's consequence,
            // reported with it, not a second error.
            failures.removeIf(f -> f instanceof SutException);
        } else if (lost.isPresent()) {
            failures.add(0, new SutException(SutException.Kind.DIED, targetName, lost.get(), ""));
        }
        if (!failures.isEmpty()) {
            Throwable f = failures.get(0);
            java.io.StringWriter trace = new java.io.StringWriter();
            f.printStackTrace(new java.io.PrintWriter(trace));
            error = failures.size() + " engine error(s), first: " + trace.toString().lines().limit(8)
                    .reduce((x, y) -> x + "\n" + y).orElse("");
        }
        List<Finding> sorted = new ArrayList<>(findings.values());
        sorted.sort(Comparator.comparing((Finding f) -> f.divergence().category()).thenComparing(f -> f.divergence().signature()));
        return new TargetReport(targetName, version, dialect.name(), config.jobs(), sequences.get(), commands.get(),
                seconds, new TreeMap<>(byCategory), sorted, new TreeMap<>(opMix), 0, error, shrinkNanos.get() / 1e9,
                new TargetReport.Reuse(reusedCases.get(), failedResets.get(), unconfirmed.get(),
                        unconfirmedExample.get() == null ? "" : unconfirmedExample.get(), repeatsNotReplayed.get()),
                clock.snapshot(), 0,
                new TreeMap<>(ruleHits), generatedKinds);
    }

    private void work(Gen<List<CommandTemplate>> gen, long deadline) {
        try (PrestartingFactory targets = factory == null ? null : new PrestartingFactory(factory);
             TargetPool pool = targets == null ? null : new TargetPool(targets, closer, true)) {
            SequenceRunner runner = new SequenceRunner(pool, dialect, config.treeEvery(), targetName).timedBy(clock);
            try {
                while (System.nanoTime() < deadline && lostTarget.get() == null) {
                    long index = nextIndex.getAndIncrement();
                    if (index >= config.sequences()) {
                        return;
                    }
                    runCase(gen, runner, caseSeed(config.seed(), index), deadline);
                }
            } finally {
                if (pool != null) {
                    failedResets.addAndGet(pool.failedResets());
                }
            }
        }
    }

    /** One test case through QuickTheories: the first predicate call is the case, later ones shrink it. */
    private void runCase(Gen<List<CommandTemplate>> gen, SequenceRunner runner, long seed, long runDeadline) {
        final SequenceOutcome[] first = new SequenceOutcome[1];
        final SequenceOutcome[] smallest = new SequenceOutcome[1];
        final long[] shrinkDeadline = new long[1];
        final long[] shrinkStart = new long[1];
        final boolean[] shrinking = new boolean[1];
        final int[] calls = new int[1];
        Strategy strategy = Configuration.systemStrategy()
                .withFixedSeed(seed)
                .withExamples(EXAMPLES)
                .withShrinkCycles(config.shrinkCycles())
                .withGuidance(prng -> new NoGuidance())
                .withReporter(new SilentReporter());
        // QuickTheories draws all its EXAMPLES whatever the predicate answers: once the case has passed (or its
        // divergence is counted and not shrunk), the examples left are empty lists, not 100 templates each to drop
        // (about 4 ms a case). The case itself and any shrinking draw from the generator as before.
        Gen<List<CommandTemplate>> caseGen = random -> first[0] != null && !shrinking[0] ? List.of() : gen.generate(random);
        try {
            TheoryRunner.runner(strategy, caseGen).check(templates -> {
                if (++calls[0] <= PRIMED) {
                    return true;
                }
                if (first[0] == null) {
                    SequenceOutcome o;
                    try {
                        o = confirmed(runner, templates, runner.runReusing(templates));
                    } catch (SutException e) {
                        // No target for a new case: the daemon stopped (perhaps by a case of this run).
                        lostTarget.compareAndSet(null, "the target could no longer be started or reached for a new"
                                + " case: " + e.getMessage());
                        first[0] = new SequenceOutcome(new io.xscheck.conformance.trace.Trace(List.of()),
                                java.util.Optional.empty(), "", 0, Map.of(), "", List.of(), false);
                        return true;
                    } catch (RuntimeException e) {
                        engineErrors.add(e);
                        sequences.incrementAndGet();
                        first[0] = new SequenceOutcome(new io.xscheck.conformance.trace.Trace(List.of()),
                                java.util.Optional.empty(), "", 0, Map.of(), "", List.of(), false);
                        return true;
                    }
                    first[0] = o;
                    sequences.incrementAndGet();
                    commands.addAndGet(o.commands());
                    o.opMix().forEach((k, v) -> opMix.merge(k, (long) v, Long::sum));
                    o.ruleHits().forEach((k, v) -> ruleHits.merge(k, (long) v, Long::sum));
                    progress.accept(o.commands());
                    if (!o.diverged()) {
                        return true;
                    }
                    byCategory.merge(o.divergence().get().category(), 1L, Long::sum);
                    diverged.accept(1);
                    Finding known = findings.computeIfPresent(o.signature(), (k, f) -> f.withOccurrences(f.occurrences() + 1));
                    if (known != null) {
                        return true;
                    }
                    // Claim the signature so that other jobs count instead of shrinking it again.
                    Finding placeholder = new Finding(o.divergence().get(), seed, 1, o.reproducer(),
                            TraceWriter.write(o.trace()), o.logTail(), o.trace().steps().size(), o.trace().steps().size());
                    if (findings.putIfAbsent(o.signature(), placeholder) != null) {
                        findings.computeIfPresent(o.signature(), (k, f) -> f.withOccurrences(f.occurrences() + 1));
                        return true;
                    }
                    if (config.known().contains(o.signature())) {
                        return true;
                    }
                    smallest[0] = o;
                    shrinking[0] = true;
                    shrinkStart[0] = System.nanoTime();
                    shrinkDeadline[0] = System.nanoTime() + shrinkNanos(runDeadline) / 3;
                    return false;
                }
                if (!shrinking[0] || System.nanoTime() > shrinkDeadline[0]
                        || smallest[0].trace().steps().size() <= SMALL_ENOUGH) {
                    return true;
                }
                SequenceOutcome o = runner.run(templates);
                if (o.signature().equals(first[0].signature())) {
                    if (o.trace().steps().size() <= smallest[0].trace().steps().size()) {
                        smallest[0] = o;
                    }
                    return false;
                }
                return true;
            });
        } catch (AssertionError | RuntimeException e) {
            if (!shrinking[0]) {
                throw e;
            }
        }
        if (shrinking[0]) {
            SequenceOutcome best = smallest[0];
            Shrinker shrinker = new Shrinker(runner::replay, System.nanoTime() + shrinkNanos(runDeadline) * 2 / 3);
            SequenceOutcome min;
            try {
                min = shrinker.minimize(best);
            } catch (SutException e) {
                // The case took the target down and no fresh one can be had: the smallest trace so far stands.
                lostTarget.compareAndSet(null, "the target could no longer be started or reached to shrink a"
                        + " divergence: " + e.getMessage());
                min = best;
            }
            Triage triage = triage(runner, min, runDeadline);
            Finding f = findings.get(first[0].signature());
            int occurrences = f == null ? 1 : f.occurrences();
            findings.put(first[0].signature(), new Finding(min.divergence().orElseThrow(), seed, occurrences,
                    min.reproducer(), TraceWriter.write(min.trace()), logTails(min, first[0]),
                    first[0].trace().steps().size(), min.trace().steps().size(), triage));
            shrinkNanos.addAndGet(System.nanoTime() - shrinkStart[0]);
        }
    }

    /**
     * The shrunk reproducer's log tail, and the first sighting's where it says something else: a
     * divergence that does not replay (a harness race) is explained only by the log of the target
     * it was first seen on (a refusal's reason, say), which the shrinking's fresh targets never wrote.
     */
    static String logTails(SequenceOutcome shrunk, SequenceOutcome firstSeen) {
        String tail = shrunk.logTail();
        String before = firstSeen.logTail();
        if (before.isBlank() || before.equals(tail)) {
            return tail;
        }
        return (tail.isBlank() ? "" : tail.stripTrailing() + "\n") + "--- the target it was first seen on ---\n" + before;
    }

    /**
     * A crash is tried again from guest connections alone ({@link GuestTriage}), on targets that
     * have guests; other divergences are not triaged.
     */
    private Triage triage(SequenceRunner runner, SequenceOutcome min, long runDeadline) {
        if (!min.divergence().map(d -> d.category().equals("crash")).orElse(false)) {
            return Triage.none("not a crash");
        }
        if (!capabilities.contains(io.xscheck.sut.Capability.GUESTS)) {
            return Triage.none("the target has no guests");
        }
        try {
            return GuestTriage.triage(runner::replay, min.trace(), min.signature(),
                    System.nanoTime() + shrinkNanos(runDeadline) / 2);
        } catch (SutException e) {
            return Triage.none("no fresh target to try it on: " + e.getMessage());
        }
    }

    /**
     * A divergence seen on a reset target counts only if a fresh target repeats it: the trace is
     * replayed there, and what the fresh target does is the case's outcome (its commands still
     * count once). A trace the fresh target passes is counted apart, as state an earlier case left
     * behind, and the case passes. A divergence of a case that sent steps ahead counts only as the
     * same case run again one step at a time on a fresh target sees it (the run's engine alone, as
     * before steps went ahead: the case up to the step that diverged, and the whole case when that
     * passes); a case that run passes is counted the same way. A target whose reset renews its
     * state ({@link Sut#resetRenewsState}) is as fresh after it as after a start: only steps sent
     * ahead make its divergences replayed.
     *
     * <p>A divergence whose signature a fresh target already showed one step at a time in this run, and which is
     * already a finding, is not replayed again: it counts as one more case of that finding, whose reproducer stays
     * the confirmed one (on C about one case in thirty diverges, mostly repeats of two crashes, and each replay cost
     * a fresh daemon, the hang bound of a kill a second time, and for steps sent ahead a second run). A signature no
     * fresh target has shown is replayed every time, so nothing only a reset target or steps sent ahead show is
     * ever reported. Nor is a case whose steps sent ahead left out an event barrier while a connection watched
     * ({@link SequenceOutcome#eventsLeftOut}): one step at a time, an event seen earlier may be its first divergence
     * (seed 7, 300 QEMU cases: three cases counted as repeats of a reply's signature were, one step at a time, an
     * extra event's).
     */
    private SequenceOutcome confirmed(SequenceRunner runner, List<CommandTemplate> templates, SequenceOutcome o) {
        if (o.reused()) {
            reusedCases.incrementAndGet();
        }
        if (!o.diverged()) {
            return o;
        }
        if ((!o.reused() || resetRenews) && !o.batched()) {
            confirmedOnFresh.add(o.signature());
            return o;
        }
        if (confirmedOnFresh.contains(o.signature()) && findings.containsKey(o.signature()) && !o.eventsLeftOut()) {
            repeatsNotReplayed.incrementAndGet();
            return o;
        }
        SequenceOutcome fresh;
        long confirmStart = System.nanoTime();
        try {
            // Steps sent ahead may have been answered out of their order, and their barriers were left out: the case
            // runs again one step at a time on a fresh target, and what that run sees is the report. Up to the step
            // that diverged first (what the engine alone runs, when it diverges there or before); when that passes,
            // the whole case, as the engine alone would have gone on past that step.
            fresh = runner.replay(o.trace());
            if (o.batched() && !fresh.diverged()) {
                fresh = runner.run(templates);
            }
        } catch (SutException e) {
            // No fresh target any more (the case may have stopped the daemon): the divergence stands as seen.
            lostTarget.compareAndSet(null, "the target could no longer be started or reached: " + e.getMessage());
            return o;
        } finally {
            clock.since(StepClock.Phase.CONFIRM, confirmStart);
        }
        if (fresh.diverged() && fresh.divergence().get().step().equals(SequenceRunner.SETUP)) {
            // The fresh target was unusable from the start (the case stopped the daemon, and a spare
            // had connected before it died): the divergence stands as seen.
            lostTarget.compareAndSet(null, "the target could no longer be used: " + fresh.divergence().get().actual());
            return o;
        }
        if (fresh.diverged()) {
            confirmedOnFresh.add(fresh.signature());
            return new SequenceOutcome(fresh.trace(), fresh.divergence(), fresh.reproducer(), o.commands(), o.opMix(),
                    fresh.logTail(), fresh.failedExpectations(), false, o.ruleHits());
        }
        unconfirmed.incrementAndGet();
        unconfirmedExample.compareAndSet(null, "# " + o.signature() + (o.batched() ? " with steps sent ahead" : "")
                + " on a reset target; a fresh target agreed with the model" + (o.batched() ? " one step at a time" : "")
                + "\n" + o.reproducer());
        return new SequenceOutcome(o.trace(), java.util.Optional.empty(), o.reproducer(), o.commands(), o.opMix(), "",
                List.of(), true, o.ruleHits());
    }

    /**
     * The shrink budget: {@code shrinkBudget}, but near the end of a timed run no more than the time
     * left (at least 3 s), so that a run overruns its time by little. A third goes to QuickTheories'
     * shrinking of the templates, the rest to removing concrete steps.
     */
    private long shrinkNanos(long runDeadline) {
        long left = Math.max(runDeadline - System.nanoTime(), Duration.ofSeconds(3).toNanos());
        return Math.min(config.shrinkBudget().toNanos(), left);
    }

    /** Records nothing itself: the predicate keeps the smallest failing case. */
    private static final class SilentReporter implements Reporter {
        @Override
        public void falisification(long seed, int examplesUsed, Object smallest, Throwable cause,
                                   List<Object> examples, AsString<Object> toString) {
        }

        @Override
        public void falisification(long seed, int examplesUsed, Object smallest, List<Object> examples,
                                   AsString<Object> toString) {
        }

        @Override
        public void valuesExhausted(int examplesUsed) {
        }
    }
}
