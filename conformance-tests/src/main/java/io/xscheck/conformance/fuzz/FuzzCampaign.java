package io.xscheck.conformance.fuzz;

import io.xscheck.conformance.engine.BoundedClose;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Fuzzes one target for its time budget: each generated case runs on a fresh target (a case may
 * leave it broken in ways no reset would see); a violation is cut to the steps up to it, confirmed
 * on another fresh target, and shrunk; a violation already found (same signature and reach) is
 * only counted. When no fresh target can be had after a violation (a daemon reached by its
 * socket, which the case killed), the violation is reported as seen and the run on it ends.
 */
public final class FuzzCampaign {

    /**
     * @param seed the generator's seed
     * @param time the budget for running cases (shrinking has its own)
     * @param maxCases the most cases to run
     * @param maxActions the most attacker actions per case
     * @param shrinkTime the budget for shrinking each new violation
     */
    public record Config(long seed, Duration time, long maxCases, int maxActions, Duration shrinkTime) {
    }

    private final String spec;
    private final TargetFactory factory;
    private final Config config;
    private final Consumer<String> progress;

    public FuzzCampaign(String spec, TargetFactory factory, Config config, Consumer<String> progress) {
        this.spec = spec;
        this.factory = factory;
        this.config = config;
        this.progress = progress;
    }

    public FuzzReport run() {
        String version;
        AttackGenerator generator;
        try {
            Sut probe = factory.open();
            try {
                version = probe.version();
                boolean rings = probe instanceof io.xscheck.sut.GuestRingAccess;
                generator = new AttackGenerator(config.seed(), probe.supportsGuests()
                        && probe.capabilities().contains(io.xscheck.sut.Capability.GUESTS), rings, config.maxActions());
                if (!probe.capabilities().contains(io.xscheck.sut.Capability.MALFORMED_REQUESTS)) {
                    return new FuzzReport(spec, version, 0, 0, List.of(), 0, Optional.of(spec
                            + " does not take malformed requests (pass --unsafe-requests for a daemon reached by"
                            + " its socket: it may crash it)"));
                }
            } finally {
                BoundedClose.close(probe);
            }
        } catch (SutException e) {
            return new FuzzReport(spec, "?", 0, 0, List.of(), 0, Optional.of(e.getMessage()));
        }
        Map<String, FuzzFinding> found = new LinkedHashMap<>();
        long deadline = System.nanoTime() + config.time().toNanos();
        long cases = 0;
        long steps = 0;
        long unconfirmed = 0;
        for (long n = 0; n < config.maxCases() && System.nanoTime() < deadline; n++) {
            Trace t = generator.testCase(n);
            RobustnessRun.Outcome o;
            try {
                o = Replays.onFresh(factory, t);
            } catch (SutException e) {
                // Started before, so this is the machine (load, limits), not the case: say so and stop.
                return new FuzzReport(spec, version, cases, steps, List.copyOf(found.values()), unconfirmed,
                        Optional.of("case " + n + ": " + e.getMessage()));
            }
            cases++;
            steps += o.steps();
            if (o.violation().isEmpty()) {
                continue;
            }
            Violation v = o.violation().get();
            Trace cut = FuzzShrinker.assemble(t.conns(), t.steps().subList(0, Math.min(o.atStep(), o.steps())));
            String key = v.signature() + " / " + (Roles.guestOnly(cut) ? "guest" : "dom0");
            FuzzFinding known = found.get(key);
            if (known != null) {
                found.put(key, known.seenAgain());
                continue;
            }
            progress.accept(spec + ": case " + n + ": " + v.signature() + "; confirming and shrinking");
            Optional<String> again;
            try {
                again = Replays.signatureOnFresh(factory, cut);
            } catch (SutException e) {
                // No fresh target to be had (a daemon reached by its socket that the case killed):
                // report what was seen, unconfirmed and unshrunk, and stop, as there is nothing left to fuzz.
                found.put(key, new FuzzFinding(v, cut, n, cut.steps().size(), 1, Roles.guestOnly(cut)));
                progress.accept(spec + ": no fresh target to confirm it on (" + e.getMessage().split("\n")[0]
                        + "); reported unshrunk, and the run on " + spec + " stops");
                break;
            }
            if (!again.equals(Optional.of(v.signature()))) {
                unconfirmed++;
                progress.accept(spec + ": case " + n + ": not repeated on a fresh target ("
                        + again.orElse("clean") + "); not reported");
                continue;
            }
            FuzzShrinker.Result shrunk = FuzzShrinker.shrink(factory, cut, v.signature(), config.shrinkTime());
            FuzzFinding f = new FuzzFinding(v, shrunk.trace(), n, cut.steps().size(), 1, Roles.guestOnly(shrunk.trace()));
            found.put(key, f);
            progress.accept(spec + ": " + v.signature() + " (" + f.reach() + "): " + cut.steps().size() + " -> "
                    + shrunk.trace().steps().size() + " step(s) in " + shrunk.replays() + " replays");
        }
        return new FuzzReport(spec, version, cases, steps, List.copyOf(found.values()), unconfirmed, Optional.empty());
    }
}
