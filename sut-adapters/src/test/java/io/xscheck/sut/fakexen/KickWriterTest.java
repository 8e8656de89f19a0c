package io.xscheck.sut.fakexen;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kicks into a FIFO that nobody reads, as when the daemon is stopped: the caller is not held
 * (a pipe holds 16384 records, then write() waits) beyond one cut-loose write, kicks still queued
 * are coalesced, and close() ends a kick thread stuck on the full pipe.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class KickWriterTest {

    /** More distinct records than a default 64 KiB pipe holds. */
    private static final int MORE_THAN_A_PIPE = 40_000;
    private Path dir;
    private Path fifo;

    @BeforeEach
    void makeFifo() throws Exception {
        dir = Files.createTempDirectory("xs-kicktest-");
        fifo = dir.resolve("kick.fifo");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "mkfifo failed");
    }

    @AfterEach
    void deleteFifo() throws IOException {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private KickWriter openWriter() throws IOException {
        return new KickWriter(fifo, "test");
    }

    @Test
    void kicksIntoAPipeNobodyReadsNeverBlockAndCloseEndsTheStuckWriter() throws Exception {
        KickWriter kicks = openWriter();
        long t0 = System.nanoTime();
        for (int domid = 1; domid <= MORE_THAN_A_PIPE; domid++) {
            kicks.kick(domid);
        }
        for (int i = 0; i < 100_000; i++) {
            kicks.kick(EventChannels.DOMAIN_EXCEPTION);
        }
        long kickMillis = (System.nanoTime() - t0) / 1_000_000;
        awaitStuck(kicks);
        assertTrue(kicks.written() < MORE_THAN_A_PIPE, "wrote " + kicks.written() + " records into a full pipe?");
        assertTrue(kicks.writerAlive());
        // Once the pipe was full a caller was cut loose (more than one only if a descheduled
        // write looked stuck); everything after went to the queue or was coalesced.
        assertTrue(kicks.cutLoose() >= 1, "nobody was cut loose from the full pipe?");
        assertTrue(kickMillis < 1000, "140000 kicks held their caller for " + kickMillis + " ms");

        long t1 = System.nanoTime();
        kicks.close();
        long closeMillis = (System.nanoTime() - t1) / 1_000_000;
        assertFalse(kicks.writerAlive(), "the kick thread outlived close()");
        assertTrue(closeMillis < 2000, "close took " + closeMillis + " ms");
        assertThrows(IOException.class, () -> kicks.kick(1), "a kick after close must say it cannot arrive");
        System.out.printf("kicks: %d kicks into an unread FIFO took %d ms (%d records written before it filled, "
                + "%d coalesced, %d caller cut loose); close() took %d ms%n", MORE_THAN_A_PIPE + 100_000, kickMillis,
                kicks.written(), kicks.coalesced(), kicks.cutLoose(), closeMillis);
    }

    @Test
    void aKickStillQueuedAbsorbsLaterKicksForTheSameTarget() throws Exception {
        try (FileChannel reader = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE);
             KickWriter kicks = openWriter()) {
            for (int domid = 1; domid <= MORE_THAN_A_PIPE; domid++) {
                kicks.kick(domid);
            }
            awaitStuck(kicks);
            // 7 went out long ago, so one more record for it is queued; the VIRQ record is new too.
            // Everything after those is absorbed by the queued records.
            for (int i = 0; i < 1000; i++) {
                kicks.kick(7);
                kicks.kick(EventChannels.DOMAIN_EXCEPTION);
                kicks.kick(MORE_THAN_A_PIPE); // still queued behind the full pipe
            }
            // Each record once, plus one more 7 and one VIRQ. (Order across targets may vary: a
            // caller and the kick thread can overtake each other, which no daemon cares about.)
            List<Integer> got = new ArrayList<>(readRecords(reader, MORE_THAN_A_PIPE + 2));
            List<Integer> expected = new ArrayList<>(IntStream.rangeClosed(1, MORE_THAN_A_PIPE).boxed().toList());
            expected.add(7);
            expected.add(EventChannels.DOMAIN_EXCEPTION);
            got.sort(null);
            expected.sort(null);
            assertEquals(expected, got);
            assertEquals(MORE_THAN_A_PIPE + 2, kicks.written());
            assertEquals(999 + 999 + 1000, kicks.coalesced());
            assertTrue(kicks.cutLoose() >= 1, "nobody was cut loose from the full pipe?");

            // Drained: a kick for a target that went out goes out again.
            kicks.kick(7);
            assertEquals(List.of(7), readRecords(reader, 1));
        }
    }

    /** Waits until the writer has stopped making progress (blocked on the full pipe). */
    private static void awaitStuck(KickWriter kicks) {
        long last = -1;
        while (kicks.written() != last || kicks.written() == 0) {
            last = kicks.written();
            Daemons.sleepMillis(100);
        }
    }

    /**
     * Reads exactly {@code n} records, then checks that nothing else was written: a marker record
     * of ours, written after a pause, must be the next one out.
     */
    private static List<Integer> readRecords(FileChannel reader, int n) throws Exception {
        List<Integer> records = read(reader, n);
        Daemons.sleepMillis(100);
        int marker = 0x7FFF_FFF0;
        ByteBuffer m = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(marker).flip();
        while (m.hasRemaining()) {
            reader.write(m);
        }
        assertEquals(List.of(marker), read(reader, 1), "records beyond the expected ones");
        return records;
    }

    private static List<Integer> read(FileChannel reader, int n) throws Exception {
        ByteBuffer buf = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
        CompletableFuture.runAsync(() -> {
            try {
                while (buf.hasRemaining()) {
                    reader.read(buf);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }).get(10, TimeUnit.SECONDS);
        buf.flip();
        List<Integer> records = new ArrayList<>(n);
        while (buf.hasRemaining()) {
            records.add(buf.getInt());
        }
        return records;
    }
}
