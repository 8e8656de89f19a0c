package io.xscheck.sut.fakexen;

import io.xscheck.sut.RingIndex;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A hostile guest's access to the indexes of its own xenstore page: a second mapping of the ring
 * file (the same page-cache page the daemon and {@link GuestRing} map), so a store here is what the
 * daemon reads next. Offsets as in xs_wire.h: {@code req[1024]}, {@code rsp[1024]}, then
 * {@code req_cons, req_prod, rsp_cons, rsp_prod}.
 */
final class RingPage {

    private static final VarHandle U32 = MethodHandles.byteBufferViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);

    private RingPage() {
    }

    static int offset(RingIndex index) {
        return switch (index) {
            case REQ_CONS -> 2048;
            case REQ_PROD -> 2052;
            case RSP_CONS -> 2056;
            case RSP_PROD -> 2060;
        };
    }

    static long read(Path ringFile, RingIndex index) throws IOException {
        return Integer.toUnsignedLong((int) U32.getAcquire(map(ringFile), offset(index)));
    }

    static void write(Path ringFile, RingIndex index, long value) throws IOException {
        U32.setRelease(map(ringFile), offset(index), (int) value);
    }

    private static MappedByteBuffer map(Path ringFile) throws IOException {
        try (FileChannel f = FileChannel.open(ringFile, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            if (f.size() != GuestRing.PAGE_SIZE) {
                throw new IOException(ringFile + " is " + f.size() + " bytes, not one page");
            }
            return f.map(FileChannel.MapMode.READ_WRITE, 0, GuestRing.PAGE_SIZE);
        }
    }
}
