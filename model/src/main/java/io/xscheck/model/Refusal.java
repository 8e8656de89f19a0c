package io.xscheck.model;

import io.xscheck.protocol.XsError;

/** A rule refused a request: the error to reply and the rule. Control flow inside the model only. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final XsError error;
    final Rule rule;

    Refusal(XsError error, Rule rule) {
        super(rule + ": " + error, null, false, false);
        this.error = error;
        this.rule = rule;
    }
}
