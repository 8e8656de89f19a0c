package io.xscheck.conformance.engine;

import com.google.common.collect.HashMultiset;
import io.xscheck.model.Connection;
import io.xscheck.model.ModelState;
import io.xscheck.model.Watch;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.SutException;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What makes two divergences "the same": the text a baseline lists. A signature names the model
 * rule that decided and the shape of the difference, so that one baseline entry admits one bug
 * and not every bug of the same category and op:
 * <ul>
 * <li>replies: {@code kind:read:Permissions.missingNode:ENOENT/Value} (category, op, rule, and the
 *     model's and the target's answer kinds);</li>
 * <li>events: {@code events:write:TreeOps.writeCreates:guest missing below watch@root} (which
 *     connection role, whether the target missed an event or sent an extra one, how the event
 *     path relates to the watch that caught it, and the class of the watched path); an event a
 *     guest got for a node it may not read is one signature whatever the op (XSA-115);</li>
 * <li>trees: {@code tree:missing-on-target:root} (what differs, the class of the path);</li>
 * <li>crashes: the daemon's own diagnosis where it gives one, whatever the op:
 *     {@code crash:DIED:abort consider_message 'conn->in == NULL'}; else the exit or signal, or the
 *     kind of hang, with the op.</li>
 * </ul>
 */
public final class Signatures {
    private static final Pattern ASSERTION = Pattern.compile("(\\w+): Assertion [`'\"](.+?)[`'\"] failed");
    private static final Pattern SIGNAL = Pattern.compile("signalled\\((\\d+)\\)");
    private static final Pattern EXITED = Pattern.compile("exited\\((-?\\d+)\\)");
    private static final Pattern DOMAIN_HOME = Pattern.compile("/local/domain/(\\d+)(/.*)?");

    private Signatures() {
    }

    /** A different reply, error or success kind. */
    static String reply(String category, String op, String rule, String model, String target) {
        return category + ":" + op + ":" + rule + ":" + model + "/" + target;
    }

    /**
     * A transaction that still sees a node it removed, whatever request shows it: the model answers ENOENT
     * for a path at or below one the step's transaction removed ({@code removedByTransaction}), and the
     * target answers as if the node were there: with its content, names or ACL, OK to an RM or SET_PERMS
     * of it, or a refusal of the caller by its ACL (EACCES; EPERM for a SET_PERMS by another than its owner,
     * ENOSPC for a guest's with more entries than QEMU keeps on a node).
     * QEMU keeps removed nodes in a transaction's tree (xenstore_impl.c xs_node_copy_deleted flags them
     * deleted_in_tx, and a walk still finds them); any other answer keeps its own signature.
     */
    static boolean removedNodeSeen(Request request, Reply model, Reply target, boolean removedByTransaction) {
        if (!removedByTransaction || !(model instanceof Reply.Error m) || !m.name().equals("ENOENT")) {
            return false;
        }
        if (target instanceof Reply.Error e) {
            // a guest's SET_PERMS that reaches the node meets the checks on it: its owner (EPERM) and, past that,
            // the number of entries (ENOSPC over XS_MAX_PERMS_PER_NODE, xs_node_set_perms; run seed 75004)
            // a DIRECTORY that reaches it lists its children, and a list longer than a reply is E2BIG (gate seed
            // 77035: QEMU's transaction still sees the removed /wide, whose names fill more than 4096 bytes)
            return e.name().equals("EACCES") || request instanceof Request.SetPerms
                    && (e.name().equals("EPERM") || e.name().equals("ENOSPC"))
                    || request instanceof Request.Directory && e.name().equals("E2BIG");
        }
        return request instanceof Request.Read ? target instanceof Reply.Value
                : request instanceof Request.Directory ? target instanceof Reply.Names
                : request instanceof Request.DirectoryPart ? target instanceof Reply.DirectoryChunk
                : request instanceof Request.GetPerms ? target instanceof Reply.Perms
                : (request instanceof Request.SetPerms || request instanceof Request.Rm) && target instanceof Reply.Ok;
    }

