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
 * added to the tree read after it, or a death. Which step: the {@code occurrence}-th request equal
 * to {@code request}, or the {@code occurrence}-th domain kill when {@code request} is null.
 */
final class FaultInjectingSut extends DelegatingSut {

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
        if (armed || trigger == null || !trigger.equals(r)) {
            return false;
        }
        seen++;
        if (seen == occurrence) {
            armed = true;
            return true;
        }
        return false;
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

        @Override
        public CompletableFuture<io.xscheck.protocol.Reply> send(int txId, Request request) {
            boolean now = arrives(request);
            if (deadNow()) {
                return CompletableFuture.failedFuture(dead());
            }
            CompletableFuture<io.xscheck.protocol.Reply> r = inner.send(txId, request);
            if (now && fault instanceof Fault.Reply f) {
                return r.thenApply(f.rewrite());
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
