package io.xscheck.sut.model;

import io.xscheck.model.Delivery;
import io.xscheck.model.Dialect;
import io.xscheck.model.RestartKnobs;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsError;
import io.xscheck.sut.Capability;
import io.xscheck.sut.Health;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * The reference model as an in-process target: no socket, no process; a request is a model step,
 * a watch event lands in its connection's queue before the request's reply is returned. For the
 * engine's self-tests (a run of the model against itself must never diverge) and fast checks.
 */
public final class ModelSut implements Sut {

    private final LiveModel live;
    private final Map<String, ModelConnection> open = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ModelSut(Dialect dialect) {
        this.live = new LiveModel(dialect);
    }

    /** A fresh store in the named dialect (see {@link Dialect#names()}). */
    public static ModelSut start(String dialect) {
        try {
            return new ModelSut(Dialect.named(dialect));
        } catch (IllegalArgumentException e) {
            throw new SutException(SutException.Kind.ENVIRONMENT, "model", e.getMessage() + "; dialects: "
                    + Dialect.names(), "", e);
        }
    }

    @Override
    public String name() {
        return "model";
    }

    @Override
    public String version() {
        return "xscheck reference model, dialect " + live.dialect().name();
    }

    @Override
    public String dialect() {
        return live.dialect().name();
    }

    @Override
    public boolean supportsGuests() {
        return true;
    }

    @Override
    public String sandboxRoot() {
        return "/";
    }

    @Override
    public SutConnection openPrivileged() {
        return connect(0);
    }

    @Override
    public SutConnection openGuest(int domid) {
        if (domid <= 0) {
            throw new IllegalArgumentException("guest domid must be positive, got " + domid);
        }
        return connect(domid);
    }

    /**
     * Everything, and the restarts the dialect's daemon has: a live update where the model says it
     * takes one (every dialect but QEMU's answers it, if only to refuse), a migration where it migrates.
     * A restart of the model is the model's {@code Restarts} step: what it keeps is what the model says.
     */
    @Override
    public Set<Capability> capabilities() {
        Set<Capability> out = Capability.all();
        RestartKnobs k = live.dialect().restartKnobs();
        if (k.liveUpdate() != RestartKnobs.LiveUpdate.NONE) {
            out = Capability.plus(out, Capability.LIVE_UPDATE);
        }
        if (k.migrates()) {
            out = Capability.plus(out, Capability.MIGRATE);
        }
        return out;
    }

    @Override
    public Reply liveUpdate(SutConnection via, boolean force) {
        return restart(via, c -> live.liveUpdate(c, force));
    }

    @Override
    public Reply migrate(SutConnection via) {
        return restart(via, live::migrate);
    }

    private Reply restart(SutConnection via, Function<String, LiveModel.Step> how) {
        requireOpen();
        if (!(via instanceof ModelConnection c)) {
            throw new IllegalArgumentException("a restart of the model is asked on one of its own connections, not " + via);
        }
        synchronized (live) {
            LiveModel.Step step = how.apply(c.name());
            deliver(step.events());
            return step.reply();
        }
    }

    private SutConnection connect(int domid) {
        requireOpen();
        synchronized (live) {
            ModelConnection c = new ModelConnection(this, live.connect(domid), domid);
            open.put(c.name(), c);
            return c;
        }
    }

    /** The model's domain death: cleanup and {@code @releaseDomain} events per the dialect. */
    @Override
    public void killDomain(int domid) {
        requireOpen();
        synchronized (live) {
            deliver(live.killDomain(domid));
        }
    }

    Reply step(ModelConnection c, long txId, Request request) {
        requireOpen();
        synchronized (live) {
            LiveModel.Step step;
            try {
                step = live.step(c.name(), txId, request);
            } catch (IllegalArgumentException e) {
                if (request instanceof Request.Control) {
                    // a daemon's own diagnostics (its quota figures): the model target has none, and answers as a
                    // daemon answers a command it does not know
                    return Reply.Error.of(XsError.EINVAL);
                }
                throw e;
            }
            deliver(step.events());
            return step.reply();
        }
    }

    private void deliver(Iterable<Delivery> events) {
        for (Delivery d : events) {
            ModelConnection to = open.get(d.conn());
            if (to != null) {
                to.deliver(d.event());
            }
        }
    }

    void disconnect(ModelConnection c) {
        synchronized (live) {
            open.remove(c.name());
            live.disconnect(c.name());
        }
    }

    /** The current model state, for tests and the engine's tree comparison. */
    public io.xscheck.model.ModelState state() {
        return live.state();
    }

    private void requireOpen() {
        if (closed.get()) {
            throw new SutException(SutException.Kind.ENVIRONMENT, name(), "target is closed", "");
        }
    }

    @Override
    public Health health() {
        return closed.get() ? new Health.Exited(0) : Health.alive();
    }

    @Override
    public boolean resettable() {
        return true;
    }

    /** A new initial state; the model has no hidden state, so this is exact. */
    @Override
    public boolean reset(java.util.Set<Integer> guests) {
        if (closed.get()) {
            return false;
        }
        synchronized (live) {
            for (ModelConnection c : java.util.List.copyOf(open.values())) {
                c.close();
            }
            live.reset();
        }
        return true;
    }

    @Override
    public String logTail(int lines) {
        return "";
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            for (ModelConnection c : open.values()) {
                c.close();
            }
        }
    }
}