    /**
     * Two replies of the same kind that differ: the kind and what differs, so that one baseline entry
     * (a list that misses names) does not admit another bug of the op (a list with names it should
     * not have): {@code reply:directory:TreeOps.directory:Names/Names missing}. Extra names of
     * nodes the main tree has or the step's transaction touched ({@code touched}: a transaction that
     * still sees what it removed) are {@code extra removed}; {@code state} is the store before the step.
     */
    static String sameKind(String op, String rule, Reply model, Reply target, ModelState state, String path,
                           java.util.Set<String> touched) {
        return sameKind(op, rule, model, target, state, path, touched, java.util.Set.of());
    }

    /**
     * As above, where the step's transaction removed the nodes {@code removed}: an extra name QEMU's copy of them
     * moved below {@code path} is {@code extra removed} too (see {@link #misplacedNames}).
     */
    static String sameKind(String op, String rule, Reply model, Reply target, ModelState state, String path,
                           java.util.Set<String> touched, java.util.Set<String> removed) {
        // QEMU takes "/a/" for "/a" (gate seed 63003): the node's children are the same either way
        String node = Lockstep.withoutTrailingSlash(path);
        return reply("reply", op, rule, Lockstep.kind(model), Lockstep.kind(target)) + " "
                + difference(model, target, state, node, touched, removed);
    }

    /**
     * How a transaction's view of {@code /} differs from the model's: the two kinds, and for two lists
     * what differs as in {@link #sameKind} ({@code extra removed}: names the main tree has, or the
     * transaction touched, {@code touched}: one it created and removed; gate seed 68004).
     */
    static String view(Reply model, Reply target, ModelState state, java.util.Set<String> touched) {
        String kinds = Lockstep.kind(model) + "/" + Lockstep.kind(target);
        return Lockstep.kind(model).equals(Lockstep.kind(target))
                ? kinds + " " + difference(model, target, state, "/", touched, java.util.Set.of()) : kinds;
    }

    private static String difference(Reply model, Reply target, ModelState state, String path, java.util.Set<String> touched,
                                     java.util.Set<String> removed) {
        if (model instanceof Reply.Names m && target instanceof Reply.Names t) {
            return listDifference(m.names(), t.names(), state, path, touched, removed);
        }
        if (model instanceof Reply.DirectoryChunk m && target instanceof Reply.DirectoryChunk t) {
            List<String> modelNames = names(m.chunk());
            List<String> targetNames = names(t.chunk());
            if (!modelNames.equals(targetNames)) {
                // A slice from an offset starts inside a name: the model's first piece may be the end of a name the
                // target's slice, shifted by names the model does not list, shows whole; it is not missing (gate seed
                // 75117: QEMU's "ol\0wide\0" for the model's "e\0", its transaction still listing /local).
                String first = modelNames.isEmpty() ? null : modelNames.get(0);
                boolean cut = first != null && !targetNames.contains(first)
                        && targetNames.stream().anyMatch(n -> n.endsWith(first));
                return listDifference(cut ? modelNames.subList(1, modelNames.size()) : modelNames, targetNames, state,
                        path, touched, removed);
            }
            // The same names, other bytes: a slice taken from an offset into a longer listing. Longer because
            // the step's transaction still lists children it touched (gate seed 57001: QEMU's "\0\0" for "\0"
            // at an offset past the model's listing) is that one cause; anything else is its own.
            boolean longer = t.chunk().length() > m.chunk().length();
            return longer && !childNames(path, touched).isEmpty() ? "extra removed" : "content";
        }
        if (model instanceof Reply.Perms m && target instanceof Reply.Perms t) {
            if (m.perms().isEmpty() || t.perms().isEmpty() || !m.perms().get(0).equals(t.perms().get(0))) {
                return "owner";
            }
            return new java.util.HashSet<>(m.perms()).equals(new java.util.HashSet<>(t.perms())) ? "order" : "entries";
        }
        if (model instanceof Reply.Text m && target instanceof Reply.Text t && m.text().length() <= 12 && t.text().length() <= 12) {
            return m.text() + " vs " + t.text();
        }
        return "content";
    }

