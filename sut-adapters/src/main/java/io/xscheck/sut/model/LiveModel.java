package io.xscheck.sut.model;

import com.google.common.collect.ImmutableMultiset;
import io.xscheck.model.Allowed;
import io.xscheck.model.Delivery;
import io.xscheck.model.Dialect;
import io.xscheck.model.Model;
import io.xscheck.model.ModelState;
import io.xscheck.model.Outcome;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;

/**
 * The pure model driven as a store: it holds the current {@link ModelState} and applies one
 * request at a time. Where the model allows several outcomes (a commit that may fail with EAGAIN),
 * the store takes the first that is not an error, else the first: a store that never fails by
 * choice is the friendliest one to run real clients against.
 *
 * <p>Thread-safe: every method holds this object's lock, and a caller that must order its own
 * actions with the steps (the server queueing replies and events) synchronizes on it too.
 */
public final class LiveModel {

    /** What one step produced. */
    public record Step(Reply reply, ImmutableMultiset<Delivery> events, String rule) {
    }

    private final Model model;
    private ModelState state;
    private int nextConnection = 1;

    public LiveModel(Dialect dialect) {
        this.model = new Model(dialect);
        this.state = model.initial();
    }

    public Dialect dialect() {
        return model.dialect();
    }

    /** A new connection speaking as {@code domid} (0 = privileged); returns its name. */
    public synchronized String connect(int domid) {
        String name = "c" + nextConnection++;
        state = model.connect(state, name, domid);
        return name;
    }

    /** The connection is gone: its watches and open transactions go with it. */
    public synchronized void disconnect(String conn) {
        if (state.connection(conn).isPresent()) {
            state = model.disconnect(state, conn);
        }
    }

    public synchronized Step step(String conn, long txId, Request request) {
        return take(model.step(state, conn, txId, request));
    }

    /** A live update asked on {@code conn}, as the model says the dialect's daemon answers and keeps state. */
    public synchronized Step liveUpdate(String conn, boolean force) {
        return take(model.liveUpdate(state, conn, force));
    }

    /** A migration of the store asked on {@code conn} (QEMU's serialize, create, deserialize). */
    public synchronized Step migrate(String conn) {
        return take(model.migrate(state, conn));
    }

    private Step take(Outcome outcome) {
        Allowed chosen = choose(outcome);
        state = chosen.next();
        return new Step(chosen.reply(), chosen.events(), outcome.rule().id());
    }

    public synchronized ImmutableMultiset<Delivery> killDomain(int domid) {
        Allowed chosen = choose(model.killDomain(state, domid));
        state = chosen.next();
        return chosen.events();
    }

    /** Back to the initial state, as a new store; connections made before are gone. */
    public synchronized void reset() {
        state = model.initial();
    }

    public synchronized ModelState state() {
        return state;
    }

    private static Allowed choose(Outcome outcome) {
        return outcome.allowed().stream()
                .filter(a -> !(a.reply() instanceof Reply.Error))
                .findFirst()
                .orElse(outcome.allowed().iterator().next());
    }
}
