package io.xscheck.sut;

import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.function.Supplier;

/**
 * A resettable target's connections, lent to one test case at a time and kept for the next: a
 * connect (and for a guest an introduction, a ring and a reader thread) saved per connection and
 * case. A lent connection's close hands it back; {@link #clear} then brings every idle one back
 * to a fresh connection's state with RESET_WATCHES (C xenstored_domain.c do_reset_watches and
 * oxenstored alike drop the connection's watches and transactions; probes
 * cxenstored-4.17.7-dom0-more.txt and oxenstored-4.17.7-dom0-more.txt), all sent at once, and
 * drains the events queued before each reply: after it nothing can fire there. (QEMU keeps a
 * connection's transactions across RESET_WATCHES; its target's reset replaces the whole store.)
 * One that does not answer OK is closed. Thread-safe.
 */
public final class KeptConnections {
    private final Deque<SutConnection> idlePrivileged = new ArrayDeque<>();
    private final Map<Integer, SutConnection> idleGuests = new TreeMap<>();
    private final List<SutConnection> lent = new ArrayList<>();
    /**
     * The last transaction id each kept connection was given: both daemons count per connection and RESET_WATCHES
     * does not start the count again (C do_transaction_start, oxenstored start_transaction), so a case that gets the
     * connection next starts from there. Absent: 1 (a new connection, or a live update since).
     */
    private final Map<SutConnection, Long> lastTransactionId = new java.util.IdentityHashMap<>();
    private boolean closed;

    /** An idle privileged connection, or a new one from {@code open}, lent until its close. */
    public synchronized SutConnection lendPrivileged(Supplier<SutConnection> open) {
        SutConnection c = idlePrivileged.poll();
        return lend(c != null ? c : open.get(), -1);
    }

    /** The idle connection of guest {@code domid}, or a new one from {@code open}, lent until its close. */
    public synchronized SutConnection lendGuest(int domid, IntFunction<SutConnection> open) {
        SutConnection c = idleGuests.remove(domid);
        return lend(c != null ? c : open.apply(domid), domid);
    }

    /** Whether a guest connection of {@code domid} is kept idle. */
    public synchronized boolean hasIdleGuest(int domid) {
        return idleGuests.containsKey(domid);
    }

    /** The guest domids with an idle connection. */
    public synchronized Set<Integer> idleGuests() {
        return Set.copyOf(idleGuests.keySet());
    }

    /** Closes and forgets the idle connection of guest {@code domid}, if any. */
    public synchronized void dropGuest(int domid) {
        SutConnection c = idleGuests.remove(domid);
        if (c != null) {
            lastTransactionId.remove(c);
            c.close();
        }
    }

    /**
     * Clears every idle connection (see the class comment); guests not in {@code keep} are closed
     * instead. Returns the guest domids whose connections were cleared and stay.
     */
    public Set<Integer> clear(Set<Integer> keep, Duration bound) {
        return startClearing(keep).finish(bound);
    }

    /**
     * The first half of {@link #clear}: the RESET_WATCHES go out and nothing waits, so that the
     * caller's own requests (a tree's restore) share the round trip; {@link Clearing#finish} waits.
     */
    public Clearing startClearing(Set<Integer> keep) {
        Map<SutConnection, CompletableFuture<Reply>> pending = new LinkedHashMap<>();
        Map<SutConnection, Integer> guestOf = new LinkedHashMap<>();
        synchronized (this) {
            for (Map.Entry<Integer, SutConnection> e : List.copyOf(idleGuests.entrySet())) {
                if (!keep.contains(e.getKey())) {
                    SutConnection gone = idleGuests.remove(e.getKey());
                    lastTransactionId.remove(gone);
                    gone.close();
                } else {
                    guestOf.put(e.getValue(), e.getKey());
                }
            }
            for (SutConnection c : idlePrivileged) {
                pending.put(c, c.send(0, new Request.ResetWatches()));
            }
            for (SutConnection c : guestOf.keySet()) {
                pending.put(c, c.send(0, new Request.ResetWatches()));
            }
        }
        return new Clearing(pending, guestOf);
    }

    /** RESET_WATCHES sent on the idle connections, their replies to come. */
    public final class Clearing {
        private final Map<SutConnection, CompletableFuture<Reply>> pending;
        private final Map<SutConnection, Integer> guestOf;

        private Clearing(Map<SutConnection, CompletableFuture<Reply>> pending, Map<SutConnection, Integer> guestOf) {
            this.pending = pending;
            this.guestOf = guestOf;
        }