    private static String listDifference(List<String> model, List<String> target, ModelState state, String path,
                                         java.util.Set<String> touched, java.util.Set<String> removed) {
        java.util.Set<String> extraNames = new java.util.HashSet<>(target);
        extraNames.removeAll(model);
        boolean missing = !new java.util.HashSet<>(target).containsAll(model);
        boolean extra = !extraNames.isEmpty();
        String extraText = "extra";
        // A DIRECTORY_PART chunk from an offset starts inside a name, and one cut at the payload limit ends inside
        // one (gate seed 75135: QEMU's chunk of /wide stops inside the removed w2-...): such a piece counts as the
        // name it ends or begins.
        java.util.Set<String> known = new java.util.HashSet<>();
        if (path != null && state.tree().exists(path)) {
            known.addAll(state.tree().node(path).children());
        }
        known.addAll(childNames(path, touched));
        known.addAll(misplacedNames(path, removed));
        if (extra && path != null && extraNames.stream().allMatch(n -> known.stream()
                .anyMatch(k -> k.endsWith(n) || k.startsWith(n)))) {
            extraText = "extra removed";
        }
        if (missing && extra) {
            return "missing and " + extraText;
        }
        return missing ? "missing" : extra ? extraText : model.size() != target.size() ? "duplicates" : "order";
    }

    /** The names of {@code path}'s direct children among the paths the step's transaction touched. */
    private static java.util.Set<String> childNames(String path, java.util.Set<String> touched) {
        if (path == null) {
            return java.util.Set.of();
        }
        String prefix = path.equals("/") ? "/" : path + "/";
        java.util.Set<String> out = new java.util.HashSet<>();
        touched.stream().filter(t -> t.startsWith(prefix) && t.indexOf('/', prefix.length()) < 0)
                .forEach(t -> out.add(t.substring(prefix.length())));
        return out;
    }

    /**
     * Names QEMU's copy of a subtree its transaction removed may have moved below {@code path}: copy_deleted_recurse
     * puts a later sibling into the children table of the last node copied before it, so a removed node's copy can
     * land at any depth below an earlier sibling (gate seed 75156: /local/domain/2's copy listed in
     * /local/domain/1). The names of removed nodes whose parent is a proper ancestor of {@code path} and that are
     * not {@code path} or its ancestors.
     */
    private static java.util.Set<String> misplacedNames(String path, java.util.Set<String> removed) {
        if (path == null || path.equals("/")) {
            return java.util.Set.of();
        }
        java.util.Set<String> out = new java.util.HashSet<>();
        for (String t : removed) {
            String parent = TreeCheck.parentOf(t);
            boolean ancestorOrSelf = t.equals(path) || path.startsWith(t + "/");
            if (!t.equals("/") && !ancestorOrSelf && (parent.equals("/") || path.startsWith(parent + "/"))) {
                out.add(t.substring(t.lastIndexOf('/') + 1));
            }
        }
        return out;
    }

    private static List<String> names(io.xscheck.protocol.Bytes chunk) {
        String s = chunk.toLatin1();
        return s.isEmpty() ? List.of() : List.of(s.split("\u0000"));
    }

    /** A crash: the assertion the daemon's log names, else how it ended, else the kind of hang. */
    static String crash(String op, SutException e, String logTail) {
        String text = e.getMessage() + "\n" + e.logTail() + "\n" + logTail;
        Matcher a = ASSERTION.matcher(text);
        if (a.find()) {
            return "crash:" + e.kind() + ":abort " + a.group(1) + " '" + a.group(2) + "'";
        }
        Matcher s = SIGNAL.matcher(text);
        if (s.find()) {
            return "crash:" + op + ":" + e.kind() + ":signal " + s.group(1);
        }
        Matcher x = EXITED.matcher(text);
        if (x.find() && e.kind() == SutException.Kind.DIED) {
            return "crash:" + op + ":" + e.kind() + ":exit " + x.group(1);
        }
        if (e.kind() == SutException.Kind.HUNG) {
            String m = e.getMessage();
            String how = m.contains("while a later request on the same connection was answered") ? "request dropped"
                    : m.contains("only after a later request") ? "answered only after more input" : "no answer";
            return "crash:" + op + ":" + e.kind() + ":" + how;
        }
        return "crash:" + op + ":" + e.kind();
    }

