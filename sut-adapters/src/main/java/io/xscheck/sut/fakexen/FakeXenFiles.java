package io.xscheck.sut.fakexen;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * The state directory's files that describe domains to the shim (see fakexen.h): dom0's port
 * and page, each guest's ring page and its run state.
 */
final class FakeXenFiles {

    static final String SOCKET = "socket";
    static final String DOM0_PORT = "xsd_port";
    /** Where the shim writes what the daemon sends to syslog(3). */
    static final String SYSLOG = "syslog.log";

    private final Path dir;

    FakeXenFiles(Path dir) {
        this.dir = dir;
    }

    Path socket() {
        return dir.resolve(SOCKET);
    }

    Path ring(int domid) {
        return dir.resolve("ring-" + domid);
    }

    /** dom0's event-channel port (no newline: oxenstored parses the whole file as an int) and page. */
    void prepareDom0() throws IOException {
        Files.writeString(dir.resolve(DOM0_PORT), "1", StandardCharsets.US_ASCII);
        freshRing(0);
    }

    /**
     * A zeroed page for {@code domid}. An existing file is zeroed in place, never replaced or
     * truncated: the daemon may still map it (a new inode would split the two sides, a shorter
     * file would give the daemon SIGBUS).
     */
    void freshRing(int domid) throws IOException {
        try (FileChannel f = FileChannel.open(ring(domid), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer zeros = ByteBuffer.allocate(GuestRing.PAGE_SIZE);
            // No fsync: the daemon maps the same page-cache page, which is all the two sides share.
            while (zeros.hasRemaining()) {
                f.write(zeros, zeros.position());
            }
        }
    }

    /**
     * Sets the domain's run state: running, paused, blocked, shutdown [code], crashed, dying or
     * dead. Written to a temp file and renamed, so the daemon never reads half a word.
     */
    void setState(int domid, String state) throws IOException {
        Path tmp = dir.resolve(".dom-" + domid + ".tmp");
        Files.writeString(tmp, state + "\n", StandardCharsets.US_ASCII);
        Files.move(tmp, dir.resolve("dom-" + domid), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The guests the fake hypervisor knows: every domid with a state file or a ring, sorted. */
    java.util.SortedSet<Integer> guestDomids() throws IOException {
        java.util.SortedSet<Integer> out = new java.util.TreeSet<>();
        try (java.util.stream.Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                String num = name.startsWith("dom-") ? name.substring(4) : name.startsWith("ring-") ? name.substring(5) : "";
                if (num.matches("[1-9][0-9]{0,4}")) {
                    out.add(Integer.parseInt(num));
                }
            }
        }
        return out;
    }

    /**
     * The fake hypervisor forgets a guest, as if it had never been created (the shim sees a domain
     * while either file exists). Only for a domain the daemon has released: it no longer maps the ring.
     */
    void forget(int domid) throws IOException {
        Files.deleteIfExists(dir.resolve("dom-" + domid));
        Files.deleteIfExists(ring(domid));
    }

    boolean eventChannelsReady() {
        return Files.exists(dir.resolve(EventChannels.KICK_FIFO)) && Files.exists(dir.resolve(EventChannels.NOTIFY_FIFO));
    }
}