        /** Waits at most {@code bound} for the replies; returns the guest domids whose connections stay. */
        public Set<Integer> finish(Duration bound) {
            return finishClearing(pending, guestOf, bound);
        }
    }

    private Set<Integer> finishClearing(Map<SutConnection, CompletableFuture<Reply>> pending,
                                        Map<SutConnection, Integer> guestOf, Duration bound) {
        Set<Integer> kept = new java.util.TreeSet<>();
        long deadline = System.nanoTime() + bound.toNanos();
        for (Map.Entry<SutConnection, CompletableFuture<Reply>> e : pending.entrySet()) {
            SutConnection c = e.getKey();
            boolean ok;
            try {
                ok = e.getValue().get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS) instanceof Reply.Ok;
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                ok = false;
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException x) {
                ok = false;
            }
            c.drainEvents(); // queued before the reply: a previous case's
            Integer guest = guestOf.get(c);
            synchronized (this) {
                if (!ok) {
                    lastTransactionId.remove(c);
                    c.close();
                    if (guest == null) {
                        idlePrivileged.remove(c);
                    } else {
                        idleGuests.remove(guest);
                    }
                } else if (guest != null) {
                    kept.add(guest);
                }
            }
        }
        return kept;
    }

    /** A live update went ahead: every connection's transactions are numbered from 1 again (RestartKnobs). */
    public synchronized void transactionIdsRestarted() {
        lastTransactionId.clear();
    }

    private synchronized void noteTransactionStart(SutConnection real, Reply reply) {
        if (reply instanceof Reply.TransactionId id) {
            lastTransactionId.put(real, id.id());
        }
    }

    private synchronized long nextTransactionId(SutConnection real) {
        Long last = lastTransactionId.get(real);
        return last == null ? 1 : last + 1;
    }

    /** Closes every connection, idle or lent; later lent ones close for good when handed back. */
    public synchronized void closeAll() {
        closed = true;
        idlePrivileged.forEach(SutConnection::close);
        idlePrivileged.clear();
        idleGuests.values().forEach(SutConnection::close);
        idleGuests.clear();
        List.copyOf(lent).forEach(SutConnection::close);
        lent.clear();
        lastTransactionId.clear();
    }

    private SutConnection lend(SutConnection real, int guest) {
        lent.add(real);
        return new Lent(real, guest);
    }

    private synchronized void handBack(SutConnection real, int guest, boolean tainted) {
        if (!lent.remove(real)) {
            return;
        }
        if (closed || tainted) {
            lastTransactionId.remove(real);
            real.close();
        } else if (guest < 0) {
            idlePrivileged.add(real);
        } else {
            SutConnection old = idleGuests.put(guest, real);
            if (old != null && old != real) {
                lastTransactionId.remove(old);
                old.close();
            }
        }
    }

    /** What a case holds: the kept connection, whose close hands it back instead of closing it. */
    private final class Lent implements SutConnection {
        private final SutConnection real;
        private final int guest;
        private boolean returned;
        /** Raw bytes went out: what the daemon made of them no reset can tell. */
        private volatile boolean tainted;

        Lent(SutConnection real, int guest) {
            this.real = real;
            this.guest = guest;
        }

        @Override
        public int domid() {
            return real.domid();
        }

        @Override
        public CompletableFuture<Reply> send(int txId, Request request) {
            CompletableFuture<Reply> reply = real.send(txId, request);
            if (request instanceof Request.TransactionStart) {
                // recorded as the reply comes, long before a later case asks for the next id
                reply.thenAccept(r -> noteTransactionStart(real, r));
            }
            return reply;
        }

        @Override
        public Reply call(int txId, Request request, Duration timeout) {
            Reply reply = real.call(txId, request, timeout);
            if (request instanceof Request.TransactionStart) {
                noteTransactionStart(real, reply);
            }
            return reply;
        }

        @Override
        public long nextTransactionId() {
            return KeptConnections.this.nextTransactionId(real);
        }

        @Override
        public void writeBytes(byte[] bytes) {
            tainted = true;
            real.writeBytes(bytes);
        }

        @Override
        public List<WatchEvent> drainEvents() {
            return real.drainEvents();
        }

        @Override
        public synchronized void close() {
            if (!returned) {
                returned = true;
                handBack(real, guest, tainted);
            }
        }

        @Override
        public String toString() {
            return real.toString();
        }
    }
}
