package io.xscheck.conformance.suites;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.conformance.DelegatingSut;
import io.xscheck.sut.Capability;
import io.xscheck.sut.Health;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.SutException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;

/**
 * A target that behaves as the one it wraps (the model) until a chosen step, then shows one
 * planted bug: a wrong reply to that step, wrong watch events after it, a node hidden from or
 * added to the tree read after it, quota figures that moved, or a death. Which step: the
 * {@code occurrence}-th request equal to {@code request} ({@link #LIVE_UPDATE} and {@link #MIGRATION}
 * stand for the restarts), or the {@code occurrence}-th domain kill when {@code request} is null.
 */
final class FaultInjectingSut extends DelegatingSut {

    /** The trigger that stands for a live update: no client sends it. */
    static final Request LIVE_UPDATE = new Request.Control(List.of("x-planted-live-update"));
    /** The trigger that stands for a migration: no client sends it. */
    static final Request MIGRATION = new Request.Control(List.of("x-planted-migration"));

    /** The planted bug. */
    sealed interface Fault {
        /** The triggering request's reply, rewritten. */
        record Reply(UnaryOperator<io.xscheck.protocol.Reply> rewrite) implements Fault {
        }

        /** The events of every connection drained after the trigger, rewritten (once per connection). */
        record Events(UnaryOperator<List<WatchEvent>> rewrite) implements Fault {
        }

        /**
         * DIRECTORY "/" after the trigger: {@code extra} adds a node "/fault", else the first child goes
         * missing (or, when "/" has none, "/fault" is added all the same).
         */
        record Tree(boolean extra) implements Fault {
        }

        /**
         * From the trigger on, the daemon's log shows an exception it caught ({@code line}, oxenstored's
         * form, stamped with the time it is read) and every connection's next events are dropped.
         */
        record Caught(String line) implements Fault {
        }

        /** After the trigger, the replies to DIRECTORY "/" in a transaction, rewritten. */
        record TransactionView(UnaryOperator<io.xscheck.protocol.Reply> rewrite) implements Fault {
        }

        /**
         * The daemon reports quota figures, oxenstored's way: dom0 holds {@code before} entries until the
         * trigger and {@code after} from then on; other domains have none set.
         */
        record Quota(long before, long after) implements Fault {
        }

        /** From the trigger on, the daemon is dead by signal {@code signal}. */
        record Death(int signal) implements Fault {
        }
    }

    private final Request trigger;
    private final int occurrence;
    private final Fault fault;
    private int seen;
    private int kills;
    private volatile boolean armed;
    private final Set<SutConnection> eventsRewritten = java.util.concurrent.ConcurrentHashMap.newKeySet();

    FaultInjectingSut(Sut inner, Request trigger, int occurrence, Fault fault) {
        super(inner);
        this.trigger = trigger;
        this.occurrence = occurrence;
        this.fault = fault;
    }

    boolean fired() {
        return armed;
    }

    private synchronized boolean arrives(Request r) {
        if (armed || trigger == null || !same(trigger, r)) {
            return false;
        }
        seen++;
        if (seen == occurrence) {
            armed = true;
            return true;
        }
        return false;
    }

    /** An INTRODUCE is the same step whatever mfn and port the harness put in it. */
    static boolean same(Request trigger, Request r) {
        return trigger instanceof Request.Introduce t && r instanceof Request.Introduce i ? t.domid() == i.domid()
                : trigger.equals(r);
    }

    private SutException dead() {
        int signal = ((Fault.Death) fault).signal();
        return new SutException(SutException.Kind.DIED, name(), "the daemon signalled(" + signal + ")", "planted fault");
    }

    private boolean deadNow() {
        return armed && fault instanceof Fault.Death;
    }

    private final class Connection extends io.xscheck.conformance.DelegatingConnection {
        Connection(SutConnection c) {
            super(c);
        }

        SutConnection unwrapped() {
            return inner;
        }

