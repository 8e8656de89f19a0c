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
 * The harness's side of the shim's two event-channel FIFOs. {@code kick.fifo} carries our kicks
 * to the daemon; one reader thread drains {@code notify.fifo} and rings the {@link Doorbell} of
 * the domain each record names. Both FIFOs are opened read-write: that never blocks in open()
 * and never sees end-of-file, whatever the daemon does.
 */
final class EventChannels implements AutoCloseable {

    static final String KICK_FIFO = "kick.fifo";
    static final String NOTIFY_FIFO = "notify.fifo";
    /** The kick that raises VIRQ_DOM_EXC: the daemon re-reads every domain's state. */
    static final int DOMAIN_EXCEPTION = 0xFFFFFFFF;
    /** Written by us into notify.fifo to stop our own reader; no domid is this large. */
    private static final int STOP = 0xFFFFFFFE;

    private final Path dir;
    private final FileChannel kick;
    private final FileChannel notify;
    private final Map<Integer, Doorbell> doorbells = new ConcurrentHashMap<>();
    private final Thread reader;
    private volatile boolean stopping;

    EventChannels(Path dir, String label) {
        this.dir = dir;
        try {
            kick = FileChannel.open(dir.resolve(KICK_FIFO), StandardOpenOption.READ, StandardOpenOption.WRITE);
            notify = FileChannel.open(dir.resolve(NOTIFY_FIFO), StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the event-channel FIFOs in " + dir, e);
        }
        reader = new Thread(this::readNotifications, "xs-notify " + label);
        reader.setDaemon(true);
        reader.start();
    }

    Doorbell doorbell(int domid) {
        return doorbells.computeIfAbsent(domid, d -> new Doorbell());
    }

    /** Tells the daemon that {@code domid} published requests or freed reply space. */
    void kick(int domid) throws IOException {
        writeRecord(kick, domid);
    }

    void raiseDomainException() throws IOException {
        writeRecord(kick, DOMAIN_EXCEPTION);
    }

    /** One 4-byte write per record: FIFO writes up to PIPE_BUF bytes are atomic. */
    private static void writeRecord(FileChannel fifo, int value) throws IOException {
        ByteBuffer record = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(value).flip();
        while (record.hasRemaining()) {
            fifo.write(record);
        }
    }

    private void readNotifications() {
        ByteBuffer buf = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
        try {
            while (!stopping) {
                if (notify.read(buf) < 0) {
                    return;
                }
                buf.flip();
                while (buf.remaining() >= 4) {
                    int domid = buf.getInt();
                    if (domid == STOP) {
                        return;
                    }
                    Doorbell bell = doorbells.get(domid);
                    if (bell != null) {
                        bell.ring();
                    }
                }
                buf.compact();
            }
        } catch (IOException e) {
            // closed under us: the daemon is being stopped; waiters poll the indexes anyway
        } finally {
            doorbells.values().forEach(Doorbell::ring);
        }
    }

    @Override
    public void close() {
        stopping = true;
        // A separate channel: reads and writes of one FileChannel share a lock, and our reader
        // holds it while it blocks in read().
        try (FileChannel stop = FileChannel.open(dir.resolve(NOTIFY_FIFO), StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            writeRecord(stop, STOP);
            reader.join(2000);
        } catch (IOException e) {
            reader.interrupt();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeQuietly(kick);
        closeQuietly(notify);
    }

    private static void closeQuietly(FileChannel c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
