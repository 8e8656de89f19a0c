package io.xscheck.sut.fakexen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Writes kicks into {@code kick.fifo} without ever holding its caller for long. When the daemon
 * stops reading (stopped, hung, busy) the pipe fills (16384 records by default) and a write()
 * would wait forever, outside every request timeout.
 *
 * <p>A kick is a doorbell: one record per target that is queued and not yet written is enough, so
 * a kick for a target already queued is dropped. The queued record is still written after the
 * caller's kick, hence after whatever the caller published before kicking, which is all the
 * daemon needs to see it.
 *
 * <p>While the pipe drains, the caller writes its record itself: handing every kick to another
 * thread costs a wake-up on the critical path, which halved one-at-a-time ring throughput on C
 * xenstored (ThroughputTest on two shared cores). If such a write has not returned after
 * {@link #STUCK_NANOS} the pipe is full: the kick thread closes the channel under it (the caller
 * then queues its record and returns), opens a fresh one, and writes every later kick itself,
 * until its queue is empty and its last write went through.
 */
final class KickWriter implements AutoCloseable {

    /** A 4-byte write into a pipe with room returns in microseconds; this long means it is full. */
    static final long STUCK_NANOS = 10_000_000;
    /** How often the idle kick thread looks for a stuck write. */
    private static final long WATCH_NANOS = 10_000_000;
    /** Records per write(): a FIFO write of at most PIPE_BUF (4096) bytes is atomic. */
    private static final int BATCH_RECORDS = 1024;

    /** One kick target (a domid, or the VIRQ record); queued at most once at a time. */
    private static final class Target {
        final int record;
        final AtomicBoolean queued = new AtomicBoolean();

        Target(int record) {
            this.record = record;
        }
    }

    private final Path path;
    private final Map<Integer, Target> targets = new ConcurrentHashMap<>();
    private final Queue<Target> queue = new ConcurrentLinkedQueue<>();
    /** Held by whoever writes into the pipe (a caller or the kick thread); only ever tried, never awaited. */
    private final AtomicBoolean pipeBusy = new AtomicBoolean();
    private final Object channelLock = new Object();
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong coalesced = new AtomicLong();
    private final AtomicLong cutLoose = new AtomicLong();
    private final Thread writer;
    /** Replaced by the kick thread after it cut a stuck caller loose. Guarded by channelLock for swaps. */
    private volatile FileChannel fifo;
    /** When the caller's write in progress began, or 0. */
    private volatile long directSince;
    private volatile boolean direct = true;
    private volatile boolean closed;
    private volatile IOException failure;

    /** Opens {@code path} (a FIFO) read-write, which never blocks, and starts the kick thread. */
    KickWriter(Path path, String label) throws IOException {
        this.path = path;
        this.fifo = open(path);
        this.writer = new Thread(this::writeLoop, "xs-kick " + label);
        writer.setDaemon(true);
        writer.start();
    }

    private static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /**
     * Sends a kick with this 4-byte record unless one is queued already. Returns within about
     * {@link #STUCK_NANOS} plus one watch interval even when nobody reads the FIFO.
     *
     * @throws IOException when the FIFO failed or this writer is closed: the kick cannot arrive
     */
    void kick(int record) throws IOException {
        checkUsable();
        Target t = targets.get(record);
        if (t == null) {
            t = targets.computeIfAbsent(record, Target::new);
        }
        if (t.queued.get() || !t.queued.compareAndSet(false, true)) {
            coalesced.incrementAndGet();
            return;
        }
        if (direct && pipeBusy.compareAndSet(false, true)) {
            boolean sent;
            try {
                // Unqueue before writing: a kick from here on sends a fresh record behind this one.
                t.queued.set(false);
                directSince = System.nanoTime();
                sent = writeRecord(fifo, record);
            } finally {
                directSince = 0;
                pipeBusy.set(false);
            }
            if (sent) {
                written.incrementAndGet();
                return;
            }
            checkUsable();
            if (!t.queued.compareAndSet(false, true)) {
                return; // another kick for it is queued meanwhile
            }
        }
        queue.add(t);
        LockSupport.unpark(writer);
    }

    private void checkUsable() throws IOException {
        IOException failed = failure;
        if (failed != null) {
            throw new IOException("kick.fifo is unusable: " + failed.getMessage(), failed);
        }
        if (closed) {
            throw new IOException("the event channels are closed");
        }
    }

    /** Writes one record on the caller's thread; false when the channel was closed under it. */
    private static boolean writeRecord(FileChannel channel, int record) {
        ByteBuffer buf = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(record).flip();
        try {
            while (buf.hasRemaining()) {
                channel.write(buf);
            }
            return true;
        } catch (IOException e) {
            // Cut loose by the kick thread (AsynchronousCloseException), or closing: the kick
            // thread takes over. (A 4-byte pipe write is all or nothing.)
            return false;
        }
    }

    /** Records written to the FIFO so far. */
    long written() {
        return written.get();
    }

    /** Kicks dropped because the same record was already queued. */
    long coalesced() {
        return coalesced.get();
    }

    /** Callers whose write found the pipe full and were cut loose. */
    long cutLoose() {
        return cutLoose.get();
    }

    boolean writerAlive() {
        return writer.isAlive();
    }

    private void writeLoop() {
        ByteBuffer batch = ByteBuffer.allocateDirect(4 * BATCH_RECORDS).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (!closed) {
                freeStuckCaller();
                if (queue.isEmpty()) {
                    LockSupport.parkNanos(this, WATCH_NANOS);
                    continue;
                }
                if (!pipeBusy.compareAndSet(false, true)) {
                    LockSupport.parkNanos(this, WATCH_NANOS / 10); // a caller is writing
                    continue;
                }
                try {
                    batch.clear();
                    for (Target t = null; batch.hasRemaining() && (t = queue.poll()) != null; ) {
                        t.queued.set(false); // as in kick(): later kicks queue a fresh record
                        batch.putInt(t.record);
                    }
                    batch.flip();
                    int records = batch.remaining() / 4;
                    while (batch.hasRemaining()) {
                        fifo.write(batch);
                    }
                    written.addAndGet(records);
                } finally {
                    pipeBusy.set(false);
                }
                if (queue.isEmpty()) {
                    direct = true; // the pipe took everything: callers may write again
                }
            }
        } catch (IOException e) {
            if (!closed) {
                failure = e;
            }
        }
    }

    /** Ends a caller's write that has waited too long on a full pipe (see the class comment). */
    private void freeStuckCaller() throws IOException {
        long since = directSince;
        if (since == 0 || System.nanoTime() - since < STUCK_NANOS) {
            return;
        }
        direct = false;
        synchronized (channelLock) {
            if (closed) {
                return;
            }
            FileChannel stuck = fifo;
            fifo = open(path);
            // Signals the thread blocked in write(), which returns with AsynchronousCloseException.
            stuck.close();
        }
        cutLoose.incrementAndGet();
    }

    /** Stops the kick thread, even one blocked on a full FIFO, and closes the FIFO; queued kicks are dropped. */
    @Override
    public void close() {
        synchronized (channelLock) {
            closed = true;
            try {
                // Closing the channel signals a thread blocked in write(), which then returns.
                fifo.close();
            } catch (IOException ignored) {
                // nothing left to release
            }
        }
        LockSupport.unpark(writer);
        try {
            writer.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
