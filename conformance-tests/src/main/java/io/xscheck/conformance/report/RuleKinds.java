package io.xscheck.conformance.report;

import io.xscheck.conformance.gen.Kind;
import io.xscheck.model.Rule;

import java.util.EnumMap;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The template kinds that can reach a rule, for the rules only some kinds reach (restarts, domain
 * requests, CONTROL, malformed requests, a domain back under its id, a wide listing, the quota
 * bursts): a run that generates none of them cannot exercise the rule, whatever its length. Every
 * other rule is reachable by the ordinary node, watch and transaction kinds.
 */
final class RuleKinds {
    private static final Map<Rule, Set<Kind>> NEEDS = new EnumMap<>(Rule.class);

    private static void needs(Set<Kind> kinds, Rule... rules) {
        for (Rule r : rules) {
            NEEDS.put(r, kinds);
        }
    }

    static {
        needs(EnumSet.of(Kind.LIVEUPDATE), Rule.RESTARTS_QUIET, Rule.RESTARTS_NO_LIVE_UPDATE,
                Rule.RESTARTS_BUSY_WHILE_TRANSACTIONS, Rule.RESTARTS_BUSY_WHILE_TARGETS,
                Rule.RESTARTS_FORCED_DROPS_TRANSACTIONS, Rule.RESTARTS_REFUSED_WHILE_TRANSACTIONS);
        needs(EnumSet.of(Kind.MIGRATE), Rule.RESTARTS_MIGRATED, Rule.RESTARTS_NO_MIGRATION,
                Rule.RESTARTS_MIGRATION_NEEDS_ONE_GUEST);
        needs(EnumSet.of(Kind.RESUME), Rule.DOMAINS_RESUME_DOM0, Rule.DOMAINS_RESUME_UNKNOWN, Rule.DOMAINS_RESUME);
        needs(EnumSet.of(Kind.CONTROL), Rule.CONTROL_UNKNOWN_COMMAND, Rule.CONTROL_COMPACT_TRIM, Rule.CONTROL_UNPRIVILEGED_OK);
        needs(EnumSet.of(Kind.TX_START), Rule.TX_NESTED);
        needs(EnumSet.of(Kind.SET_PERMS), Rule.ACLS_SET_PERMS_EMPTY);
        needs(EnumSet.of(Kind.BAD_REQUEST), Rule.REQUESTS_UNKNOWN_TYPE, Rule.REQUESTS_MALFORMED_PAYLOAD,
                Rule.REQUESTS_C_STALE_ERRNO);
        needs(EnumSet.of(Kind.INTRODUCE), Rule.DOMAINS_INTRODUCE, Rule.DOMAINS_INTRODUCE_AGAIN,
                Rule.DOMAINS_INTRODUCE_BAD_PORT, Rule.DOMAINS_INTRODUCE_CONFLICTING);
        needs(EnumSet.of(Kind.RELEASE), Rule.DOMAINS_RELEASE, Rule.DOMAINS_RELEASE_DOM0, Rule.DOMAINS_RELEASE_UNKNOWN,
                Rule.DOMAINS_RELEASE_UNKNOWN_RESETS);
        needs(EnumSet.of(Kind.SET_TARGET), Rule.DOMAINS_SET_TARGET, Rule.DOMAINS_SET_TARGET_UNKNOWN_DOMAIN,
                Rule.DOMAINS_SET_TARGET_UNKNOWN_TARGET);
        needs(EnumSet.of(Kind.KILL), Rule.DOMAINS_DEATH, Rule.DOMAINS_DEATH_OF_UNKNOWN_DOMAIN);
        needs(EnumSet.of(Kind.INTRODUCE, Kind.RELEASE, Kind.IS_INTRODUCED, Kind.SET_TARGET, Kind.RESUME, Kind.CONTROL,
                Kind.LIVEUPDATE), Rule.DOMAINS_NOT_SUPPORTED, Rule.DOMAINS_PRIVILEGED_ONLY);
        needs(EnumSet.of(Kind.GET_DOMAIN_PATH), Rule.DOMAINS_GET_DOMAIN_PATH, Rule.DOMAINS_GET_DOMAIN_PATH_UNSUPPORTED);
        needs(EnumSet.of(Kind.IS_INTRODUCED), Rule.DOMAINS_IS_INTRODUCED);
        needs(EnumSet.of(Kind.DIRECTORY_PART, Kind.BAD_REQUEST), Rule.TREE_DIRECTORY_PART_UNSUPPORTED);
        needs(EnumSet.of(Kind.DIRECTORY_PART), Rule.TREE_DIRECTORY_PART, Rule.TX_COMMIT_REPLAYED_WITH_DIRECTORY_PART);
        // a domain comes back under its id at an INTRODUCE template (gen.Revivals), after a kill
        needs(EnumSet.of(Kind.INTRODUCE), Rule.ACLS_READ_DENIED_BY_IGNORED_ENTRY, Rule.ACLS_WRITE_DENIED_BY_IGNORED_ENTRY,
                Rule.ACLS_CREATE_DENIED_BY_IGNORED_ENTRY, Rule.ACLS_SET_PERMS_DENIED_BY_IGNORED_ENTRY);
        needs(EnumSet.of(Kind.WIDE_DIRECTORY), Rule.TREE_REPLY_TOO_BIG);
        needs(EnumSet.of(Kind.BURST_WATCHES), Rule.QUOTAS_WATCHES);
        needs(EnumSet.of(Kind.BURST_TRANSACTIONS), Rule.QUOTAS_TRANSACTIONS);
        needs(EnumSet.of(Kind.BURST_NODES), Rule.QUOTAS_ENTRIES);
    }

    private RuleKinds() {
    }

    /**
     * Whether the rule decides only a restart asked of a target that cannot do it (a migration of a
     * daemon, a live update of QEMU's store): the harness never asks a real target for what its
     * capabilities lack, so only the model target ({@code --sut model}, replays) reaches it.
     */
    static boolean onlyTheModelIsAsked(Rule r) {
        return r == Rule.RESTARTS_NO_MIGRATION || r == Rule.RESTARTS_NO_LIVE_UPDATE;
    }

    /**
     * Whether a run generating {@code kinds} (lower-case names; empty: not known) can reach the rule in
     * dialect {@code d}. The resolver's longest paths have 3073 bytes, over the 2048 (C), 1024
     * (oxenstored) and 3072 (QEMU, the spec) limits.
     */
    static boolean reachable(Rule r, Set<String> kinds, io.xscheck.model.Dialect d) {
        if (r == Rule.PATHS_TOO_LONG && !kinds.isEmpty() && d.paths().pathLengthLimit() > 3073) {
            return false;
        }
        Set<Kind> need = NEEDS.get(r);
        return kinds.isEmpty() || need == null || need.stream().anyMatch(k -> kinds.contains(k.name().toLowerCase()));
    }
}
