package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import com.google.common.collect.ImmutableSortedMap;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Which dialects can reach each rule, stated as the knob values the rule needs (a rule without
 * conditions applies to every dialect). This ties rules to knobs: a run's rule coverage says which
 * rules that apply to a target it exercised, and which of the target's knob values (its row's
 * alternatives) no exercised rule depended on.
 */
public final class RuleScope {

    /** The rule applies where {@code read} of the dialect gives {@code value}; {@code knob} names the column. */
    public record Condition(String knob, Function<Dialect, Object> read, Object value) {
        public boolean holds(Dialect d) {
            return read.apply(d).equals(value);
        }
    }

    private static final Map<Rule, ImmutableList<Condition>> CONDITIONS = new EnumMap<>(Rule.class);

    private static void when(Rule r, Condition... cs) {
        CONDITIONS.put(r, ImmutableList.copyOf(cs));
    }

    private static Condition is(String knob, Function<Dialect, Object> read, Object value) {
        return new Condition(knob, read, value);
    }

    private static final Condition SPECIAL_NOT_NODES = is("paths.specialPathsAreNodes", d -> d.paths().specialPathsAreNodes(), false);
    private static final Condition SPECIAL_PERM_NODES = is("setPerms.specialNamesArePermNodes", d -> d.setPerms().specialNamesArePermNodes(), true);
    private static final Condition NO_SPECIAL_PERM_NODES = is("setPerms.specialNamesArePermNodes", d -> d.setPerms().specialNamesArePermNodes(), false);
    private static final Condition DOMAIN_OPS = is("domains.domainAndControlOpsRefused", d -> d.domains().domainAndControlOpsRefused(), false);

    private static Condition conflict(TransactionKnobs.TxConflictRule rule) {
        return is("transactions.txConflictRule", d -> d.transactions().txConflictRule(), rule);
    }

    private static Condition liveUpdate(RestartKnobs.LiveUpdate kind) {
        return is("restartKnobs.liveUpdate", d -> d.restartKnobs().liveUpdate(), kind);
    }

