package io.xscheck.model;

import com.google.common.collect.ImmutableMultiset;
import io.xscheck.protocol.Reply;

/**
 * One outcome an implementation may choose: its reply, the state after it, and the watch events
 * it emits, as a multiset because neither daemon promises an order between events.
 */
public record Allowed(Reply reply, ModelState next, ImmutableMultiset<Delivery> events) {
    public Allowed {
        if (reply == null || next == null || events == null) {
            throw new IllegalArgumentException("reply, next and events are required");
        }
    }

    public static Allowed of(Reply reply, ModelState next) {
        return new Allowed(reply, next, ImmutableMultiset.of());
    }
}
