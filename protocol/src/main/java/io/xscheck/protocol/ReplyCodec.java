package io.xscheck.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Replies on the wire. A reply's header type is the request's op, or ERROR; its payload format
 * depends on the request's op (docs/misc/xenstore.txt "Message formats"; the {@code send_reply}
 * calls of tools/xenstore/xenstored_core.c at RELEASE-4.17.7). Decoding is strict: a payload that
 * no 4.17 daemon would send for that op is a {@link ProtocolException}, not a guess.
 */
public final class ReplyCodec {
    private static final Bytes OK = Payloads.strings("OK");

    private ReplyCodec() {
    }

    /**
     * The typed reply to a request of type {@code requestOp}.
     *
     * @throws ProtocolException when the type is neither {@code requestOp} nor ERROR, or the
     *     payload is not what a daemon sends for that op
     */
    public static Reply decode(Op requestOp, Frame reply) throws ProtocolException {
        return decode(requestOp, requestOp.wire(), reply);
    }

    /**
     * As {@link #decode(Op, Frame)}, for a request sent with wire type {@code requestType}: a type this
     * codec does not know ({@link Op#INVALID}, e.g. Xen 4.21's XS_GET_FEATURE, 23) that the daemon
     * answers under its own type is a reply whose payload is kept as it came ({@link Reply.Value}),
     * not a malformed one.
     */
    public static Reply decode(Op requestOp, int requestType, Frame reply) throws ProtocolException {
        if (requestOp == Op.INVALID && requestType != Op.INVALID.wire() && reply.type() == requestType) {
            return new Reply.Value(reply.payload());
        }
        Bytes p = reply.payload();
        if (reply.is(Op.ERROR)) {
            return new Reply.Error(Payloads.singleString(p, "ERROR"));
        }
        if (reply.type() != requestOp.wire()) {
            throw new ProtocolException("reply to " + requestOp + " (req_id "
                    + Integer.toUnsignedString(reply.reqId()) + ") has type " + Op.nameOf(reply.type())
                    + ", expected " + requestOp + " or ERROR", 0);
        }
        return switch (requestOp) {
            case READ -> new Reply.Value(p);
            case DIRECTORY -> new Reply.Names(Payloads.terminatedStrings(p, "DIRECTORY"));
            case DIRECTORY_PART -> directoryChunk(p);
            case GET_PERMS -> perms(p);
            case TRANSACTION_START -> new Reply.TransactionId(transactionId(p));
            case GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED ->
                    new Reply.Text(Payloads.singleString(p, requestOp.name()));
            // oxenstored answers its live-update commands without a terminator ("BUSY", "OK"; probe
            // live-update-oxenstored.txt in the model's tests): kept as raw bytes, so the NUL stays visible.
            case CONTROL -> p.length() > 0 && p.byteAt(p.length() - 1) != 0
                    ? new Reply.Value(p) : new Reply.Text(Payloads.singleString(p, requestOp.name()));
            case WRITE, MKDIR, RM, SET_PERMS, WATCH, UNWATCH, TRANSACTION_END, INTRODUCE, RELEASE,
                    RESUME, SET_TARGET, RESET_WATCHES -> ok(requestOp, p);
            case WATCH_EVENT, ERROR, INVALID -> throw new ProtocolException(
                    "a request of type " + requestOp + " has no successful reply, yet one came: "
                            + reply, 0);
        };
    }

    /**
     * The frame a server sends: an {@link Reply.Error} goes out with type ERROR, anything else
     * with the request's op.
     *
     * @throws IllegalArgumentException when {@code reply} is not a kind {@code requestOp} answers with
     */
    public static Frame encode(Op requestOp, int reqId, int txId, Reply reply) {
        if (reply instanceof Reply.Error) {
            return Frame.of(Op.ERROR, reqId, txId, reply.payload());
        }
        if (!fits(requestOp, reply)) {
            throw new IllegalArgumentException(requestOp + " is never answered with "
                    + reply.getClass().getSimpleName() + " (" + reply + ")");
        }
        return Frame.of(requestOp, reqId, txId, reply.payload());
    }

    private static boolean fits(Op op, Reply reply) {
        return switch (op) {
            case READ -> reply instanceof Reply.Value;
            case DIRECTORY -> reply instanceof Reply.Names;
            case DIRECTORY_PART -> reply instanceof Reply.DirectoryChunk;
            case GET_PERMS -> reply instanceof Reply.Perms;
            case TRANSACTION_START -> reply instanceof Reply.TransactionId;
            // CONTROL subcommands answer either text or a plain "OK" (xenstored_control.c).
            case CONTROL -> reply instanceof Reply.Text || reply instanceof Reply.Ok || reply instanceof Reply.Value;
            case GET_DOMAIN_PATH, IS_DOMAIN_INTRODUCED -> reply instanceof Reply.Text;
            case WRITE, MKDIR, RM, SET_PERMS, WATCH, UNWATCH, TRANSACTION_END, INTRODUCE, RELEASE,
                    RESUME, SET_TARGET, RESET_WATCHES -> reply instanceof Reply.Ok;
            case WATCH_EVENT, ERROR, INVALID -> false;
        };
    }

    private static Reply ok(Op op, Bytes p) throws ProtocolException {
        if (!p.equals(OK)) {
            throw new ProtocolException(op + " reply payload " + p.quoted() + " is not \"OK\\0\"", 0);
        }
        return new Reply.Ok();
    }

    /** {@code generation\0} then the chunk, kept raw (its trailing extra NUL marks the end). */
    private static Reply directoryChunk(Bytes p) throws ProtocolException {
        int nul = Payloads.indexOfNul(p, 0);
        if (nul < 0) {
            throw new ProtocolException("DIRECTORY_PART reply payload " + p.quoted()
                    + " has no NUL after the generation", p.length());
        }
        return new Reply.DirectoryChunk(Payloads.latin1(p, 0, nul), Payloads.slice(p, nul + 1, p.length()));
    }

    private static Reply perms(Bytes p) throws ProtocolException {
        List<String> texts = Payloads.terminatedStrings(p, "GET_PERMS");
        if (texts.isEmpty()) {
            throw new ProtocolException("GET_PERMS reply is empty; a node always has an owner entry", 0);
        }
        List<Perm> perms = new ArrayList<>(texts.size());
        int offset = 0;
        for (String text : texts) {
            try {
                perms.add(Perm.parse(text));
            } catch (ProtocolException e) {
                throw new ProtocolException("GET_PERMS reply " + p.quoted() + ": " + e.getMessage(),
                        offset + e.offset());
            }
            offset += text.length() + 1;
        }
        return new Reply.Perms(perms);
    }

    /** The id as the daemons print it: decimal u32, NUL-terminated (xenstored_transaction.c "%u"). */
    private static long transactionId(Bytes p) throws ProtocolException {
        String text = Payloads.singleString(p, "TRANSACTION_START");
        long id = Numbers.parseDecimalU32(text);
        if (id < 0) {
            throw new ProtocolException("TRANSACTION_START reply " + p.quoted()
                    + " is not a decimal transaction id", 0);
        }
        return id;
    }
}
