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
import org.junit.jupiter.api.Test;

/**
 * Every rule says what it states and cites evidence a reader can open. That every cited daemon
 * source holds its function is checked where the sources are fetched (conformance-tests
 * SourceEvidenceTest).
 */
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
}
