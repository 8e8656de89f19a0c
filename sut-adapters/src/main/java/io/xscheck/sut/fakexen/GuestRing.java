package io.xscheck.sut.fakexen;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Supplier;

/**
 * A guest's end of its xenstore page, {@code struct xenstore_domain_interface} (xen/include/public/
 * io/xs_wire.h) in a shared file, as a byte-channel pair: the guest produces into {@code req} and
 * consumes from {@code rsp}. Indexes are free-running u32 counters; data is copied before the
 * producer index is published (release) and read after the index is observed (acquire), as the
 * daemons do with their barriers. Every publication is followed by a kick; a waiting side sleeps on
 * the domain's {@link Doorbell} in short slices, re-checking the indexes and the daemon. (It does
 * not spin: on two shared cores a spinning reader takes the CPU the daemon needs; measured with
 * ThroughputTest, blocking was faster than 2,000 or 20,000 spins.)
 */
final class GuestRing implements AutoCloseable {

    static final int PAGE_SIZE = 4096;
    private static final int RING_SIZE = 1024;
    private static final int REQ = 0;
    private static final int RSP = 1024;
    private static final int REQ_CONS = 2048;
    private static final int REQ_PROD = 2052;
    private static final int RSP_CONS = 2056;
    private static final int RSP_PROD = 2060;
    private static final VarHandle U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private static final long SLEEP_SLICE_MILLIS = 20;
    /** How long a consumer and producer index may disagree before the ring counts as corrupt (see indexes()). */
    private static final long INCONSISTENT_FOR_MILLIS = 200;

    /** The daemon stopped consuming requests while it still runs: it hangs (or is stopped). */
    static final class StalledException extends IOException {
        StalledException(String message) {
            super(message);
        }
    }

    /** Why the daemon can no longer serve this ring, or null while it can. */
    interface PeerCheck extends Supplier<String> {
    }

    private final int domid;
    private final MappedByteBuffer page;
    private final EventChannels events;
    private final Doorbell doorbell;
    private final PeerCheck peer;
    private final Duration stallTimeout;
    private final Object writeLock = new Object();
    private volatile boolean closed;

    private GuestRing(int domid, MappedByteBuffer page, EventChannels events, PeerCheck peer, Duration stallTimeout) {
        this.domid = domid;
        this.page = page;
        this.events = events;
        this.doorbell = events.doorbell(domid);
        this.peer = peer;
        this.stallTimeout = stallTimeout;
    }

