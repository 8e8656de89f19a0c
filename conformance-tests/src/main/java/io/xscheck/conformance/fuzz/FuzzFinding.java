package io.xscheck.conformance.fuzz;

import io.xscheck.conformance.trace.Trace;

/**
 * One kind of robustness violation found on a target.
 *
 * @param violation the first occurrence, as seen
 * @param reproducer the shrunk trace (it broke the property the same way on a fresh target), or the
 *     steps up to the violation when no fresh target could be had
 * @param caseNumber the generated case it was first seen in (with the run's seed, it regenerates it)
 * @param originalSteps the case's steps up to the violation
 * @param occurrences how many cases showed it
 * @param guestOnly every attacking connection of the reproducer is an unprivileged guest
 */
public record FuzzFinding(Violation violation, Trace reproducer, long caseNumber, int originalSteps, int occurrences,
                          boolean guestOnly) {

    public FuzzFinding seenAgain() {
        return new FuzzFinding(violation, reproducer, caseNumber, originalSteps, occurrences + 1, guestOnly);
    }

    /** {@code guest-triggerable} or {@code needs dom0}: who the reproducer shows can cause it. */
    public String reach() {
        return guestOnly ? "guest-triggerable" : "needs dom0";
    }
}