    static {
        when(Rule.PATHS_SPECIAL_NAME_IS_NOT_A_NODE, SPECIAL_NOT_NODES);
        when(Rule.PATHS_TRAILING_SLASH, is("paths.trailingSlashIgnored", d -> d.paths().trailingSlashIgnored(), false));
        when(Rule.PATHS_NO_SPECIAL_WATCHES, is("paths.specialWatchesSupported", d -> d.paths().specialWatchesSupported(), false));
        when(Rule.ACLS_MISSING_NODE_HIDDEN,
                is("acls.missingNodeRevealsOnlyToReaders", d -> d.acls().missingNodeRevealsOnlyToReaders(), true));
        for (Rule r : new Rule[] {Rule.ACLS_READ_DENIED_BY_IGNORED_ENTRY, Rule.ACLS_WRITE_DENIED_BY_IGNORED_ENTRY,
                Rule.ACLS_CREATE_DENIED_BY_IGNORED_ENTRY, Rule.ACLS_SET_PERMS_DENIED_BY_IGNORED_ENTRY}) {
            when(r, is("acls.deadDomainAclEntriesKept", d -> d.acls().deadDomainAclEntriesKept(), true));
        }
        when(Rule.ACLS_SET_PERMS_OWNER_UNKNOWN, is("setPerms.setPermsOwnerMustExist", d -> d.setPerms().setPermsOwnerMustExist(), true));
        when(Rule.ACLS_SET_SPECIAL_PERMS, SPECIAL_NOT_NODES, NO_SPECIAL_PERM_NODES,
                is("paths.specialWatchesSupported", d -> d.paths().specialWatchesSupported(), true));
        when(Rule.ACLS_SET_SPECIAL_PERMS_STALE_ERRNO,
                is("setPerms.specialSetPermsFailureGivesStaleErrno", d -> d.setPerms().specialSetPermsFailureGivesStaleErrno(), true));
        // C answers its stale errno instead (Model.setSpecialPerms): never this rule's EINVAL
        when(Rule.ACLS_SET_PERMS_UNKNOWN_SPECIAL, SPECIAL_NOT_NODES, NO_SPECIAL_PERM_NODES,
                is("setPerms.specialSetPermsFailureGivesStaleErrno", d -> d.setPerms().specialSetPermsFailureGivesStaleErrno(), false));
        when(Rule.SPECIAL_GET_PERMS, SPECIAL_PERM_NODES);
        when(Rule.SPECIAL_GET_PERMS_DENIED, SPECIAL_PERM_NODES);
        when(Rule.SPECIAL_SET_PERMS, SPECIAL_PERM_NODES);
        when(Rule.SPECIAL_SET_PERMS_DENIED, SPECIAL_PERM_NODES);
        when(Rule.SPECIAL_SET_PERMS_IN_TRANSACTION, SPECIAL_PERM_NODES);
        when(Rule.TREE_IMPLICIT_PARENTS, is("tree.writeCreatesParentsFirst", d -> d.tree().writeCreatesParentsFirst(), true));
        when(Rule.TREE_MKDIR_ROOT, is("tree.mkdirOfRootUnchecked", d -> d.tree().mkdirOfRootUnchecked(), true));
        when(Rule.TREE_RM_ROOT, is("tree.rmOfRoot", d -> d.tree().rmOfRoot(), TreeKnobs.RmOfRoot.EINVAL));
        when(Rule.TREE_RM_ROOT_REMOVES_CHILDREN, is("tree.rmOfRoot", d -> d.tree().rmOfRoot(), TreeKnobs.RmOfRoot.REMOVES_CHILDREN));
        when(Rule.TREE_RM_PARENT_MISSING_IN_VIEW, conflict(TransactionKnobs.TxConflictRule.READ_GENERATIONS));
        when(Rule.TREE_RM_LISTED_CHILD_MISSING, conflict(TransactionKnobs.TxConflictRule.READ_GENERATIONS));
        when(Rule.TREE_RM_CHILD_NOT_LISTED, conflict(TransactionKnobs.TxConflictRule.READ_GENERATIONS));
        when(Rule.TREE_RM_MISSING_ENOENT, is("tree.rmOfMissingNode", d -> d.tree().rmOfMissingNode(), TreeKnobs.RmOfMissingNode.ENOENT));
        when(Rule.TREE_RM_MISSING_PARENT_EXISTS,
                is("tree.rmOfMissingNode", d -> d.tree().rmOfMissingNode(), TreeKnobs.RmOfMissingNode.OK_IF_PARENT_EXISTS));
        when(Rule.TREE_RM_MISSING_PARENT_MISSING,
                is("tree.rmOfMissingNode", d -> d.tree().rmOfMissingNode(), TreeKnobs.RmOfMissingNode.OK_IF_PARENT_EXISTS));
        when(Rule.TREE_DIRECTORY_PART_UNSUPPORTED, is("tree.directoryPartSupported", d -> d.tree().directoryPartSupported(), false));
        when(Rule.TREE_DIRECTORY_PART, is("tree.directoryPartSupported", d -> d.tree().directoryPartSupported(), true));
        when(Rule.WATCHES_UNWATCH_EMPTY_PATH, is("watches.unwatchValidatesPath", d -> d.watches().unwatchValidatesPath(), true));
        when(Rule.TX_FAILED, conflict(TransactionKnobs.TxConflictRule.READ_GENERATIONS));
        when(Rule.TX_CONFLICT_READ_NODE_CHANGED, conflict(TransactionKnobs.TxConflictRule.READ_GENERATIONS));
        when(Rule.TX_CONFLICT_ANY_COMMIT, conflict(TransactionKnobs.TxConflictRule.ANY_COMMIT_SINCE_START));
        when(Rule.TX_COMMIT_UNCHANGED, conflict(TransactionKnobs.TxConflictRule.ANY_COMMIT_SINCE_START));
        for (Rule r : new Rule[] {Rule.TX_COMMIT_READ_ONLY, Rule.TX_COMMIT_COALESCED, Rule.TX_CONFLICT_UNREPLAYABLE,
                Rule.TX_COMMIT_REPLAYED_READ_ONLY, Rule.TX_CONFLICT_REPLAY_DIFFERS_UNREPLAYABLE,
                Rule.TX_CONFLICT_REPLAY_DIFFERS, Rule.TX_COMMIT_REPLAYED}) {
            when(r, conflict(TransactionKnobs.TxConflictRule.REPLAY));
        }
        when(Rule.TX_COMMIT_REPLAYED_WITH_DIRECTORY_PART, conflict(TransactionKnobs.TxConflictRule.REPLAY));
        when(Rule.TX_CONFLICT_MAY_FAIL, conflict(TransactionKnobs.TxConflictRule.MAY_FAIL_IF_ANYTHING_CHANGED));
        when(Rule.DOMAINS_NOT_SUPPORTED, is("domains.domainAndControlOpsRefused", d -> d.domains().domainAndControlOpsRefused(), true));
        for (Rule r : new Rule[] {Rule.DOMAINS_PRIVILEGED_ONLY, Rule.DOMAINS_INTRODUCE_AGAIN, Rule.DOMAINS_INTRODUCE,
                Rule.DOMAINS_RELEASE, Rule.DOMAINS_IS_INTRODUCED, Rule.DOMAINS_RESUME_DOM0, Rule.DOMAINS_RESUME_UNKNOWN,
                Rule.DOMAINS_RESUME, Rule.DOMAINS_SET_TARGET_UNKNOWN_DOMAIN, Rule.DOMAINS_SET_TARGET,
                Rule.CONTROL_UNKNOWN_COMMAND}) {
            when(r, DOMAIN_OPS);
        }
        when(Rule.CONTROL_UNPRIVILEGED_OK, DOMAIN_OPS, is("requests.unprivilegedControlIsOk", d -> d.requests().unprivilegedControlIsOk(), true));
        when(Rule.CONTROL_COMPACT_TRIM, DOMAIN_OPS, is("requests.controlCompactAndTrim", d -> d.requests().controlCompactAndTrim(), true));
        when(Rule.DOMAINS_INTRODUCE_BAD_PORT, DOMAIN_OPS, is("domains.introduceRejectsBadPort", d -> d.domains().introduceRejectsBadPort(), true));
        when(Rule.DOMAINS_INTRODUCE_CONFLICTING, DOMAIN_OPS,
                is("domains.introduceOfKnownDomainChecksRing", d -> d.domains().introduceOfKnownDomainChecksRing(), true));
        when(Rule.DOMAINS_RELEASE_DOM0, DOMAIN_OPS, is("domains.dom0IsADomain", d -> d.domains().dom0IsADomain(), true));
        when(Rule.DOMAINS_RELEASE_UNKNOWN_RESETS, DOMAIN_OPS,
                is("domains.releaseOfUnknownDomainResetsIt", d -> d.domains().releaseOfUnknownDomainResetsIt(), true));
        when(Rule.DOMAINS_RELEASE_UNKNOWN, DOMAIN_OPS,
                is("domains.releaseOfUnknownDomainResetsIt", d -> d.domains().releaseOfUnknownDomainResetsIt(), false));
        when(Rule.DOMAINS_SET_TARGET_UNKNOWN_TARGET, DOMAIN_OPS,
                is("domains.setTargetNeedsIntroducedTarget", d -> d.domains().setTargetNeedsIntroducedTarget(), true));
        when(Rule.DOMAINS_DEATH, is("domains.domainDeathNodes kept", d -> d.domains().domainDeathNodes() == DomainKnobs.DomainDeathNodes.KEPT, false));
        when(Rule.DOMAINS_DEATH_OF_UNKNOWN_DOMAIN,
                is("domains.domainDeathNodes kept", d -> d.domains().domainDeathNodes() == DomainKnobs.DomainDeathNodes.KEPT, false));
        when(Rule.DOMAINS_GET_DOMAIN_PATH_UNSUPPORTED, is("domains.getDomainPathSupported", d -> d.domains().getDomainPathSupported(), false));
        when(Rule.DOMAINS_GET_DOMAIN_PATH, is("domains.getDomainPathSupported", d -> d.domains().getDomainPathSupported(), true));
        when(Rule.QUOTAS_NODE_SIZE_OF_PARENT, is("quotas.nodeSizeCountsRecord", d -> d.quotas().nodeSizeCountsRecord(), true));
        when(Rule.QUOTAS_PERMS_PER_NODE, is("quotas.permsPerNode limited", d -> d.quotas().permsPerNode() > 0, true));
        when(Rule.RESTARTS_QUIET, is("restartKnobs.liveUpdate none", d -> d.restartKnobs().liveUpdate() == RestartKnobs.LiveUpdate.NONE, false));
        when(Rule.RESTARTS_NO_LIVE_UPDATE, liveUpdate(RestartKnobs.LiveUpdate.NONE));
        when(Rule.RESTARTS_BUSY_WHILE_TRANSACTIONS, liveUpdate(RestartKnobs.LiveUpdate.BUSY_WHILE_TRANSACTIONS));
        when(Rule.RESTARTS_BUSY_WHILE_TARGETS, is("restartKnobs.targetHoldsUpdateBack", d -> d.restartKnobs().targetHoldsUpdateBack(), true));
        when(Rule.RESTARTS_FORCED_DROPS_TRANSACTIONS, liveUpdate(RestartKnobs.LiveUpdate.HELD_REPLY_DROPS_FORCED_TRANSACTIONS));
        when(Rule.RESTARTS_REFUSED_WHILE_TRANSACTIONS, liveUpdate(RestartKnobs.LiveUpdate.HELD_REPLY_DROPS_FORCED_TRANSACTIONS));
        when(Rule.RESTARTS_NO_MIGRATION, is("restartKnobs.migrates", d -> d.restartKnobs().migrates(), false));
        when(Rule.RESTARTS_MIGRATION_NEEDS_ONE_GUEST, is("restartKnobs.migrates", d -> d.restartKnobs().migrates(), true));
        when(Rule.RESTARTS_MIGRATED, is("restartKnobs.migrates", d -> d.restartKnobs().migrates(), true));
        when(Rule.REQUESTS_C_STALE_ERRNO, is("requests.malformedPathGivesStaleErrno", d -> d.requests().malformedPathGivesStaleErrno(), true));
    }

