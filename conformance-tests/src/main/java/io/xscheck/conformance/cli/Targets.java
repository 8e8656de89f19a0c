package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.BoundedClose;
import io.xscheck.conformance.engine.DialectDetector;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.model.Dialect;
import io.xscheck.sut.Capability;
import io.xscheck.sut.SocketSut;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutException;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Resolves {@code --sut} and {@code --dialect} into targets the engine can start. */
final class Targets {
    /** A target as the engine needs it: how to start it, and what a probe instance said about itself. */
    record Target(String spec, TargetFactory factory, Dialect dialect, String version, boolean guests,
                  java.util.Set<Capability> capabilities, String dialectWhy) {
    }

    /** The {@code --dialect} value that asks for detection (the default for {@code socket:} targets). */
    static final String AUTO = "auto";

    private Targets() {
    }

    static List<String> specs(Optional<String> sutOption) {
        if (sutOption.isEmpty()) {
            List<String> installed = Suts.installed();
            if (installed.isEmpty()) {
                throw new UsageException("no target is installed on this machine (known: " + Suts.known() + ")");
            }
            return installed;
        }
        List<String> out = new ArrayList<>();
        for (String s : sutOption.get().split(",")) {
            if (!s.isBlank()) {
                out.add(s.strip());
            }
        }
        if (out.isEmpty()) {
            throw new UsageException("--sut names no target");
        }
        return out;
    }

    /** Starts one instance to learn its version and dialect; throws {@link SutException} when it cannot run. */
    static Target open(String spec, Optional<String> dialectOverride) {
        return open(spec, dialectOverride, false);
    }

    static Target open(String spec, Optional<String> dialectOverride, boolean lowQuotas) {
        return open(spec, dialectOverride, lowQuotas, false);
    }

    /**
     * @param lowQuotas start the target with {@link QuotaProfile}'s limits where it takes them
     * @param unsafe a daemon reached by its socket may also be sent malformed requests
     */
    static Target open(String spec, Optional<String> dialectOverride, boolean lowQuotas, boolean unsafe) {
        boolean lowered = lowQuotas && QuotaProfile.applies(spec);
        SutOptions base = SutOptions.defaults().withUnsafeRequests(unsafe);
        SutOptions options = lowered ? base.withExtraArgs(QuotaProfile.daemonArgs()) : base;
        TargetFactory factory = () -> Suts.open(spec, options);
        Sut probe = factory.open();
        String guess;
        String identity;
        String version;
        java.util.Set<Capability> caps;
        boolean guests;
        Optional<io.xscheck.protocol.Bytes> ownExecutable;
        try {
            guess = probe.dialect();
            identity = probe instanceof SocketSut s ? s.identity().implementation() + ", " + s.identity().evidence()
                    : "the target's own dialect";
            version = probe.version();
            caps = probe.capabilities();
            guests = probe.supportsGuests();
            ownExecutable = ownExecutable(probe);
        } finally {
            BoundedClose.close(probe);
        }
        String asked = dialectOverride.orElse(caps.contains(Capability.WHOLE_TREE) ? guess : AUTO);
        String why = "--dialect " + asked;
        if (asked.equals(AUTO)) {
            if (caps.contains(Capability.WHOLE_TREE)) {
                asked = guess;
                why = identity;
            } else {
                DialectDetector.Choice c = DialectDetector.detect(factory, guess, identity);
                asked = c.dialect();
                why = c.why();
            }
        }
        Dialect chosen = dialect(asked);
        Dialect named = ownExecutable.map(chosen::withExecutablePath).orElse(chosen);
        Dialect dialect = lowered ? QuotaProfile.lowered(named) : named;
        return new Target(spec, factory, dialect, version, guests, caps, why);
    }

    /**
     * oxenstored records its own path in /tool/xenstored, so a build at another path
     * ({@code oxenstored=PATH}) starts from that value (Dialect#withExecutablePath). Read from the
     * probe instance; only for targets the harness owns whole.
     */
    private static Optional<io.xscheck.protocol.Bytes> ownExecutable(Sut probe) {
        if (!probe.capabilities().contains(Capability.WHOLE_TREE)) {
            return Optional.empty();
        }
        try (io.xscheck.sut.SutConnection c = probe.openPrivileged()) {
            io.xscheck.protocol.Reply r = c.call(0, new io.xscheck.protocol.Request.Read(Dialect.TOOL_XENSTORED));
            return r instanceof io.xscheck.protocol.Reply.Value v ? Optional.of(v.value()) : Optional.empty();
        }
    }

    static Dialect dialect(String name) {
        try {
            return Dialect.named(name);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }
}
