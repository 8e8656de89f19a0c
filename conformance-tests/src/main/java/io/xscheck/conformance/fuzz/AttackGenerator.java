package io.xscheck.conformance.fuzz;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.FrameCodec;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Request;
import io.xscheck.sut.RingIndex;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded hostile test cases: one attacker connection (dom0's socket, or a guest that talks over its
 * ring where the target has rings) sends malformed traffic while bystanders (dom0, and a guest where
 * the target has guests) take no steps and are checked after each of the attacker's. The same seed
 * and case number give the same case.
 *
 * <p>A dom0 attacker sends only what a privileged client cannot use to legitimately hurt others:
 * no well-formed RM, SET_PERMS, INTRODUCE, RELEASE or CONTROL (dom0 may remove the tree or release
 * a guest; that is not a robustness failure). A guest attacker may send anything: whatever it can
 * do is what every guest can do.
 */
public final class AttackGenerator {

    /** The names traces use. */
    public static final String DOM0_BYSTANDER = "D";
    public static final String GUEST_BYSTANDER = "H";
    public static final String DOM0_ATTACKER = "X";
    public static final String GUEST_ATTACKER = "G";
    static final int ATTACKER_DOMID = 1;
    static final int BYSTANDER_DOMID = 2;

    /** Known types a dom0 attacker may send malformed: none of them changes others' state when read leniently. */
    private static final int[] DOM0_TYPES = {Op.READ.wire(), Op.DIRECTORY.wire(), Op.GET_PERMS.wire(),
            Op.WATCH.wire(), Op.UNWATCH.wire(), Op.TRANSACTION_START.wire(), Op.TRANSACTION_END.wire(),
            Op.GET_DOMAIN_PATH.wire(), Op.IS_DOMAIN_INTRODUCED.wire(), Op.RESET_WATCHES.wire(),
            Op.DIRECTORY_PART.wire(), Op.WATCH_EVENT.wire(), Op.ERROR.wire()};
    private static final String[] PATHS = {"/", "/local", "/local/domain", "/local/domain/1", "/local/domain/2",
            "/tool", "@introduceDomain", "@releaseDomain", "data", "/a"};
    /** Unknown type numbers: the gap at 20, past the last op, far past it, the largest a trace's raw writes. */
    private static final int[] UNKNOWN_TYPES = {20, 23, 24, 99, 255, 0x10000, 0x7fffffff};
    /** What the cases' flood frames may add up to, so a flood is one bounded write. */
    private static final int FLOOD_BYTES = 64 * 1024;

    private final long seed;
    private final boolean guests;
    private final boolean rings;
    private final int maxActions;

    /**
     * @param guests the target has guests (an attacker guest and a bystander guest are declared)
     * @param rings guests talk over a ring page (ring-index corruption is generated)
     * @param maxActions the most attacker actions per case
     */
    public AttackGenerator(long seed, boolean guests, boolean rings, int maxActions) {
        this.seed = seed;
        this.guests = guests;
        this.rings = rings;
        this.maxActions = maxActions;
    }

    /** Case {@code n}: on targets with guests, even cases attack from dom0, odd ones from a guest. */
    public Trace testCase(long n) {
        Random rnd = new Random(seed * 1_000_003L + n);
        boolean fromGuest = guests && (n % 2 == 1);
        List<TraceLine> lines = new ArrayList<>();
        lines.add(TraceLine.Conn.dom0(DOM0_BYSTANDER));
        if (guests) {
            lines.add(TraceLine.Conn.guest(GUEST_BYSTANDER, BYSTANDER_DOMID));
        }
        String attacker = fromGuest ? GUEST_ATTACKER : DOM0_ATTACKER;
        lines.add(fromGuest ? TraceLine.Conn.guest(attacker, ATTACKER_DOMID) : TraceLine.Conn.dom0(attacker));
        int actions = 1 + rnd.nextInt(maxActions);
        for (int i = 0; i < actions; i++) {
            for (Command c : action(rnd, fromGuest)) {
                lines.add(TraceLine.Step.of(attacker, c));
            }
        }
        return new Trace(lines);
    }

