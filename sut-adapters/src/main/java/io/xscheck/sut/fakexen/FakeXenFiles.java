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
            while (zeros.hasRemaining()) {
                f.write(zeros, zeros.position());
            }
            f.force(false);
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

    boolean eventChannelsReady() {
        return Files.exists(dir.resolve(EventChannels.KICK_FIFO)) && Files.exists(dir.resolve(EventChannels.NOTIFY_FIFO));
    }
}