    /** Maps the ring file, which must exist and be one page long. */
    static GuestRing map(Path ringFile, int domid, EventChannels events, PeerCheck peer, Duration stallTimeout)
            throws IOException {
        try (FileChannel f = FileChannel.open(ringFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (f.size() != PAGE_SIZE) {
                throw new IOException(ringFile + " is " + f.size() + " bytes, not one page");
            }
            return new GuestRing(domid, f.map(FileChannel.MapMode.READ_WRITE, 0, PAGE_SIZE), events, peer, stallTimeout);
        }
    }

    /** Replies and watch events from the daemon; blocks until at least one byte is there. */
    ReadableByteChannel in() {
        return new ReadableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return GuestRing.this.read(dst);
            }

            @Override
            public boolean isOpen() {
                return !closed;
            }

            @Override
            public void close() {
                GuestRing.this.close();
            }
        };
    }

    /** Requests to the daemon; blocks until all of {@code src} is in the ring. */
    WritableByteChannel out() {
        return new WritableByteChannel() {
            @Override
            public int write(ByteBuffer src) throws IOException {
                return GuestRing.this.write(src);
            }

            @Override
            public boolean isOpen() {
                return !closed;
            }

            @Override
            public void close() {
                GuestRing.this.close();
            }
        };
    }

    int domid() {
        return domid;
    }

    private int read(ByteBuffer dst) throws IOException {
        if (!dst.hasRemaining()) {
            return 0;
        }
        while (true) {
            if (closed) {
                return -1;
            }
            long seen = doorbell.count();
            long indexes = indexes(RSP_CONS, RSP_PROD, "rsp");
            int cons = (int) (indexes >>> 32);
            int available = (int) indexes - cons;
            if (available > 0) {
                int n = Math.min(available, dst.remaining());
                copyOut(RSP, cons, dst, n);
                // not over a reset the daemon made meanwhile (see indexes()): its zero stands
                U32.compareAndSet(page, RSP_CONS, cons, cons + n);
                if (available > RING_SIZE / 2) {
                    // The daemon may be waiting for room to write the rest of its output.
                    events.kick(domid);
                }
                return n;
            }
            awaitDaemon(seen);
        }
    }

    private int write(ByteBuffer src) throws IOException {
        synchronized (writeLock) {
            int written = 0;
            long stalledSince = 0;
            while (src.hasRemaining()) {
                if (closed) {
                    throw new ClosedChannelException();
                }
                long seen = doorbell.count();
                long indexes = indexes(REQ_CONS, REQ_PROD, "req");
                int cons = (int) (indexes >>> 32);
                int prod = (int) indexes;
                int free = RING_SIZE - (prod - cons);
                if (free > 0) {
                    int n = Math.min(free, src.remaining());
                    int mark = src.position();
                    copyIn(REQ, prod, src, n);
                    if (!U32.compareAndSet(page, REQ_PROD, prod, prod + n)) {
                        // the daemon reset the ring meanwhile: copy these bytes again where it now reads
                        src.position(mark);
                        continue;
                    }
                    written += n;
                    stalledSince = 0;
                    continue;
                }
                // Full: make sure the daemon knows there is work, then wait for it to consume.
                events.kick(domid);
                if (stalledSince == 0) {
                    stalledSince = System.nanoTime();
                } else if (System.nanoTime() - stalledSince > stallTimeout.toNanos()) {
                    throw new StalledException("dom" + domid + "'s request ring stayed full for "
                            + stallTimeout.toMillis() + " ms: the daemon does not consume it");
                }
                awaitDaemon(seen);
            }
            events.kick(domid);
            return written;
        }
    }

    /**
     * The consumer index (high half) and producer index (low half) of one direction, once they make sense together.
     * C xenstored's INTRODUCE of a domain it has already introduced zeroes all four indexes, one store after another
     * (xenstored_domain.c domain_conn_reset: {@code rsp_cons = rsp_prod = 0}): read between two of those stores they
     * are a negative fill for a moment (gate seed 75146: -399 bytes). Only a pair that stays wrong for
     * {@link #INCONSISTENT_FOR_MILLIS} is corrupt.
     */
    private long indexes(int consAt, int prodAt, String which) throws IOException {
        long deadline = 0;
        while (true) {
            int cons = (int) U32.getAcquire(page, consAt);
            int prod = (int) U32.getAcquire(page, prodAt);
            int fill = prod - cons;
            if (fill >= 0 && fill <= RING_SIZE) {
                return ((long) cons << 32) | (prod & 0xFFFFFFFFL);
            }
            long now = System.nanoTime();
            if (deadline == 0) {
                deadline = now + INCONSISTENT_FOR_MILLIS * 1_000_000L;
            } else if (now - deadline > 0) {
                throw new IOException("corrupt " + which + " indexes: " + fill + " bytes in a ring of " + RING_SIZE
                        + " for " + INCONSISTENT_FOR_MILLIS + " ms");
            }
            if (closed) {
                throw new ClosedChannelException();
            }
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                close();
                throw new ClosedByInterruptException();
            }
        }
    }

    /** Waits one slice for a notification newer than {@code seen}; throws when the daemon is gone. */
    private void awaitDaemon(long seen) throws IOException {
        try {
            doorbell.awaitChange(seen, SLEEP_SLICE_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new ClosedByInterruptException();
        }
        String gone = peer.get();
        if (gone != null) {
            throw new IOException("dom" + domid + "'s ring: " + gone);
        }
    }

    private void copyOut(int base, int index, ByteBuffer dst, int n) {
        int off = index & (RING_SIZE - 1);
        int first = Math.min(n, RING_SIZE - off);
        dst.put(dst.position(), page, base + off, first);
        dst.put(dst.position() + first, page, base, n - first);
        dst.position(dst.position() + n);
    }

    private void copyIn(int base, int index, ByteBuffer src, int n) {
        int off = index & (RING_SIZE - 1);
        int first = Math.min(n, RING_SIZE - off);
        page.put(base + off, src, src.position(), first);
        page.put(base, src, src.position() + first, n - first);
        src.position(src.position() + n);
    }

    /** Stops both directions; a blocked reader returns end-of-stream. The page stays as it is. */
    @Override
    public void close() {
        closed = true;
        doorbell.ring();
    }
}
