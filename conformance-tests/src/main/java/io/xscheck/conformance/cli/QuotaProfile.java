package io.xscheck.conformance.cli;

import io.xscheck.model.Dialect;
import io.xscheck.model.Quotas;

import java.util.List;

/**
 * {@code run --quotas low}: C xenstored started with small per-domain limits so that short test
 * cases reach them (quota pressure), and the model told the same limits. Only C xenstored takes its
 * limits on the command line; the other targets keep their defaults.
 */
final class QuotaProfile {
    /** Nodes per domain, watches per domain and transactions per domain for C's -E, -W and -t. */
    static final int ENTRIES = 12;
    static final int WATCHES = 3;
    static final int TRANSACTIONS = 2;

    private QuotaProfile() {
    }

    static boolean applies(String target) {
        return target.equals("cxenstored");
    }

    static List<String> daemonArgs() {
        return List.of("-E", Integer.toString(ENTRIES), "-W", Integer.toString(WATCHES), "-t",
                Integer.toString(TRANSACTIONS));
    }

    /** The model's quotas for those options; the counting rules are C's defaults (see {@link Quotas}). */
    static Dialect lowered(Dialect d) {
        // C accepts one more watch and one more transaction than the option says (checks are ">").
        return d.withQuotas(Quotas.CXENSTORED_DEFAULTS.withLimits(ENTRIES, WATCHES + 1, TRANSACTIONS + 1));
    }
}
