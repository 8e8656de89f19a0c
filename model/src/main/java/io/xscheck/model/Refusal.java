package io.xscheck.model;

import io.xscheck.protocol.XsError;

/** A rule refused a request: the error to reply and the rule's name. Control flow inside the model only. */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final XsError error;
    final String rule;

    Refusal(XsError error, String rule) {
        super(rule + ": " + error, null, false, false);
        this.error = error;
        this.rule = rule;
    }
}
