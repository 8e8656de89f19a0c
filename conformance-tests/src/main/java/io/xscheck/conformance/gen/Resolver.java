package io.xscheck.conformance.gen;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns templates into concrete steps against what this test case has seen so far: the paths
 * written or named, the transactions open per connection, the watches held. Sees the replies the
 * model followed (which are the target's choices), never a target. A template that has nothing to
 * act on (a commit with no transaction ever opened) resolves to nothing.
 */
public final class Resolver {
    /** Known paths are capped so that memory stays bounded however long a sequence is. */
    private static final int MAX_KNOWN = 300;
    private static final int MAX_OWN = 20;
    private static final String[] CHILD_NAMES = {"a", "b", "c", "data", "e-1", "_f", "g@h", "vm"};
    private static final int[] DOMIDS = {0, 1, 2, 3, 7};
    private static final String[] INVALID_PATHS = {"", "//x", "/x/", "/a b", "x//y", "/\u00e4", "/local/domain/1/",
        "@other", "/@introduceDomain"};
    /** C's default per-node value limit is 2048 bytes (xenstored_core.c quota_max_entry_size). */
    private static final int ENTRY_LIMIT = 2048;
    private static final int PAYLOAD_MAX = 4096;
    private static final int WIDE_NAME = 1400;
    private static final int WIDE_CHILDREN = 3;

    private final List<TraceLine.Conn> conns;
    private final String root;
    private final Traits traits;
    private final LinkedHashSet<String> known = new LinkedHashSet<>();
    private final Map<String, List<String>> openTx = new HashMap<>();
    private final Map<String, List<String>> endedTx = new HashMap<>();
    private final List<String[]> watches = new ArrayList<>();
    /** Paths each guest connection created (so, as far as the generator knows, owns). */
    private final Map<String, List<String>> created = new HashMap<>();
    private int txCounter;
    private int fillCounter;
    private final Revivals revivals = new Revivals();
    /** The connections gone at the last {@link #resolve}. */
    private Set<String> lastGone = Set.of();
    /** Children the wide node got from WIDE_DIRECTORY writes the model followed. */
    private int wideChildren;
    /** The template the last step came from, and how many steps of it came before this one (a burst's). */
    private CommandTemplate lastTemplate;
    private int burstStep;

    /**
     * @param conns the connections of the test case (first one privileged)
     * @param root the sandbox root every generated absolute path stays under ({@code /} for own targets)
     */
    public Resolver(List<TraceLine.Conn> conns, String root) {
        this(conns, root, Traits.NONE);
    }

    /**
     * What the generator may ask only of some dialects.
     *
     * @param foreignTransactions now and then a request names another connection's open transaction. Only where
     *     the target numbers transactions across connections (QEMU) does such a name mean one transaction to the
     *     target and to the model alike; where each connection counts its own, a kept connection's count goes on
     *     across cases while the model's starts again, and the same number would name different transactions.
     * @param portZero now and then an INTRODUCE gives event-channel port 0: only where the daemon refuses it
     *     before mapping anything (C); elsewhere the harness's fake hypervisor would be asked for port 0.
     * @param reviveGuests now and then a guest domain a kill ended comes back under its id with a new connection
     *     ({@link #revival}): where ACL entries naming a domain outlive it and are then flagged ignored (C), the
     *     only way to meet the rules on such entries.
     * @param releaseDom0 now and then a RELEASE names dom0: only where dom0 is a domain like any other to the daemon,
     *     which refuses it (C: EINVAL, xenstored_domain.c do_release); oxenstored would remove every node dom0 owns.
     */
    public record Traits(boolean foreignTransactions, boolean portZero, boolean reviveGuests, boolean releaseDom0) {
        public static final Traits NONE = new Traits(false, false, false, false);
    }

    public Resolver(List<TraceLine.Conn> conns, String root, Traits traits) {
        this.traits = traits;
        this.conns = new ArrayList<>(conns);
        this.root = root;
        known.add(root);
        if (root.equals("/")) {
            known.add("/local");
            known.add("/local/domain");
            known.add("/tool");
            for (TraceLine.Conn c : conns) {
                if (c.guest()) {
                    known.add("/local/domain/" + c.domid());
                }
            }
        }
    }

    /** The connections a test case uses: two privileged and, when the target has guests, two guests. */
    public static List<TraceLine.Conn> standardConns(boolean guests) {
        List<TraceLine.Conn> out = new ArrayList<>();
        out.add(TraceLine.Conn.dom0("A"));
        out.add(TraceLine.Conn.dom0("B"));
        if (guests) {
            out.add(TraceLine.Conn.guest("G1", 1));
            out.add(TraceLine.Conn.guest("G2", 2));
        }
        return out;
    }

    public Optional<TraceLine.Step> resolve(CommandTemplate t, Set<String> gone) {
        lastGone = Set.copyOf(gone);
        // the steps of a burst are copies of one template, one after another (Templates.expanded)
        burstStep = t == lastTemplate ? burstStep + 1 : 0;
        lastTemplate = t;
        TraceLine.Conn conn = conns.get(Math.floorMod(t.conn(), conns.size()));
        if (gone.contains(conn.name())) {
            conn = conns.get(0);
        }
        String c = conn.name();
        Optional<String> tx = pickOpenTx(c, t.tx(), gone);
        String path = path(t.path(), conn);
        path = revivals.grantedPath(conn, t.path()).orElse(path);
        switch (t.kind()) {
            case READ: return step(c, tx, new Request.Read(path));
            case WRITE: {
                String p = belowCaseRoot(path, t.path());
                return step(c, tx, new Request.Write(p, fitted(value(t.arg(), p), p)));
            }
            case MKDIR: return step(c, tx, new Request.Mkdir(path));
            case RM: return step(c, tx, new Request.Rm(belowCaseRoot(path, t.path())));
            case DIRECTORY: return step(c, tx, new Request.Directory(path));
            case DIRECTORY_PART: return step(c, tx, new Request.DirectoryPart(path, t.arg() % 3 == 0 ? 0 : t.arg() % 40));
            case GET_PERMS: return step(c, tx, new Request.GetPerms(path));
            case SET_PERMS: {
                List<String> mine = created.getOrDefault(c, List.of());
                if (conn.guest() && !mine.isEmpty() && t.arg() % 3 == 0) {
                    // a guest re-permissioning a node of its own: where the rules on owner changes and the
                    // entry quota decide, which a node owned by dom0 never reaches
                    String own = mine.get(Math.floorMod(t.arg() / 3, mine.size()));
                    return step(c, tx, new Request.SetPerms(own, ownPerms(conn.domid(), t.arg() / 3)));
                }
                return step(c, tx, new Request.SetPerms(belowCaseRoot(path, t.path()), perms(t.arg())));
            }
            case WATCH: {
                String p = t.arg() % 5 == 0 && root.equals("/") ? special(t.arg()) : path;
                return step(c, Optional.empty(), new Request.Watch(p, "t" + (t.arg() % 4)));
            }
            case UNWATCH: {
                final String me = c;
                List<String[]> mine = watches.stream().filter(w -> w[0].equals(me)).toList();
                String[] w = mine.isEmpty() ? new String[] {c, path, "t0"} : mine.get(Math.floorMod(t.arg(), mine.size()));
                return step(c, Optional.empty(), new Request.Unwatch(w[1], w[2]));
            }
            case TX_START: {
                // now and then inside one of its transactions: nested starts are refused, each daemon its own way
                Optional<String> outer = t.arg() % 6 == 0 ? tx : Optional.empty();
                return Optional.of(new TraceLine.Step(c, outer, new Command.StartTx("T" + (++txCounter)), Optional.empty()));
            }
            case TX_COMMIT, TX_ABORT: {
                boolean commit = t.kind() == Kind.TX_COMMIT;
                List<String> open = openTx.getOrDefault(c, List.of());
                if (!open.isEmpty()) {
                    return Optional.of(TraceLine.Step.of(c, new Command.EndTx(open.get(Math.floorMod(t.arg(), open.size())), commit)));
                }
                List<String> ended = endedTx.getOrDefault(c, List.of());
                if (!ended.isEmpty() && t.arg() % 4 == 0) {
                    return Optional.of(TraceLine.Step.of(c, new Command.EndTx(ended.get(ended.size() - 1), commit)));
                }
                return Optional.empty();
            }
            case INTRODUCE: return Optional.of(TraceLine.Step.of(c,
                    new Command.Introduce(1 + t.arg() % 3, traits.portZero() && t.arg() % 5 == 4)));
            case RELEASE: return step(c, Optional.empty(), new Request.Release(
                    traits.releaseDom0() && t.arg() % 8 == 7 ? 0 : 1 + t.arg() % 3));
            case IS_INTRODUCED: return step(c, Optional.empty(), new Request.IsDomainIntroduced(DOMIDS[t.arg() % DOMIDS.length]));
            case GET_DOMAIN_PATH: return step(c, Optional.empty(), new Request.GetDomainPath(DOMIDS[t.arg() % DOMIDS.length]));
            case SET_TARGET: return step(c, Optional.empty(), new Request.SetTarget(1 + t.arg() % 3, 1 + (t.arg() / 3) % 3));
            case RESET_WATCHES: return step(c, Optional.empty(), new Request.ResetWatches());
            case RESUME: return step(c, Optional.empty(), new Request.Resume(t.arg() % 4));
            case CONTROL: return step(c, Optional.empty(), new Request.Control(List.of("xscheck-no-such-command")));
            case KILL: {
                List<TraceLine.Conn> guests = conns.stream().filter(TraceLine.Conn::guest).toList();
                if (guests.isEmpty()) {
                    return Optional.empty();
                }
                // where domains come back, often one an ACL entry names: its next life meets that entry
                int domid = (traits.reviveGuests() ? revivals.killWithGrants(guests, t.arg()) : Optional.<Integer>empty())
                        .orElse(guests.get(t.arg() % guests.size()).domid());
                return Optional.of(TraceLine.Step.of(conns.get(0).name(), new Command.Kill(domid)));
            }
            case EVENTS: return Optional.of(TraceLine.Step.of(c, new Command.Events()));
            case QUOTA_FILL: {
                String home = conn.guest() ? "/local/domain/" + conn.domid() : root;
                String p = (home.equals("/") ? "" : home) + "/q" + (++fillCounter);
                if (!root.equals("/") && !p.startsWith(root)) {
                    p = root + "/q" + fillCounter;
                }
                // one in four just over the node-size quota: refused, and inside a transaction C then fails it
                return step(c, tx, new Request.Write(p, Bytes.of(new byte[t.arg() % 4 == 0 ? ENTRY_LIMIT + 1 : ENTRY_LIMIT])));
            }
            case BAD_REQUEST: return step(c, tx, badRequest(t.arg(), path));
            case WIDE_DIRECTORY: {
                String dom0 = conn.guest() ? conns.get(0).name() : c;
                if (wideChildren < WIDE_CHILDREN) {
                    return step(dom0, Optional.empty(), new Request.Write(wideNode() + "/" + wideName(fillCounter++), Bytes.EMPTY));
                }
                return step(dom0, tx.filter(x -> dom0.equals(c)), new Request.Directory(wideNode()));
            }
            case BURST_TRANSACTIONS, BURST_WATCHES, BURST_NODES: {
                // each step of the burst names the same guest (its template's choice), never inside a transaction
                List<TraceLine.Conn> guests = conns.stream().filter(x -> x.guest() && !gone.contains(x.name())).toList();
                if (guests.isEmpty()) {
                    return Optional.empty();
                }
                String g = guests.get(Math.floorMod(t.conn(), guests.size())).name();
                if (t.kind() == Kind.BURST_TRANSACTIONS) {
                    return Optional.of(TraceLine.Step.of(g, new Command.StartTx("T" + (++txCounter))));
                }
                if (t.kind() == Kind.BURST_NODES) {
                    int domid = guests.get(Math.floorMod(t.conn(), guests.size())).domid();
                    String home = "/local/domain/" + domid;
                    if (burstStep == 0) {
                        return step(conns.get(0).name(), Optional.empty(), new Request.Mkdir(home));
                    }
                    if (burstStep == 1) {
                        return step(conns.get(0).name(), Optional.empty(), new Request.SetPerms(home, List.of(Perm.none(domid))));
                    }
                    // a hundred children a directory: C counts child names in a node's size (2048 bytes), and a list of a
                    // thousand names would not fit a reply (oxenstored sends it all the same)
                    int n = burstStep - 2;
                    return step(g, Optional.empty(), new Request.Write("n" + n / 100 + "/" + n % 100, Bytes.EMPTY));
                }
                return step(g, Optional.empty(), new Request.Watch("b" + (++fillCounter), "b"));
            }
            case LIVEUPDATE, MIGRATE: {
                // asked on a dom0 connection, whatever else is open, watched or introduced meanwhile
                String dom0 = conn.guest() ? conns.get(0).name() : c;
                Command restart = t.kind() == Kind.MIGRATE ? new Command.Migrate() : new Command.LiveUpdate(t.arg() % 3 == 0);
                return Optional.of(TraceLine.Step.of(dom0, restart));
            }
            default: throw new IllegalStateException("unhandled kind " + t.kind());
        }
    }

    /**
     * Where the target's dialect allows it ({@link Traits#reviveGuests}), for an INTRODUCE template now and then: a
     * guest domain a kill of the case ended comes back under its id with a new connection the harness introduces
     * ({@link Revivals#revival}). The caller declares it instead of running a step; later templates may pick it
     * like any other connection.
     */
    public Optional<TraceLine.Conn> revival(CommandTemplate t, Set<String> gone) {
        return traits.reviveGuests() ? revivals.revival(t, conns, gone) : Optional.empty();
    }

    /** Learns from the reply the model followed (the target's choice). */
    public void observe(TraceLine.Step step, Reply reply) {
        String c = step.conn();
        boolean ok = !(reply instanceof Reply.Error);
        Command cmd = step.command();
        revivals.observe(step, reply, conns, lastGone);
        if (cmd instanceof Command.StartTx s && ok) {
            openTx.computeIfAbsent(c, k -> new ArrayList<>()).add(s.name());
        } else if (cmd instanceof Command.LiveUpdate && reply instanceof Reply.Text t && t.text().equals("OK")) {
            // C's forced update drops every open transaction (the model says where)
            openTx.forEach((conn, names) -> endedTx.computeIfAbsent(conn, k -> new ArrayList<>()).addAll(names));
            openTx.clear();
        } else if (cmd instanceof Command.EndTx e) {
            if (openTx.getOrDefault(c, new ArrayList<>()).remove(e.name())) {
                endedTx.computeIfAbsent(c, k -> new ArrayList<>()).add(e.name());
            }
        } else if (cmd instanceof Command.Send s) {
            Request r = s.request();
            if (ok && r instanceof Request.Write w && step.tx().isEmpty() && w.path().startsWith(wideNode() + "/")
                    && w.path().indexOf('/', wideNode().length() + 1) < 0) {
                wideChildren++;
            } else if (ok && r instanceof Request.Rm rm && (wideNode() + "/").startsWith(rm.path().equals("/") ? "/" : rm.path() + "/")) {
                wideChildren = 0;
            }
            if (ok && (r instanceof Request.Write || r instanceof Request.Mkdir)) {
                String p = r instanceof Request.Write w ? w.path() : ((Request.Mkdir) r).path();
                if (p.startsWith("/") && known.size() < MAX_KNOWN) {
                    known.add(p);
                }
                if (p.startsWith("/") && conns.stream().anyMatch(x -> x.name().equals(c) && x.guest())) {
                    List<String> mine = created.computeIfAbsent(c, k -> new ArrayList<>());
                    if (mine.size() < MAX_OWN && !mine.contains(p)) {
                        mine.add(p);
                    }
                }
            } else if (ok && r instanceof Request.Watch w) {
                watches.add(new String[] {c, w.path(), w.token()});
            } else if (ok && r instanceof Request.Unwatch u) {
                watches.removeIf(w -> w[0].equals(c) && w[1].equals(u.path()) && w[2].equals(u.token()));
            } else if (r instanceof Request.ResetWatches) {
                watches.removeIf(w -> w[0].equals(c));
            } else if (ok && r instanceof Request.Directory d && reply instanceof Reply.Names names
                    && d.path().startsWith("/")) {
                for (String child : names.names()) {
                    if (known.size() < MAX_KNOWN) {
                        known.add(d.path().equals("/") ? "/" + child : d.path() + "/" + child);
                    }
                }
            }
        }
    }

    /** The node WIDE_DIRECTORY fills, under the case root. */
    private String wideNode() {
        return (root.equals("/") ? "" : root) + "/wide";
    }

    /**
     * A child name of {@link #WIDE_NAME} bytes: three of them list in more than a reply may hold (4096 bytes),
     * and the path stays within the 2048 bytes C and oxenstored take (Paths.tooLong).
     */
    private static String wideName(int n) {
        String head = "w" + n + "-";
        return head + "x".repeat(WIDE_NAME - head.length());
    }

    /**
     * The case root of a shared daemon is the harness's: a case never removes, rewrites or
     * re-permissions it (the model starts every case from it as the harness made it), so such a
     * write goes to one of its children instead.
     */
    private String belowCaseRoot(String path, int choice) {
        if (root.equals("/") || !path.equals(root)) {
            return path;
        }
        return root + "/" + CHILD_NAMES[Math.floorMod(choice / 7, CHILD_NAMES.length)];
    }

    private Optional<TraceLine.Step> step(String conn, Optional<String> tx, Request r) {
        return Optional.of(new TraceLine.Step(conn, tx, new Command.Send(r), Optional.empty()));
    }

    private Optional<String> pickOpenTx(String conn, int choice, Set<String> gone) {
        List<String> open = openTx.getOrDefault(conn, List.of());
        List<String> ended = endedTx.getOrDefault(conn, List.of());
        if (choice % 13 == 1 && !ended.isEmpty()) {
            // a transaction this connection has ended: the request names one it no longer has
            return Optional.of(ended.get(ended.size() - 1));
        }
        if (traits.foreignTransactions() && choice % 17 == 5) {
            // another connection's open transaction (a guest naming dom0's: QEMU's xscheck-1)
            // not a killed guest's: QEMU learns of a closed connection only at its next poll, and a request that
            // races it finds the transaction still open (gate seed 54002)
            List<String> others = openTx.entrySet().stream().filter(e -> !e.getKey().equals(conn) && !gone.contains(e.getKey()))
                    .sorted(Map.Entry.comparingByKey()).flatMap(e -> e.getValue().stream()).toList();
            if (!others.isEmpty()) {
                return Optional.of(others.get((choice / 17) % others.size()));
            }
        }

        if (open.isEmpty() || choice % 3 == 0) {
            return Optional.empty();
        }
        return Optional.of(open.get(choice % open.size()));
    }

    private String path(int p, TraceLine.Conn conn) {
        List<String> k = new ArrayList<>(known);
        String base = k.get((p / 100) % k.size());
        int r = p % 100;
        if (r < 55) {
            return base;
        }
        String child = CHILD_NAMES[(p / 7) % CHILD_NAMES.length];
        if (r < 82) {
            return base.equals("/") ? "/" + child : base + "/" + child;
        }
        if (r < 88 && root.equals("/")) {
            return child;
        }
        if (r < 92 && root.equals("/")) {
            return special(p);
        }
        if (!root.equals("/")) {
            return root + "/" + child;
        }
        int which = (p / 3) % (INVALID_PATHS.length + 3);
        if (which == INVALID_PATHS.length) {
            return longPath(conn, 2049);
        }
        if (which == INVALID_PATHS.length + 1) {
            return longPath(conn, 2047);
        }
        if (which == INVALID_PATHS.length + 2) {
            // over QEMU's 3072-byte limit too (xenstore_impl.c validate_path)
            return longPath(conn, 3073);
        }
        return INVALID_PATHS[which];
    }

    /** A path whose part after the guest's home (or the whole path for dom0) has {@code length} bytes. */
    private static String longPath(TraceLine.Conn conn, int length) {
        String prefix = conn.guest() ? "/local/domain/" + conn.domid() + "/" : "/";
        StringBuilder sb = new StringBuilder(prefix);
        int target = conn.guest() ? prefix.length() + length : length;
        while (sb.length() < target) {
            sb.append(sb.length() % 16 == 15 ? '/' : 'l');
        }
        if (sb.charAt(sb.length() - 1) == '/') {
            sb.setCharAt(sb.length() - 1, 'l');
        }
        return sb.toString();
    }

    private static String special(int choice) {
        return choice % 2 == 0 ? "@introduceDomain" : "@releaseDomain";
    }

    private static Bytes value(int a, String path) {
        switch (a % 16) {
            case 0: return Bytes.EMPTY;
            case 7: return Bytes.of(new byte[] {0, 'a', (byte) 0xff, '\n'});
            case 8: return filled(ENTRY_LIMIT);
            case 9: return filled(ENTRY_LIMIT + 1);
            case 10: return filled(Math.max(0, PAYLOAD_MAX - Bytes.latin1(path).length() - 1));
            case 11: {
                byte[] b = new byte[64];
                for (int i = 0; i < b.length; i++) {
                    b[i] = (byte) (a * 31 + i * 17);
                }
                return Bytes.of(b);
            }
            default: return Bytes.latin1("v" + (a % 100));
        }
    }

    /** The value cut so that the WRITE payload stays within XENSTORE_PAYLOAD_MAX (no client can send more). */
    private static Bytes fitted(Bytes value, String path) {
        int room = Math.max(0, PAYLOAD_MAX - Bytes.latin1(path).length() - 1);
        return value.length() <= room ? value : Bytes.of(value.toArray(), 0, room);
    }

    private static Bytes filled(int n) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) 'x');
        return Bytes.of(b);
    }

    private static List<Perm> perms(int a) {
        if (a % 37 == 0) {
            return List.of();
        }
        Perm.Access[] acc = Perm.Access.values();
        List<Perm> out = new ArrayList<>();
        out.add(new Perm(acc[(a / 5) % 4], DOMIDS[a % DOMIDS.length]));
        int extra = a % 29 == 0 ? 6 : (a / 20) % 4;
        for (int i = 0; i < extra; i++) {
            int x = a / (7 + i * 3);
            out.add(new Perm(acc[x % 4], DOMIDS[(x / 4) % DOMIDS.length]));
        }
        return out;
    }

    /**
     * An ACL for a guest's own node: it keeps its ownership three times in four, and one time in three names six
     * others, more than the five entries C and QEMU let a guest give (Quotas.permsPerNode).
     */
    private static List<Perm> ownPerms(int domid, int a) {
        Perm.Access[] acc = Perm.Access.values();
        List<Perm> out = new ArrayList<>();
        out.add(new Perm(acc[a % 4], a % 4 == 3 ? DOMIDS[(a / 4) % DOMIDS.length] : domid));
        int extra = a % 3 == 0 ? 6 : (a / 3) % 3;
        for (int i = 0; i < extra; i++) {
            int x = a / (3 + i * 2);
            out.add(new Perm(acc[x % 4], DOMIDS[(x / 4) % DOMIDS.length]));
        }
        return out;
    }

    private static Request badRequest(int a, String path) {
        switch (a % 5) {
            case 0: return new Request.Raw(Op.READ.wire(), Bytes.latin1(path + "\0extra\0"));
            case 1: return new Request.Raw(Op.WATCH.wire(), Bytes.latin1(path + "\0"));
            case 2: return new Request.Raw(20, Bytes.latin1("x\0"));
            case 3: return new Request.Raw(Op.INVALID.wire(), Bytes.latin1("\0"));
            default: return new Request.Raw(Op.READ.wire(), Bytes.latin1(path));
        }
    }
}