    /**
     * The first event (in a stable order) that one side has and the other lacks, described by
     * who receives it, which side lacks it, and how it relates to the watch that matches it.
     */
    static String events(String op, String rule, Map<String, List<WatchEvent>> model,
                         Map<String, List<WatchEvent>> target, ModelState before, ModelState state, String caseRoot,
                         java.util.function.BiPredicate<Integer, List<Perm>> mayRead) {
        return events(op, rule, model, target, before, state, caseRoot, mayRead, Map.of());
    }

    /**
     * As above, for a commit whose transaction changed the nodes of {@code changeAcls} under those ACLs: the model
     * shows a committed change to a watcher that may read it under one of them (QEMU's events, the ACLs as each op
     * found them), so a guest's extra event for a node none of them lets it read is one it may not read, whatever
     * the store says after (gate seed 77019: tx WRITE /local, tx SETPERMS / b1, commit: QEMU fires /local to guest 2).
     */
    static String events(String op, String rule, Map<String, List<WatchEvent>> model,
                         Map<String, List<WatchEvent>> target, ModelState before, ModelState state, String caseRoot,
                         java.util.function.BiPredicate<Integer, List<Perm>> mayRead,
                         Map<String, List<List<Perm>>> changeAcls) {
        TreeSet<String> conns = new TreeSet<>(model.keySet());
        conns.addAll(target.keySet());
        for (String c : conns) {
            HashMultiset<WatchEvent> want = HashMultiset.create(model.getOrDefault(c, List.of()));
            HashMultiset<WatchEvent> got = HashMultiset.create(target.getOrDefault(c, List.of()));
            for (WatchEvent ev : sorted(want.elementSet())) {
                if (got.count(ev) < want.count(ev)) {
                    return eventShape(op, rule, c, "missing", ev, before, state, caseRoot, mayRead, changeAcls);
                }
            }
            for (WatchEvent ev : sorted(got.elementSet())) {
                if (want.count(ev) < got.count(ev)) {
                    return eventShape(op, rule, c, "extra", ev, before, state, caseRoot, mayRead, changeAcls);
                }
            }
        }
        return "events:" + op + ":" + rule;
    }

    private static List<WatchEvent> sorted(java.util.Set<WatchEvent> events) {
        return events.stream().sorted(java.util.Comparator.comparing(WatchEvent::path).thenComparing(WatchEvent::token))
                .toList();
    }

    private static String eventShape(String op, String rule, String conn, String side, WatchEvent ev, ModelState before,
                                     ModelState state, String caseRoot, java.util.function.BiPredicate<Integer, List<Perm>> mayRead,
                                     Map<String, List<List<Perm>>> changeAcls) {
        Optional<Connection> c = state.connection(conn);
        String role = c.map(x -> x.domid() == 0 ? "dom0" : "guest").orElse("gone");
        String home = c.map(x -> "/local/domain/" + x.domid()).orElse("");
        String canonical = ev.path().startsWith("/") || ev.path().startsWith("@") ? ev.path() : home + "/" + ev.path();
        if (side.equals("extra") && c.isPresent() && c.get().domid() != 0
                && (!readable(before, state, canonical, c.get().domid(), mayRead) || changeAcls.containsKey(canonical)
                && changeAcls.get(canonical).stream().noneMatch(acl -> mayRead.test(c.get().domid(), acl)))) {
            // XSA-115: an event for a node the guest may not read must not reach it, whatever the op; one signature.
            return "events:" + role + " extra for a node it may not read";
        }
        // Of several watches of the token that match, which one's event went astray cannot be told: the one on
        // an invalid path, else on "/", else the shallowest, so that a known bug of such a watch (QEMU's root watch,
        // its watches on a path with a trailing "/") keeps one signature when another watch shares its token.
        Optional<Watch> watch = c.flatMap(x -> x.watches().stream().filter(w -> w.token().equals(ev.token())
                && !relation(w, canonical).equals("elsewhere"))
                .min(java.util.Comparator.<Watch>comparingInt(w -> pathClass(w.given(), caseRoot).equals("invalid") ? 0
                        : w.canonical().equals("/") ? 1 : 2).thenComparingInt(w -> w.canonical().length())));
        if (side.equals("missing") && watch.isPresent() && pathClass(watch.get().given(), caseRoot).equals("invalid")) {
            // A watch a target accepted on an invalid path (QEMU: a trailing "/") and never fires: one cause, any op.
            return "events:" + role + " missing for a watch on an invalid path";
        }
        String shape = watch.map(w -> relation(w, canonical) + "@" + pathClass(w.given(), caseRoot))
                .orElse("no watch of that token above@" + pathClass(ev.path(), caseRoot));
        return "events:" + op + ":" + rule + ":" + role + " " + side + " " + shape;
    }