        @Override
        public CompletableFuture<io.xscheck.protocol.Reply> send(int txId, Request request) {
            if (fault instanceof Fault.Quota q && request instanceof Request.Control c && c.args().size() == 2
                    && c.args().get(0).equals("quota")) {
                String domain = c.args().get(1);
                return CompletableFuture.completedFuture(new io.xscheck.protocol.Reply.Text("dom" + domain + " quota: "
                        + (domain.equals("0") ? (armed ? q.after() : q.before()) + "/1000" : "not set")));
            }
            boolean now = arrives(request);
            if (deadNow()) {
                return CompletableFuture.failedFuture(dead());
            }
            CompletableFuture<io.xscheck.protocol.Reply> r = inner.send(txId, request);
            if (now && fault instanceof Fault.Reply f) {
                return r.thenApply(f.rewrite());
            }
            if (armed && fault instanceof Fault.TransactionView v && txId != 0 && request.equals(new Request.Directory("/"))) {
                return r.thenApply(v.rewrite());
            }
            if (armed && fault instanceof Fault.Tree t && request.equals(new Request.Directory("/"))) {
                return r.thenApply(reply -> tree(t, reply));
            }
            if (armed && fault instanceof Fault.Tree && request instanceof Request.NodeRequest n
                    && n.path().equals("/fault")) {
                return CompletableFuture.completedFuture(faultNode(request));
            }
            return r;
        }

        @Override
        public io.xscheck.protocol.Reply call(int txId, Request request, Duration timeout) {
            try {
                return send(txId, request).get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof SutException s) {
                    throw s;
                }
                throw new IllegalStateException(e.getCause());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public List<WatchEvent> drainEvents() {
            List<WatchEvent> evs = inner.drainEvents();
            if (armed && fault instanceof Fault.Events f && eventsRewritten.add(this)) {
                return f.rewrite().apply(new ArrayList<>(evs));
            }
            if (armed && fault instanceof Fault.Caught && eventsRewritten.add(this)) {
                return List.of();
            }
            return evs;
        }
    }

    private static io.xscheck.protocol.Reply tree(Fault.Tree t, io.xscheck.protocol.Reply reply) {
        if (!(reply instanceof io.xscheck.protocol.Reply.Names n)) {
            return reply;
        }
        List<String> names = new ArrayList<>(n.names());
        if (t.extra() || names.isEmpty()) {
            names.add("fault");
        } else {
            names.remove(0);
        }
        return new io.xscheck.protocol.Reply.Names(names);
    }

    private static io.xscheck.protocol.Reply faultNode(Request r) {
        if (r instanceof Request.Read) {
            return new io.xscheck.protocol.Reply.Value(Bytes.EMPTY);
        }
        if (r instanceof Request.GetPerms) {
            return new io.xscheck.protocol.Reply.Perms(List.of(Perm.none(0)));
        }
        return new io.xscheck.protocol.Reply.Names(List.of());
    }

    @Override
    public Set<Capability> capabilities() {
        return inner.capabilities();
    }

    @Override
    public SutConnection openPrivileged() {
        return new Connection(inner.openPrivileged());
    }

    @Override
    public SutConnection openGuest(int domid) {
        return new Connection(inner.openGuest(domid));
    }

    @Override
    public io.xscheck.protocol.Reply liveUpdate(SutConnection via, boolean force) {
        return restart(LIVE_UPDATE, () -> inner.liveUpdate(((Connection) via).unwrapped(), force));
    }

    @Override
    public io.xscheck.protocol.Reply liveUpdate(SutConnection via, boolean force, boolean heldBackExpected) {
        return restart(LIVE_UPDATE, () -> inner.liveUpdate(((Connection) via).unwrapped(), force, heldBackExpected));
    }

    @Override
    public io.xscheck.protocol.Reply migrate(SutConnection via) {
        return restart(MIGRATION, () -> inner.migrate(((Connection) via).unwrapped()));
    }

    private io.xscheck.protocol.Reply restart(Request standIn, java.util.function.Supplier<io.xscheck.protocol.Reply> how) {
        boolean now = arrives(standIn);
        if (deadNow()) {
            throw dead();
        }
        io.xscheck.protocol.Reply r = how.get();
        return now && fault instanceof Fault.Reply f ? f.rewrite().apply(r) : r;
    }

    @Override
    public void killDomain(int domid) {
        synchronized (this) {
            kills++;
            if (trigger == null && kills == occurrence) {
                armed = true;
            }
        }
        if (deadNow()) {
            throw dead();
        }
        inner.killDomain(domid);
    }

    @Override
    public String logTail(int lines) {
        if (armed && fault instanceof Fault.Caught c) {
            String stamp = java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss.SSS")
                    .format(java.time.LocalDateTime.now(java.time.ZoneOffset.UTC));
            return "== xenstored.log ==\n[" + stamp + "Z|error|xenstored] caught exception " + c.line();
        }
        return inner.logTail(lines);
    }

    @Override
    public Health health() {
        return deadNow() ? new Health.Signalled(((Fault.Death) fault).signal()) : inner.health();
    }
}
