package io.xscheck.model;

import com.google.common.collect.ImmutableSet;
import io.xscheck.protocol.Reply;
import java.util.Optional;

/**
 * What the model allows for one request: usually one {@link Allowed}, several where an
 * implementation may choose (a commit that may fail with EAGAIN). {@code rule} is the rule that
 * decided, with its statement and evidence, for {@code xscheck explain} and rule coverage.
 */
public record Outcome(ImmutableSet<Allowed> allowed, Rule rule) {
    public Outcome {
        if (allowed == null || allowed.isEmpty()) {
            throw new IllegalArgumentException("an outcome allows at least one result");
        }
        if (rule == null) {
            throw new IllegalArgumentException("an outcome names its rule");
        }
    }

    public static Outcome of(Allowed only, Rule rule) {
        return new Outcome(ImmutableSet.of(only), rule);
    }

    /** The only allowed result, for callers that know the rule is deterministic. */
    public Allowed single() {
        if (allowed.size() != 1) {
            throw new IllegalStateException(rule + " allows " + allowed.size() + " results");
        }
        return allowed.iterator().next();
    }

    /** The allowed result whose reply equals {@code reply}, if any. */
    public Optional<Allowed> matching(Reply reply) {
        return allowed.stream().filter(a -> a.reply().equals(reply)).findFirst();
    }
}
