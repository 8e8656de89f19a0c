package io.xscheck.conformance.engine;

/**
 * Whether a crash can be set off by unprivileged guests alone, the question that makes a crash a
 * security finding: xenstored is the boundary every guest talks to.
 *
 * @param label {@link #GUEST}, {@link #DOM0}, or {@link #NONE} with why
 * @param guestReproducer the guest-only minimal trace when {@code label} is {@link #GUEST}, else empty
 */
public record Triage(String label, String guestReproducer) {
    public static final String GUEST = "guest-triggerable";
    public static final String DOM0 = "needs dom0";
    public static final String NONE = "not triaged";

    public static Triage none(String why) {
        return new Triage(NONE + " (" + why + ")", "");
    }

    public boolean guestTriggerable() {
        return label.equals(GUEST);
    }
}
