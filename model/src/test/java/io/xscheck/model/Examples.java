package io.xscheck.model;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;

/** Short names for replies in the example tests. */
final class Examples {
    private Examples() {
    }

    static Reply ok() {
        return new Reply.Ok();
    }

    static Reply err(String name) {
        return new Reply.Error(name);
    }

    static Reply value(String v) {
        return new Reply.Value(Bytes.latin1(v));
    }
}
