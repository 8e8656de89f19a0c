package io.xscheck.conformance.fuzz;

import com.google.common.collect.ImmutableList;

import java.util.List;
import java.util.Optional;

/**
 * One target's fuzz run.
 *
 * @param target the spec ({@code cxenstored})
 * @param version the target's version
 * @param cases generated cases run
 * @param steps attacker steps run
 * @param findings distinct violations (by signature and reach), in the order found
 * @param unconfirmed violations that a fresh target did not repeat (not reported as findings)
 * @param error why the target could not be used, if it could not
 */
public record FuzzReport(String target, String version, long cases, long steps, List<FuzzFinding> findings,
                         long unconfirmed, Optional<String> error) {
    public FuzzReport {
        findings = ImmutableList.copyOf(findings);
    }
}
