package io.xscheck.conformance.trace;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Request;
import io.xscheck.sut.RingIndex;

/**
 * What a step does. Most steps send one wire request as is; transactions, introductions, domain
 * death and event checks need the harness, so they have their own records.
 */
public sealed interface Command {

    /** A request sent as is (the connection's transaction, if any, goes in the header). */
    record Send(Request request) implements Command {
        public Send {
            if (request instanceof Request.TransactionStart || request instanceof Request.TransactionEnd
                    || request instanceof Request.Introduce) {
                throw new IllegalArgumentException(request.op() + " is written tx/commit/abort/introduce");
            }
        }
    }

    /** {@code tx TX}: TRANSACTION_START, binding the returned id to the name. */
    record StartTx(String name) implements Command {
        public StartTx {
            TraceNames.requireName(name, "transaction");
        }
    }

    /** {@code commit TX} / {@code abort TX}: TRANSACTION_END of the named transaction. */
    record EndTx(String name, boolean commit) implements Command {
        public EndTx {
            TraceNames.requireName(name, "transaction");
        }
    }

    /**
     * {@code introduce DOMID}: INTRODUCE, the harness picks mfn and port; {@code introduce DOMID port 0}: with
     * event-channel port 0, which C refuses before it maps anything (do_introduce).
     */
    record Introduce(int domid, boolean portZero) implements Command {
        public Introduce(int domid) {
            this(domid, false);
        }
    }

    /** {@code kill DOMID}: the domain dies (the harness fires the domain-exception VIRQ). */
    record Kill(int domid) implements Command {
    }

    /**
     * {@code liveupdate} / {@code liveupdate force}: the daemon replaces itself with its own binary,
     * keeping its state (XS_CONTROL {@code live-update -f BINARY}, then {@code live-update -s}, with
     * {@code -F} when forced), sent on this dom0 connection; the step's reply is the daemon's final
     * answer once the update ran or was refused.
     */
    record LiveUpdate(boolean force) implements Command {
    }

    /**
     * {@code migrate}: QEMU's store is serialized, a new store created and the state loaded into it,
     * as a migration does (the QEMU front end's {@code x-xscheck-migrate}; only the qemu target offers it).
     */
    record Migrate() implements Command {
    }

    /** {@code events}: the watch events the connection received since its previous {@code events}. */
    record Events() implements Command {
    }

    /**
     * {@code rawbytes "BYTES" [xN]}: bytes written to the connection as they are, {@code repeat}
     * times in one write: headers whose length lies, parts of frames, pipelined floods. No model
     * predicts them; a trace that has one is checked for robustness, not against the model.
     */
    record WireBytes(Bytes bytes, int repeat) implements Command {
        public static final int MAX_REPEAT = 100_000;

        public WireBytes {
            if (bytes.length() == 0 || repeat < 1 || repeat > MAX_REPEAT) {
                throw new IllegalArgumentException("rawbytes needs at least one byte and 1.." + MAX_REPEAT
                        + " repeats, got " + bytes.length() + " byte(s) x" + repeat);
            }
        }

        /** Everything written, repeats included. */
        public byte[] wire() {
            byte[] one = bytes.toArray();
            byte[] out = new byte[one.length * repeat];
            for (int i = 0; i < repeat; i++) {
                System.arraycopy(one, 0, out, i * one.length, one.length);
            }
            return out;
        }
    }

    /**
     * {@code ring INDEX +N | -N | N}: the guest stores into one of its own ring page's indexes
     * (relative to its current value, or absolute; modulo 2^32) and kicks, as a hostile guest can.
     * Only on a guest connection over a ring; checked for robustness, like {@link WireBytes}.
     */
    record RingWrite(RingIndex index, boolean relative, long amount) implements Command {
        public RingWrite {
            if (!relative && (amount < 0 || amount > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("an absolute ring index is 0..4294967295, got " + amount);
            }
        }

        /** The value to store, given the index's current one. */
        public long valueAfter(long current) {
            return (relative ? current + amount : amount) & 0xFFFF_FFFFL;
        }
    }

    /** Whether the command works below the request level (no model predicts it). */
    public static boolean belowRequests(Command c) {
        return c instanceof WireBytes || c instanceof RingWrite;
    }
}
