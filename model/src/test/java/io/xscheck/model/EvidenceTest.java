package io.xscheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** Every rule says what it states and cites evidence a reader can open. */
class EvidenceTest {

    private static final Path PROBES = Path.of("src/test/resources/probes");

    @Test
    void everyRuleHasAnIdARoomAStatementAndEvidence() {
        Set<String> ids = new HashSet<>();
        for (Rule r : Rule.values()) {
            assertTrue(ids.add(r.id()), "duplicate id " + r.id());
            assertTrue(r.id().matches("[A-Z][A-Za-z]+\\.[a-z][A-Za-z0-9]+"), r.id());
            assertTrue(r.statement().endsWith("."), r.id() + ": a statement is one sentence");
            assertFalse(r.evidence().isEmpty(), r.id() + " cites no evidence");
            assertEquals(Optional.of(r), Rule.withId(r.id()));
            for (Evidence e : r.evidence()) {
                assertFalse(e.dialects().isEmpty(), r.id() + ": " + e.cite() + " speaks for no dialect");
                assertTrue(Dialect.names().containsAll(e.dialects()), r.id() + ": " + e.dialects());
            }
        }
    }

    @Test
    void everyRuleCitesEvidenceForEveryDialectItAppliesTo() {
        List<String> missing = new ArrayList<>();
        for (Rule r : Rule.values()) {
            for (String d : Dialect.names()) {
                if (RuleScope.applies(r, Dialect.named(d)) && r.evidenceFor(d).isEmpty()) {
                    missing.add(r.id() + " for " + d);
                }
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyProbeReferenceNamesAFileHoldingItsTitle() throws IOException {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Rule r : Rule.values()) {
            for (Evidence e : r.evidence()) {
                if (e instanceof Evidence.Probe p) {
                    checked++;
                    Path f = PROBES.resolve(p.file());
                    if (!Files.isRegularFile(f)) {
                        broken.add(r.id() + ": no probe file " + f);
                    } else if (!Files.readString(f, StandardCharsets.ISO_8859_1).contains(p.title())) {
                        broken.add(r.id() + ": " + f + " has no \"" + p.title() + "\"");
                    }
                }
            }
        }
        assertTrue(checked > 50, "only " + checked + " probe references");
        assertEquals(List.of(), broken);
    }

    @Test
    void sourceReferencesNameADaemonFileAndFunction() {
        for (Rule r : Rule.values()) {
            for (Evidence e : r.evidence()) {
                if (e instanceof Evidence.Source s) {
                    assertTrue(s.file().endsWith(".c") || s.file().endsWith(".ml"), r.id() + ": " + s.file());
                    assertTrue(s.function().matches("[A-Za-z_][A-Za-z0-9_.]*"), r.id() + ": " + s.function());
                    assertTrue(s.tag().startsWith("RELEASE-") || s.tag().startsWith("v"), r.id() + ": " + s.tag());
                }
            }
        }
    }

    /**
     * Where the build has fetched Xen's source (the fake-Xen shim's tree, ~/.cache/xscheck/xen-tree),
     * every xen file cited exists at its release and holds the function, and every xenstore.txt
     * section starts a line of it. The model's build does not fetch anything, so without a tree
     * this check is skipped and says so.
     */
    @Test
    void xenReferencesResolveInAFetchedTree() throws IOException {
        Optional<Path> t417 = xenTree("tools/xenstore/xenstored_core.c");
        Optional<Path> t420 = xenTree("tools/xenstored/core.c");
        Assumptions.assumeTrue(t417.isPresent(), "no fetched Xen 4.17 tree under ~/.cache/xscheck/xen-tree");
        List<String> spec = Files.readAllLines(t417.get().resolve("docs/misc/xenstore.txt"), StandardCharsets.ISO_8859_1);
        List<String> broken = new ArrayList<>();
        for (Rule r : Rule.values()) {
            for (Evidence e : r.evidence()) {
                if (e instanceof Evidence.Source s && s.project().equals("xen")) {
                    Optional<Path> tree = s.tag().startsWith("RELEASE-4.17") ? t417 : t420;
                    if (tree.isEmpty()) {
                        continue;
                    }
                    Path f = tree.get().resolve(s.file());
                    String name = s.function().substring(s.function().lastIndexOf('.') + 1);
                    if (!Files.isRegularFile(f)) {
                        broken.add(r.id() + ": no " + s.file() + " at " + s.tag());
                    } else if (!Files.readString(f, StandardCharsets.ISO_8859_1).contains(name)) {
                        broken.add(r.id() + ": " + s.file() + " has no " + s.function());
                    }
                } else if (e instanceof Evidence.Spec sp && spec.stream().noneMatch(l -> l.startsWith(sp.section()))) {
                    broken.add(r.id() + ": xenstore.txt has no line starting \"" + sp.section() + "\"");
                }
            }
        }
        assertEquals(List.of(), broken);
    }

    private static Optional<Path> xenTree(String marker) throws IOException {
        Path cache = Path.of(System.getProperty("user.home"), ".cache", "xscheck", "xen-tree");
        if (!Files.isDirectory(cache)) {
            return Optional.empty();
        }
        try (Stream<Path> dirs = Files.list(cache)) {
            return dirs.map(d -> d.resolve("src")).filter(d -> Files.isRegularFile(d.resolve(marker))).findFirst();
        }
    }
}
