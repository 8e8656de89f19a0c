package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;
import io.xscheck.protocol.Bytes;
import java.util.Objects;

/**
 * How one implementation answers where xenstore implementations legitimately differ: one row per
 * dialect in each room's table ({@link PathKnobs}, {@link AclKnobs}, {@link SetPermsKnobs},
 * {@link TreeKnobs}, {@link WatchKnobs}, {@link TransactionKnobs}, {@link DomainKnobs},
 * {@link RequestKnobs}, {@link Quotas}, {@link RestartKnobs}). Each table's record documents its
 * columns with their evidence: a section of docs/misc/xenstore.txt, a daemon source file at xen
 * RELEASE-4.17.7 (RELEASE-4.20.4 for the 4.20 rows), QEMU's hw/i386/kvm/xenstore_impl.c (10.0), or
 * a transcript of a real daemon in model/src/test/resources/probes/ (differential/*.trace are
 * minimal reproducers of {@code xscheck run}s, each with what the daemon answered). Adding a knob
 * is one column of one room: a component, one cell in each dialect's row, and the rule that reads it.
 * Quota values are parameters: {@link #withQuotas} replaces them when a target was started with
 * other limits.
 *
 * <p>Dialects: {@code cxenstored-4.17} (tools/xenstore, Debian 4.17.7), {@code oxenstored-4.17}
 * (tools/ocaml/xenstored with Debian's shipped oxenstored.conf), {@code cxenstored-4.20} and
 * {@code oxenstored-4.20} (Debian trixie's 4.20.4; rows differ from 4.17 only where a probe of
 * 4.20.4, cxenstored-4.20.4-probes.txt and versions/*.trace, or the 4.20 sources showed),
 * {@code qemu} (QEMU's Xen-on-KVM store, spoken to as a guest), {@code spec} (what xenstore.txt
 * promises, choosing the most permissive reading where it is silent).
 */
public record Dialect(String name, ImmutableMap<String, Bytes> initialNodes, PathKnobs paths, AclKnobs acls,
                      SetPermsKnobs setPerms, TreeKnobs tree, WatchKnobs watches, TransactionKnobs transactions,
                      DomainKnobs domains, RequestKnobs requests, Quotas quotas, RestartKnobs restartKnobs) {

    public Dialect {
        Objects.requireNonNull(name);
        Objects.requireNonNull(initialNodes);
        Objects.requireNonNull(paths);
        Objects.requireNonNull(acls);
        Objects.requireNonNull(setPerms);
        Objects.requireNonNull(tree);
        Objects.requireNonNull(watches);
        Objects.requireNonNull(transactions);
        Objects.requireNonNull(domains);
        Objects.requireNonNull(requests);
        Objects.requireNonNull(quotas);
        Objects.requireNonNull(restartKnobs);
    }

    public static final String CXENSTORED = "cxenstored-4.17";
    public static final String OXENSTORED = "oxenstored-4.17";
    public static final String CXENSTORED_420 = "cxenstored-4.20";
    public static final String OXENSTORED_420 = "oxenstored-4.20";
    public static final String QEMU = "qemu";
    public static final String SPEC = "spec";

    /** The node in which a daemon records its own executable's path. */
    public static final String TOOL_XENSTORED = "/tool/xenstored";

    /** The dialect names, in a stable order. */
    public static ImmutableList<String> names() {
        return ImmutableList.of(CXENSTORED, OXENSTORED, CXENSTORED_420, OXENSTORED_420, QEMU, SPEC);
    }

    /** The named dialect; unknown names are an {@link IllegalArgumentException} listing the known ones. */
    public static Dialect named(String name) {
        if (!names().contains(name)) {
            throw new IllegalArgumentException("unknown dialect '" + name + "'; known: " + String.join(", ", names()));
        }
        return new Dialect(name, initialNodesOf(name), PathKnobs.of(name), AclKnobs.of(name), SetPermsKnobs.of(name),
                TreeKnobs.of(name), WatchKnobs.of(name), TransactionKnobs.of(name), DomainKnobs.of(name),
                RequestKnobs.of(name), Quotas.of(name), RestartKnobs.of(name));
    }

    /**
     * Nodes besides "/" in the initial tree and their values, parents first; all "n0". C:
     * xenstored_core.c setup_structure (manual_node "/tool", "/tool/xenstored"; probe
     * cxenstored-4.17.7-dom0.txt "DIRECTORY / (initial)"). oxenstored: probe
     * oxenstored-4.17.7-dom0.txt "DIRECTORY / (initial)", and xenstored.ml writes /tool/xenstored =
     * Sys.executable_name, Debian's path for the release (our private copy is seen there through
     * the shim's path map). QEMU: probe qemu-xenstore-impl.txt "DIRECTORY /" (plus its guest's
     * nodes, made by the target's setup). The spec is silent: the root only.
     */
    private static ImmutableMap<String, Bytes> initialNodesOf(String name) {
        return switch (name) {
            case CXENSTORED, CXENSTORED_420 -> ImmutableMap.of("/tool", Bytes.EMPTY, TOOL_XENSTORED, Bytes.EMPTY);
            case OXENSTORED -> oxenstoredNodes("/usr/lib/xen-4.17/bin/oxenstored");
            case OXENSTORED_420 -> oxenstoredNodes("/usr/lib/xen-4.20/bin/oxenstored");
            case QEMU -> ImmutableMap.of("/local", Bytes.EMPTY);
            default -> ImmutableMap.of();
        };
    }

    private static ImmutableMap<String, Bytes> oxenstoredNodes(String executable) {
        return ImmutableMap.of("/local", Bytes.EMPTY, "/@introduceDomain", Bytes.EMPTY,
                "/@releaseDomain", Bytes.EMPTY, "/tool", Bytes.EMPTY, TOOL_XENSTORED, Bytes.latin1(executable));
    }

    /** This dialect with other quota values (a target started with non-default limits). */
    public Dialect withQuotas(Quotas q) {
        return new Dialect(name, initialNodes, paths, acls, setPerms, tree, watches, transactions, domains, requests,
                Objects.requireNonNull(q), restartKnobs);
    }

    /**
     * This dialect with {@code path} as the initial value of /tool/xenstored, where the dialect
     * records the daemon's executable (oxenstored: xenstored.ml stores Sys.executable_name), so
     * that a build installed elsewhere ({@code --sut oxenstored=PATH}) starts from its own path.
     * Unchanged where the initial value is empty (C xenstored writes "").
     */
    public Dialect withExecutablePath(Bytes path) {
        Bytes current = initialNodes.get(TOOL_XENSTORED);
        if (current == null || current.length() == 0 || current.equals(path)) {
            return this;
        }
        ImmutableMap.Builder<String, Bytes> nodes = ImmutableMap.builder();
        initialNodes.forEach((k, v) -> nodes.put(k, k.equals(TOOL_XENSTORED) ? path : v));
        return new Dialect(name, nodes.buildOrThrow(), paths, acls, setPerms, tree, watches, transactions, domains,
                requests, quotas, restartKnobs);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Dialect d && d.name.equals(name) && d.quotas.equals(quotas);
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + quotas.hashCode();
    }

    @Override
    public String toString() {
        return name;
    }
}