    private RuleScope() {
    }

    /** The knob values the rule needs (none: every dialect). */
    public static ImmutableList<Condition> conditions(Rule r) {
        return CONDITIONS.getOrDefault(r, ImmutableList.of());
    }

    public static boolean applies(Rule r, Dialect d) {
        return conditions(r).stream().allMatch(c -> c.holds(d));
    }

    /** The rules that apply to a dialect, in declaration order. */
    public static ImmutableList<Rule> rulesOf(Dialect d) {
        return java.util.Arrays.stream(Rule.values()).filter(r -> applies(r, d)).collect(ImmutableList.toImmutableList());
    }

    /**
     * The dialect's alternative of every knob that decides whether some rule applies to it: knob
     * name to the dialect's value (a knob whose value no rule of the dialect depends on is left out).
     */
    public static ImmutableSortedMap<String, String> alternatives(Dialect d) {
        Map<String, String> out = new java.util.TreeMap<>();
        for (Map.Entry<Rule, ImmutableList<Condition>> e : CONDITIONS.entrySet()) {
            if (applies(e.getKey(), d)) {
                for (Condition c : e.getValue()) {
                    out.put(c.knob(), String.valueOf(c.read().apply(d)));
                }
            }
        }
        return ImmutableSortedMap.copyOf(out);
    }

    /** The knobs whose value decided that the rule applies. */
    public static ImmutableMap<String, String> knobsOf(Rule r, Dialect d) {
        ImmutableMap.Builder<String, String> b = ImmutableMap.builder();
        conditions(r).forEach(c -> b.put(c.knob(), String.valueOf(c.read().apply(d))));
        return b.buildKeepingLast();
    }
}
