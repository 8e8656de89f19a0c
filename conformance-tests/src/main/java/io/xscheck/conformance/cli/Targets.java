package io.xscheck.conformance.cli;

import io.xscheck.conformance.engine.BoundedClose;
import io.xscheck.conformance.engine.TargetFactory;
import io.xscheck.model.Dialect;
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
    record Target(String spec, TargetFactory factory, Dialect dialect, String version, boolean guests) {
    }

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

    /** @param lowQuotas start the target with {@link QuotaProfile}'s limits where it takes them */
    static Target open(String spec, Optional<String> dialectOverride, boolean lowQuotas) {
        boolean lowered = lowQuotas && QuotaProfile.applies(spec);
        SutOptions options = lowered ? SutOptions.defaults().withExtraArgs(QuotaProfile.daemonArgs()) : SutOptions.defaults();
        TargetFactory factory = () -> Suts.open(spec, options);
        Sut probe = factory.open();
        try {
            Dialect named = withOwnExecutable(dialect(dialectOverride.orElse(probe.dialect())), probe);
            Dialect dialect = lowered ? QuotaProfile.lowered(named) : named;
            return new Target(spec, factory, dialect, probe.version(), probe.supportsGuests());
        } finally {
            BoundedClose.close(probe);
        }
    }

    /**
     * oxenstored records its own path in /tool/xenstored, so a build at another path
     * ({@code oxenstored=PATH}) starts from that value (Dialect#withExecutablePath). Read from the
     * probe instance; only for targets the harness owns whole.
     */
    private static Dialect withOwnExecutable(Dialect d, Sut probe) {
        if (!probe.sandboxRoot().equals("/")) {
            return d;
        }
        try (io.xscheck.sut.SutConnection c = probe.openPrivileged()) {
            io.xscheck.protocol.Reply r = c.call(0, new io.xscheck.protocol.Request.Read(Dialect.TOOL_XENSTORED));
            return r instanceof io.xscheck.protocol.Reply.Value v ? d.withExecutablePath(v.value()) : d;
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