    /**
     * Whether domain {@code domid} may read the node at {@code path} by its ACL, by the dialect's
     * matching rule ({@code mayRead}): as it stood before the step
     * if it existed then (a removed node's events are filtered by its ACL), or as it stands after
     * (its nearest existing ancestor's, for a node that never existed).
     */
    private static boolean readable(ModelState before, ModelState after, String path, int domid,
                                    java.util.function.BiPredicate<Integer, List<Perm>> mayRead) {
        if (!path.startsWith("/")) {
            return true;
        }
        if (before.tree().exists(path)) {
            // As the model filters an event (Watches.visible): the node or its parent, before or after the step.
            return readableAt(before, path, domid, mayRead) || (after.tree().exists(path) && readableAt(after, path, domid, mayRead));
        }
        String p = path;
        while (!p.equals("/") && !after.tree().exists(p)) {
            p = p.substring(0, Math.max(1, p.lastIndexOf('/')));
        }
        return !after.tree().exists(p) || mayRead.test(domid, after.tree().node(p).access());
    }

    private static boolean readableAt(ModelState s, String path, int domid, java.util.function.BiPredicate<Integer, List<Perm>> mayRead) {
        if (mayRead.test(domid, s.tree().node(path).access())) {
            return true;
        }
        String parent = path.equals("/") ? null : path.substring(0, Math.max(1, path.lastIndexOf('/')));
        return parent != null && s.tree().exists(parent) && mayRead.test(domid, s.tree().node(parent).access());
    }

    /** How an event's path stands to the watch that caught it: the watched node itself, or below it. */
    private static String relation(Watch w, String eventPath) {
        String watched = w.canonical();
        if (eventPath.equals(watched)) {
            return "at watch";
        }
        if (watched.equals("/") || eventPath.startsWith(watched + "/")) {
            return "below watch";
        }
        return "elsewhere";
    }

    /** A whole-tree difference: what differs and where. */
    static String tree(String kind, String path, String caseRoot) {
        return "tree:" + kind + ":" + pathClass(path, caseRoot);
    }

    /**
     * The class of a path, so that a signature does not depend on generated names: {@code root},
     * {@code special} ({@code @...}), {@code relative}, {@code case} (a shared daemon's case
     * root), {@code tool}, {@code local} ({@code /local}, {@code /local/domain}), {@code dom0-home},
     * {@code guest-home} (at or below {@code /local/domain/N}), {@code invalid}, else {@code node}.
     */
    public static String pathClass(String p, String caseRoot) {
        if (p.equals("/")) {
            return "root";
        }
        if (p.startsWith("@")) {
            return "special";
        }
        if (p.isEmpty() || p.contains("//") || p.endsWith("/") || !p.chars().allMatch(Signatures::pathChar)) {
            return "invalid";
        }
        if (!p.startsWith("/")) {
            return "relative";
        }
        if (!caseRoot.equals("/") && TreeCheck.under(p, caseRoot)) {
            return "case";
        }
        if (p.equals("/tool") || p.startsWith("/tool/")) {
            return "tool";
        }
        if (p.equals("/local") || p.equals("/local/domain")) {
            return "local";
        }
        Matcher m = DOMAIN_HOME.matcher(p);
        if (m.matches()) {
            return m.group(1).equals("0") ? "dom0-home" : "guest-home";
        }
        return "node";
    }

    private static boolean pathChar(int ch) {
        return ch >= 'a' && ch <= 'z' || ch >= 'A' && ch <= 'Z' || ch >= '0' && ch <= '9' || "/_-@".indexOf(ch) >= 0;
    }
}
