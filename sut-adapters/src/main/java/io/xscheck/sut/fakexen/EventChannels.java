package io.xscheck.sut.fakexen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The harness's side of the shim's two event-channel FIFOs. Kicks go to {@code kick.fifo} through
 * a {@link KickWriter}, which never holds its caller for long; one reader thread drains
 * {@code notify.fifo} and rings the {@link Doorbell} of the domain each record names. Both FIFOs
 * are opened read-write: that never blocks in open() and never sees end-of-file, whatever the
 * daemon does.
 */
final class EventChannels implements AutoCloseable {

    static final String KICK_FIFO = "kick.fifo";
    static final String NOTIFY_FIFO = "notify.fifo";
    /** The kick that raises VIRQ_DOM_EXC: the daemon re-reads every domain's state. */
    static final int DOMAIN_EXCEPTION = 0xFFFFFFFF;

    private final KickWriter kicks;
    private final FileChannel notify;
    private final Map<Integer, Doorbell> doorbells = new ConcurrentHashMap<>();
    private final Thread reader;

    EventChannels(Path dir, String label) {
        try {
            notify = FileChannel.open(dir.resolve(NOTIFY_FIFO), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + NOTIFY_FIFO + " in " + dir, e);
        }
        try {
            kicks = new KickWriter(dir.resolve(KICK_FIFO), label);
        } catch (IOException e) {
            closeQuietly(notify);
            throw new UncheckedIOException("cannot open " + KICK_FIFO + " in " + dir, e);
        }
        reader = new Thread(this::readNotifications, "xs-notify " + label);
        reader.setDaemon(true);
        reader.start();
    }

    Doorbell doorbell(int domid) {
        return doorbells.computeIfAbsent(domid, d -> new Doorbell());
    }

    /**
     * Tells the daemon that {@code domid} published requests or freed reply space. Never blocks
     * for long, even when the daemon stops reading (see {@link KickWriter}).
     */
    void kick(int domid) throws IOException {
        kicks.kick(domid);
    }

    /** Raises VIRQ_DOM_EXC (after the state files written before this call); never blocks for long. */
    void raiseDomainException() throws IOException {
        kicks.kick(DOMAIN_EXCEPTION);
    }

    /** Kick records written to the daemon so far. */
    long kicksWritten() {
        return kicks.written();
    }

    /** Kicks dropped because one for the same domain was still queued. */
    long kicksCoalesced() {
        return kicks.coalesced();
    }

    /** Kicks that found kick.fifo full and were handed to the kick thread. */
    long kicksCutLoose() {
        return kicks.cutLoose();
    }

    boolean threadsAlive() {
        return kicks.writerAlive() || reader.isAlive();
    }

    private void readNotifications() {
        ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (true) {
                if (notify.read(buf) < 0) {
                    return;
                }
                buf.flip();
                while (buf.remaining() >= 4) {
                    Doorbell bell = doorbells.get(buf.getInt());
                    if (bell != null) {
                        bell.ring();
                    }
                }
                buf.compact();
            }
        } catch (IOException e) {
            // closed under us by close(): the daemon is being stopped; waiters poll the indexes anyway
        } finally {
            doorbells.values().forEach(Doorbell::ring);
        }
    }

    /** Ends both threads, even when a FIFO is full or empty for good; idempotent. */
    @Override
    public void close() {
        kicks.close();
        // Closing the channel signals the reader out of its blocked read(). (A stop record
        // written into notify.fifo could itself block on a full FIFO.)
        closeQuietly(notify);
        try {
            reader.join(2000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
