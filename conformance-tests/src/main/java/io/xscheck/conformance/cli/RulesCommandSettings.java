package io.xscheck.conformance.cli;

/** The search behind the committed docs/rulebook.md's examples; RuleBookTest repeats it to keep the file current. */
public final class RulesCommandSettings {
    public static final long SEED = 12;
    public static final int CASES = 3000;
    public static final int MAX_LENGTH = 8;

    private RulesCommandSettings() {
    }
}
