package io.xscheck.conformance.engine;

import io.xscheck.model.Connection;
import io.xscheck.model.ModelState;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Quota figures before and after a restart: a restart that keeps state keeps every domain's
 * figures too (the property oxenstored's live-update fuzzer checked). They are read with
 * {@code XS_CONTROL quota DOMID} ({@link QuotaFigures}) for dom0 and every domain the model says
 * is introduced, before the step and after it, and compared where the model says what they must
 * be: a figure of open transactions or watches moves as the model's count of them did (a forced
 * update that drops transactions), and the figures that follow the tree (nodes, memory, entries)
 * must stay when the model's tree did and the domain's transactions did too: C accounts what a
 * transaction holds to its domain (a forced update that drops it releases that), and the model
 * keeps no byte count. A target that reports no figures is not compared.
 */
final class QuotaCheck {
    private static final Set<String> FOLLOW_TREE = Set.of("nodes", "memory", "entries");

    private QuotaCheck() {
    }

    /** A figure that moved when it should not have. */
    record Difference(int domid, String figure, long before, long after, long expected) {
        /**
         * Which domain role, which figure, which way: the amount is in {@link #text()}, not here (it
         * depends on what the case held: a reused daemon's figures differ from a fresh one's).
         */
        String signature(String op) {
            return "quota:" + op + ":" + (domid == 0 ? "dom0" : "guest") + ":" + figure + ":"
                    + (after > expected ? "grew" : "shrank");
        }

        String text() {
            return "domain " + domid + " " + figure + ": " + before + " before, " + after + " after, expected " + expected;
        }
    }

    /** dom0 and the introduced domains of {@code s}. */
    static Set<Integer> domains(ModelState s) {
        Set<Integer> out = new TreeSet<>(s.domains().keySet());
        out.add(0);
        return out;
    }

    /** The figures {@code via} (a dom0 connection outside transactions) reads; domains without any are left out. */
    static Map<Integer, QuotaFigures> read(SutConnection via, Set<Integer> domids) {
        Map<Integer, QuotaFigures> out = new TreeMap<>();
        for (int d : domids) {
            Reply r = via.call(0, new Request.Control(List.of("quota", Integer.toString(d))));
            QuotaFigures.parse(r).ifPresent(f -> out.put(d, f));
        }
        return out;
    }

    /**
     * The first figure, by domain and name, that differs from what the model's two states say it must be;
     * dom0's memory may also have grown by {@code dom0Growth} (C's first update, {@link
     * io.xscheck.model.RestartKnobs#dom0MemoryGrowthAtFirstRestart}). dom0's entries count stood {@code dom0Carried}
     * away from a fresh daemon's for the same tree when the case began (what the target's last reset could not put
     * back: {@link io.xscheck.sut.AccountingAtReset}; 0 on a fresh target) and the restart counts the entries anew
     * ({@link io.xscheck.model.RestartKnobs#entriesCountedAnewAtRestart}): that much of the move is expected.
     */
    static Optional<Difference> compare(Map<Integer, QuotaFigures> before, Map<Integer, QuotaFigures> after,
                                        ModelState modelBefore, ModelState modelAfter, int dom0Growth,
                                        long dom0Carried) {
        boolean treeKept = modelBefore.tree().equals(modelAfter.tree());
        for (Map.Entry<Integer, QuotaFigures> e : before.entrySet()) {
            int d = e.getKey();
            QuotaFigures now = after.get(d);
            if (now == null) {
                continue; // released by the restart (C's check of dying domains), or no longer reported
            }
            for (Map.Entry<String, Long> f : new TreeMap<>(e.getValue().byName()).entrySet()) {
                Long a = now.byName().get(f.getKey());
                if (a == null) {
                    continue;
                }
                long b = f.getValue();
                long expected;
                switch (f.getKey()) {
                    case "transactions": {
                        // C counts a guest's open transactions, not dom0's (probe: 0 with one open): where
                        // the figure is not the model's count it can only be expected to stay, if the count did.
                        long was = transactions(modelBefore, d);
                        long open = transactions(modelAfter, d);
                        if (b == was) {
                            expected = open;
                        } else if (was == open) {
                            expected = b;
                        } else {
                            continue;
                        }
                        break;
                    }
                    case "watches":
                        expected = b + watches(modelAfter, d) - watches(modelBefore, d);
                        break;
                    default:
                        if (FOLLOW_TREE.contains(f.getKey()) && !(treeKept
                                && transactions(modelAfter, d) == transactions(modelBefore, d))) {
                            continue;
                        }
                        expected = d == 0 && f.getKey().equals("entries") ? b - dom0Carried : b;
                }
                boolean grew = d == 0 && f.getKey().equals("memory") && dom0Growth != 0 && a == expected + dom0Growth;
                if (a != expected && !grew) {
                    return Optional.of(new Difference(d, f.getKey(), b, a, expected));
                }
            }
        }
        return Optional.empty();
    }

    private static long transactions(ModelState s, int domid) {
        return s.connections().values().stream().filter(c -> c.domid() == domid)
                .mapToLong(c -> c.transactions().size()).sum();
    }

    private static long watches(ModelState s, int domid) {
        return s.connections().values().stream().filter(c -> c.domid() == domid)
                .mapToLong((Connection c) -> c.watches().size()).sum();
    }
}
