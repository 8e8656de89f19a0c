package io.xscheck.conformance.gen;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Guest domains of a test case that die and come back under their id with a new connection, as a toolstack
 * reuses a domain id, and the nodes whose ACL names them from before: where a daemon keeps such entries and
 * flags them ignored (C), the only way to meet the rules on them (XSA-322's case). One per {@link Resolver}.
 */
final class Revivals {
    private static final int MAX_NODES = 20;
    private static final String[] CHILD_NAMES = {"a", "b", "c", "data"};

    /** Guest domains a kill of the case ended: only their rings are free for a new connection. */
    private final Set<Integer> killed = new TreeSet<>();
    /** Domains SET_TARGET named, or INTRODUCE brought back without a connection: never revived. */
    private final Set<Integer> untouchable = new TreeSet<>();
    /** The connections revivals made. */
    private final Set<String> revived = new HashSet<>();
    /** Per guest domain, nodes whose ACL names it beyond the owner, as SET_PERMS requests the model followed set them. */
    private final Map<Integer, List<String>> grantedTo = new HashMap<>();
    /** Per domain, the connections it had (2 after its first revival). */
    private final Map<Integer, Integer> lives = new HashMap<>();

    /**
     * For an INTRODUCE template, three times in four: a guest domain a kill of the case ended, whose every
     * connection is gone and that no domain operation of the case named, comes back with a new connection,
     * which is added to {@code conns}. One an ACL entry names is preferred.
     */
    Optional<TraceLine.Conn> revival(CommandTemplate t, List<TraceLine.Conn> conns, Set<String> gone) {
        if (t.kind() != Kind.INTRODUCE || t.arg() % 4 == 0) {
            return Optional.empty();
        }
        List<Integer> dead = conns.stream().filter(TraceLine.Conn::guest).map(TraceLine.Conn::domid).distinct()
                .filter(d -> killed.contains(d) && !untouchable.contains(d))
                .filter(d -> conns.stream().filter(x -> x.guest() && x.domid() == d).allMatch(x -> gone.contains(x.name())))
                .sorted().toList();
        if (dead.isEmpty()) {
            return Optional.empty();
        }
        List<Integer> named = dead.stream().filter(grantedTo::containsKey).toList();
        List<Integer> pick = named.isEmpty() ? dead : named;
        int domid = pick.get((t.arg() / 4) % pick.size());
        TraceLine.Conn conn = TraceLine.Conn.guest("G" + domid + "-" + lives.merge(domid, 2, (a, b) -> a + 1), domid);
        conns.add(conn);
        revived.add(conn.name());
        // its new ring is in use until the next kill: a RELEASE leaves it connected
        killed.remove(domid);
        return Optional.of(conn);
    }

    /**
     * Three times in four, a revived connection's request goes to a node whose ACL names its domain from before
     * its death, or (one time in four of those) to a child of it to create.
     */
    Optional<String> grantedPath(TraceLine.Conn conn, int choice) {
        List<String> nodes = revived.contains(conn.name()) ? grantedTo.getOrDefault(conn.domid(), List.of()) : List.of();
        if (nodes.isEmpty() || choice % 4 == 0) {
            return Optional.empty();
        }
        String node = nodes.get((choice / 4) % nodes.size());
        return Optional.of(choice % 4 == 3 ? node + "/" + CHILD_NAMES[(choice / 4) % CHILD_NAMES.length] : node);
    }

    /** Three kills in four, of a guest domain an ACL entry names, when there is one. */
    Optional<Integer> killWithGrants(List<TraceLine.Conn> guests, int choice) {
        List<TraceLine.Conn> named = guests.stream().filter(g -> grantedTo.containsKey(g.domid())).toList();
        if (named.isEmpty() || choice % 4 == 0) {
            return Optional.empty();
        }
        return Optional.of(named.get((choice / 4) % named.size()).domid());
    }

    /** Learns from a step the model followed; {@code gone}: the connections gone when it was resolved. */
    void observe(TraceLine.Step step, Reply reply, List<TraceLine.Conn> conns, Set<String> gone) {
        boolean ok = !(reply instanceof Reply.Error);
        Command cmd = step.command();
        if (cmd instanceof Command.Kill k) {
            killed.add(k.domid());
        } else if (ok && cmd instanceof Command.Introduce i && conns.stream()
                .filter(x -> x.guest() && x.domid() == i.domid()).allMatch(x -> gone.contains(x.name()))) {
            untouchable.add(i.domid());
        } else if (ok && cmd instanceof Command.Send s && s.request() instanceof Request.SetTarget st) {
            untouchable.add(st.domid());
            untouchable.add(st.target());
        } else if (ok && cmd instanceof Command.Send s && s.request() instanceof Request.SetPerms sp
                && sp.path().startsWith("/")) {
            for (Perm entry : sp.perms().subList(Math.min(1, sp.perms().size()), sp.perms().size())) {
                if (entry.domid() == 0) {
                    continue;
                }
                List<String> nodes = grantedTo.computeIfAbsent(entry.domid(), k -> new ArrayList<>());
                if (nodes.size() < MAX_NODES && !nodes.contains(sp.path())) {
                    nodes.add(sp.path());
                }
            }
        }
    }
}
