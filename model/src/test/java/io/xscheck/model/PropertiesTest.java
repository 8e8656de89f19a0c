package io.xscheck.model;

import static org.quicktheories.QuickTheory.qt;

import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Request;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** QuickTheories properties of the model over random command sequences, for every dialect. */
class PropertiesTest {

    private static final int EXAMPLES = 150;

    /** The main tree is a tree: parents exist and list their children, listed children exist. */
    static String treeProblem(Tree t) {
        for (String p : t.paths()) {
            Node n = t.node(p);
            if (!p.equals("/")) {
                Node parent = t.node(Paths.parent(p));
                if (parent == null) {
                    return p + " has no parent";
                }
                if (!parent.children().contains(Paths.basename(p))) {
                    return p + " is not listed by its parent";
                }
            }
            for (String c : n.children()) {
                if (!t.exists(Paths.child(p, c))) {
                    return p + " lists missing child " + c;
                }
            }
            if (n.children().size() != n.children().stream().distinct().count()) {
                return p + " lists a child twice";
            }
        }
        Map<Integer, Integer> counts = new HashMap<>();
        for (String p : t.paths()) {
            counts.merge(t.node(p).owner(), 1, Integer::sum);
        }
        if (!counts.equals(t.ownerCounts())) {
            return "owner counts " + t.ownerCounts() + " but the tree has " + counts;
        }
        return null;
    }

    @Test
    void everyNodesParentExistsAndQuotaCountersMatchTheTree() {
        for (String dialect : Dialect.names()) {
            Model m = new Model(Dialect.named(dialect));
            qt().withExamples(EXAMPLES).forAll(Scenarios.sequences(40)).checkAssert(cmds -> {
                for (ModelState s : Scenarios.run(m, Scenarios.start(m), cmds, null)) {
                    String problem = treeProblem(s.tree());
                    if (problem != null) {
                        throw new AssertionError(dialect + ": " + problem);
                    }
                }
            });
        }
    }

    @Test
    void rmRemovesTheWholeSubtree() {
        for (String dialect : Dialect.names()) {
            Model m = new Model(Dialect.named(dialect));
            qt().withExamples(EXAMPLES).forAll(Scenarios.sequences(30), SourceDSL.integers().between(0, Scenarios.PATHS.length - 1))
                    .checkAssert((cmds, pi) -> {
                        List<ModelState> states = Scenarios.run(m, Scenarios.start(m), cmds, null);
                        ModelState s = states.get(states.size() - 1);
                        String path = Scenarios.PATHS[pi];
                        if (!path.startsWith("/") || path.equals("/") || !s.tree().exists(path)) {
                            return;
                        }
                        Allowed a = m.step(s, "a", 0, new Request.Rm(path)).single();
                        if (!Scenarios.isOk(a.reply())) {
                            throw new AssertionError(dialect + ": dom0 RM " + path + " gave " + a.reply());
                        }
                        for (String p : a.next().tree().paths()) {
                            if (Paths.isAtOrBelow(p, path)) {
                                throw new AssertionError(dialect + ": " + p + " survived RM " + path);
                            }
                        }
                    });
        }
    }

    /** The random sequences reach the main rules of every room (printed as a rule-coverage table). */
    @Test
    void randomSequencesReachTheMainRules() {
        for (String dialect : Dialect.names()) {
            Model m = new Model(Dialect.named(dialect));
            java.util.TreeMap<String, Integer> hits = new java.util.TreeMap<>();
            qt().withExamples(EXAMPLES).forAll(Scenarios.sequences(40)).checkAssert(cmds -> {
                ModelState s = Scenarios.start(m);
                for (Scenarios.Cmd c : cmds) {
                    Scenarios.Resolved r = Scenarios.resolve(s, c);
                    Outcome o = m.step(s, r.conn(), r.tx(), r.request());
                    hits.merge(o.rule().id(), 1, Integer::sum);
                    s = o.allowed().iterator().next().next();
                }
            });
            System.out.println("rule coverage " + dialect + ": " + hits);
            for (String rule : List.of("TreeOps.writeCreates", "TreeOps.writeExisting", "TreeOps.read", "TreeOps.rm",
                    "TreeOps.directory", "TreeOps.getPerms", "TreeOps.setPerms", "Watches.watch", "Watches.unwatch",
                    "Transactions.start", "Transactions.abort", "Permissions.missingNode", "Permissions.readDenied",
                    "Transactions.endUnknown")) {
                if (!hits.containsKey(rule)) {
                    throw new AssertionError(dialect + ": no random sequence reached " + rule + "; reached " + hits.keySet());
                }
            }
        }
    }

    @Test
    void canonicalizingAnAclTwiceChangesNothing() {
        qt().withExamples(500).forAll(SourceDSL.lists().of(SourceDSL.integers().between(0, 4 * 6 - 1)).ofSizeBetween(1, 8))
                .checkAssert(codes -> {
                    List<Perm> acl = new ArrayList<>();
                    for (int c : codes) {
                        acl.add(new Perm(Perm.Access.values()[c % 4], c / 4));
                    }
                    ImmutableList<Perm> once = Acl.canonical(ImmutableList.copyOf(acl));
                    if (!once.equals(Acl.canonical(once)) || !once.equals(Acl.canonical(once, false))) {
                        throw new AssertionError(acl + " -> " + once + " -> " + Acl.canonical(once));
                    }
                    ImmutableList<Perm> last = Acl.canonical(ImmutableList.copyOf(acl), true);
                    if (!last.equals(Acl.canonical(last, true))) {
                        throw new AssertionError(acl + " (last wins) -> " + last);
                    }
                });
    }
}