    private List<Command> action(Random rnd, boolean guest) {
        int roll = rnd.nextInt(guest && rings ? 112 : 100);
        if (roll < 12) {
            return List.of(send(new Request.Watch(path(rnd), "t" + rnd.nextInt(100))));
        }
        if (roll < 28) {
            return List.of(raw(type(rnd, guest), Bytes.latin1(path(rnd)))); // no terminator
        }
        if (roll < 36) {
            return List.of(raw(type(rnd, guest), Bytes.latin1(path(rnd) + "\0" + word(rnd) + "\0" + word(rnd) + "\0")));
        }
        if (roll < 43) {
            return List.of(raw(UNKNOWN_TYPES[rnd.nextInt(UNKNOWN_TYPES.length)], Bytes.latin1(path(rnd) + "\0")));
        }
        if (roll < 47) {
            return List.of(raw(type(rnd, guest), Bytes.EMPTY));
        }
        if (roll < 52) {
            String p = path(rnd).startsWith("@") ? "/a" : path(rnd);
            int room = FrameCodec.PAYLOAD_MAX - p.length() - 2;
            String token = rnd.nextBoolean() ? "" : "k".repeat(Math.max(1, room - rnd.nextInt(50)));
            return List.of(send(new Request.Watch(p, token)));
        }
        if (roll < 55) {
            String p = "/" + "p".repeat(2000 + rnd.nextInt(2000));
            return List.of(send(rnd.nextBoolean() ? new Request.Read(p) : new Request.Directory(p)));
        }
        if (roll < 63) {
            // A header whose length is over XENSTORE_PAYLOAD_MAX, with a few payload bytes after it.
            long len = rnd.nextBoolean() ? FrameCodec.PAYLOAD_MAX + 1 + rnd.nextInt(100) : 0x80000000L + rnd.nextInt(1 << 30);
            return List.of(new Command.WireBytes(Bytes.of(frame(type(rnd, guest), (int) len,
                    Bytes.latin1(path(rnd) + "\0").toArray())), 1));
        }
        if (roll < 68) {
            // A header whose length is shorter than the payload: the rest reads as the next header.
            byte[] payload = Bytes.latin1(path(rnd) + "\0" + word(rnd) + "\0").toArray();
            return List.of(new Command.WireBytes(Bytes.of(frame(type(rnd, guest), rnd.nextInt(payload.length), payload)), 1));
        }
        if (roll < 75) {
            // A partial frame, then silence on this connection: part of a header, or a header and part of its payload.
            byte[] payload = Bytes.latin1(path(rnd) + "\0").toArray();
            byte[] whole = frame(type(rnd, guest), payload.length + 1 + rnd.nextInt(100), payload);
            int cut = 1 + rnd.nextInt(whole.length - 1);
            return List.of(new Command.WireBytes(Bytes.of(whole, 0, cut), 1));
        }
        if (roll < 82) {
            // A pipelined flood: one request many times in one write, replies read (and dropped) as they come.
            Request r = rnd.nextBoolean() ? new Request.Read(path(rnd)) : new Request.Watch(path(rnd), word(rnd));
            byte[] one = FrameCodec.encode(FrameCodec.request(rnd.nextInt(1 << 20) + 1, 0, r));
            int times = Math.min(FLOOD_BYTES / one.length, 50 + rnd.nextInt(2000));
            return List.of(new Command.WireBytes(Bytes.of(one), times));
        }
        if (roll < 86) {
            // A flood of distinct watches, past the daemons' watch quotas (C 128, oxenstored 50 per domain).
            int count = 20 + rnd.nextInt(150);
            List<Command> out = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                out.add(send(new Request.Watch("/local/w" + i, "f" + i)));
            }
            return out;
        }
        if (roll < 92) {
            return List.of(send(new Request.Read(path(rnd))));
        }
        if (roll < 100) {
            return List.of(raw(type(rnd, guest), Bytes.latin1(path(rnd) + "\0")));
        }
        return ringCorruption(rnd);
    }

    /** What a hostile guest writes into its page's indexes (then kicks). */
    private static List<Command> ringCorruption(Random rnd) {
        return switch (rnd.nextInt(6)) {
            // req_prod ahead of the data: stale bytes the guest never wrote; within the ring, then beyond it.
            case 0 -> List.of(new Command.RingWrite(RingIndex.REQ_PROD, true, 1 + rnd.nextInt(1024)));
            case 1 -> List.of(new Command.RingWrite(RingIndex.REQ_PROD, true, 1025 + rnd.nextInt(100_000)));
            // rsp_cons beyond rsp_prod: the guest claims to have read replies that were never written.
            case 2 -> List.of(new Command.RingWrite(RingIndex.RSP_CONS, true, 1 + rnd.nextInt(5000)));
            // the daemon's own indexes, which the page lets the guest write too
            case 3 -> List.of(new Command.RingWrite(RingIndex.REQ_CONS, true, -(1 + rnd.nextInt(2048))));
            case 4 -> List.of(new Command.RingWrite(RingIndex.RSP_PROD, true, 1 + rnd.nextInt(5000)));
            // wrap-around: both request indexes just below 2^32, so the next requests cross it
            default -> {
                long near = 0x1_0000_0000L - 1 - rnd.nextInt(64);
                yield List.of(new Command.RingWrite(RingIndex.REQ_CONS, false, near),
                        new Command.RingWrite(RingIndex.REQ_PROD, false, near));
            }
        };
    }

    private int type(Random rnd, boolean guest) {
        if (guest) {
            int t = rnd.nextInt(Op.DIRECTORY_PART.wire() + 1);
            return t == 20 ? Op.READ.wire() : t;
        }
        return DOM0_TYPES[rnd.nextInt(DOM0_TYPES.length)];
    }

    private static String path(Random rnd) {
        return PATHS[rnd.nextInt(PATHS.length)];
    }

    private static String word(Random rnd) {
        return switch (rnd.nextInt(4)) {
            case 0 -> "";
            case 1 -> "x";
            case 2 -> "w" + rnd.nextInt(1000);
            default -> "T";
        };
    }

    private static Command send(Request r) {
        return new Command.Send(r);
    }

    private static Command raw(int type, Bytes payload) {
        return new Command.Send(new Request.Raw(type, payload));
    }

    /** A header claiming {@code claimedLength} (as u32), then {@code payload} as it is. */
    static byte[] frame(int type, int claimedLength, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] header = new byte[FrameCodec.HEADER_SIZE];
        FrameCodec.putHeader(header, 0, type, 0x7fff0000, 0, claimedLength);
        out.writeBytes(header);
        out.writeBytes(payload);
        return out.toByteArray();
    }
}
