package io.xscheck.sut.fakexen;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The guest's end of a ring while the daemon side (played here on a second mapping of the same page) zeroes the
 * indexes as C xenstored does when a domain it has is introduced again: a reader that looks between the two stores
 * goes on reading (gate seed 75146 failed a case with "corrupt rsp indexes: -399 bytes"), while indexes that stay
 * wrong are still reported.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GuestRingResetTest {

    private static final int RSP = 1024;
    private static final int RSP_CONS = 2056;
    private static final int RSP_PROD = 2060;

    private Path dir;
    private EventChannels events;
    private GuestRing ring;
    private MappedByteBuffer daemon;

    @BeforeEach
    void page() throws Exception {
        dir = Files.createTempDirectory("xs-ringtest-");
        for (String fifo : new String[] {EventChannels.KICK_FIFO, EventChannels.NOTIFY_FIFO}) {
            Process p = new ProcessBuilder("mkfifo", dir.resolve(fifo).toString()).inheritIO().start();
            assertTrue(p.waitFor(5, TimeUnit.SECONDS));
            assertEquals(0, p.exitValue(), "mkfifo failed");
        }
        Path file = dir.resolve("ring");
        Files.write(file, new byte[GuestRing.PAGE_SIZE]);
        events = new EventChannels(dir, "ring-test");
        ring = GuestRing.map(file, 1, events, () -> null, Duration.ofSeconds(5));
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            daemon = f.map(FileChannel.MapMode.READ_WRITE, 0, GuestRing.PAGE_SIZE);
        }
        daemon.order(ByteOrder.LITTLE_ENDIAN);
    }

    @AfterEach
    void close() throws IOException {
        ring.close();
        events.close();
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** The daemon's reply: bytes at its producer index, then the index. */
    private void reply(String text) {
        int prod = daemon.getInt(RSP_PROD);
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        for (int i = 0; i < b.length; i++) {
            daemon.put(RSP + ((prod + i) & 1023), b[i]);
        }
        daemon.putInt(RSP_PROD, prod + b.length);
    }

    private CompletableFuture<String> read(int bytes) {
        return CompletableFuture.supplyAsync(() -> {
            ByteBuffer dst = ByteBuffer.allocate(bytes);
            try {
                while (dst.hasRemaining()) {
                    if (ring.in().read(dst) < 0) {
                        throw new IOException("end of stream");
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new String(dst.array(), StandardCharsets.ISO_8859_1);
        });
    }

    @Test
    void aReaderBetweenTheTwoStoresOfCsResetGoesOnReading() throws Exception {
        reply("hello");
        assertEquals("hello", read(5).get(5, TimeUnit.SECONDS));
        CompletableFuture<String> next = read(5);
        // domain_conn_reset: rsp_cons = rsp_prod = 0, the producer first; the reader polls every 20 ms meanwhile
        daemon.putInt(RSP_PROD, 0);
        Thread.sleep(100);
        daemon.putInt(RSP_CONS, 0);
        reply("world");
        assertEquals("world", next.get(5, TimeUnit.SECONDS));
        assertEquals(5, daemon.getInt(RSP_CONS));
    }

    @Test
    void indexesThatStayWrongAreCorrupt() {
        reply("hello");
        daemon.putInt(RSP_CONS, 399);
        daemon.putInt(RSP_PROD, 0);
        ExecutionException e = assertThrows(ExecutionException.class, () -> read(5).get(5, TimeUnit.SECONDS));
        assertInstanceOf(java.io.UncheckedIOException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("corrupt rsp indexes: -399 bytes in a ring of 1024"),
                e.getCause().getMessage());
    }
}
