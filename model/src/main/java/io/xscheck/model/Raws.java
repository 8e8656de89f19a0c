package io.xscheck.model;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsError;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests that did not decode to a typed {@link Request}: unknown types and malformed payloads.
 * Unknown type numbers, WATCH_EVENT and ERROR sent by a client, and the removed type 20 are ENOSYS
 * (C process_message, oxenstored Op.of_cval, QEMU); a single-path op whose payload is not exactly
 * {@code path\0} is EINVAL (C onearg, oxenstored split_one_path).
 */
final class Raws {
    private Raws() {
    }

    static Outcome step(Model m, ModelState s, Caller caller, Connection c, long txId, Request.Raw raw) {
        Op op = raw.op();
        if (op == Op.INVALID && txId != 0 && !c.transactions().containsKey(txId) && m.dialect().transactions().unknownTypeChecksTransactionFirst()) {
            return Model.error(s, m.dialect().transactions().unknownTransactionError(), Rule.TX_UNKNOWN_ID);
        }
        if (op == Op.INVALID || op == Op.WATCH_EVENT || op == Op.ERROR) {
            // xs_wire.h: not a request a client may send -> ENOSYS in all three daemons.
            return recorded(m, s, caller, c, txId, raw, Model.error(s, XsError.ENOSYS, Rule.REQUESTS_UNKNOWN_TYPE));
        }
        if (op == Op.DIRECTORY_PART && !m.dialect().tree().directoryPartSupported()) {
            // Not recorded: a DIRECTORY_PART in a transaction does not stop oxenstored's replay (process.ml process_packet records only what the op functions handle; probe oxenstored-4.17.7-dom0-more.txt "DIRECTORY_PART /p 0").
            return Model.error(s, XsError.ENOSYS, Rule.TREE_DIRECTORY_PART_UNSUPPORTED);
        }
        if (txId != 0 && !c.transactions().containsKey(txId) && op != Op.WATCH && op != Op.UNWATCH
                && !m.dialect().transactions().pathCheckedBeforeTransaction()) {
            // C process_message looks the transaction up before the handler (ENOENT); oxenstored get_transaction -> EIO
            // (probe differential/rep2-oxenstored-2.trace: a malformed READ naming an unknown transaction -> EIO from oxenstored).
            // QEMU's front end parses the payload first, and xs_impl checks the path before the transaction.
            return Model.error(s, m.dialect().transactions().unknownTransactionError(), Rule.TX_UNKNOWN_ID);
        }
        List<String> parts = split(raw.payload());
        Request typed = switch (op) {
            case READ, MKDIR, RM, DIRECTORY, GET_PERMS -> onePath(op, raw.payload(), parts, m.dialect().requests().extraPayloadStringsIgnored());
            case WATCH, UNWATCH -> m.dialect().requests().extraPayloadStringsIgnored() ? qemuWatch(op, raw.payload()) : null;
            default -> null;
        };
        if (typed == null) {
            if (m.dialect().requests().malformedPathGivesStaleErrno() && (op == Op.READ || op == Op.MKDIR || op == Op.RM
                    || op == Op.DIRECTORY || op == Op.GET_PERMS)) {
                // C onearg -> NULL name -> get_node_canonicalized returns without setting errno: an earlier errno leaks.
                return new Outcome(com.google.common.collect.ImmutableSet.of(
                        Allowed.of(Reply.Error.of(XsError.EINVAL), s),
                        Allowed.of(Reply.Error.of(XsError.ENOENT), s),
                        Allowed.of(Reply.Error.of(XsError.EACCES), s),
                        // a guest's WRITE refused by the node-size quota (ENOSPC, xenstored_core.c write_node), then a READ without
                        // its NUL -> ENOSPC: the quota check's errno leaked (onearg at RELEASE-4.17.7).
                        Allowed.of(Reply.Error.of(XsError.ENOSPC), s),
                        // probe live-update-cxenstored.txt "stale errno after an update": the restore's EEXIST leaks.
                        Allowed.of(Reply.Error.of(XsError.EEXIST), s),
                        // xenstored_core.c onearg at RELEASE-4.17.7 (traces/c-stale-errno-eio.trace, seen by gate on seed 32010): a guest transaction's RM that C answered EIO (a listed child
                        // gone since the transaction read its parent), then dom0's READ "/tool/a/g@h" without a NUL -> EIO.
                        Allowed.of(Reply.Error.of(XsError.EIO), s)), Rule.REQUESTS_C_STALE_ERRNO);
            }
            // C get_strings/onearg and oxenstored split: a payload that does not parse -> EINVAL.
            return recorded(m, s, caller, c, txId, raw, Model.error(s, XsError.EINVAL, Rule.REQUESTS_MALFORMED_PAYLOAD));
        }
        return m.step(s, caller.conn(), txId, typed);
    }

    /**
     * oxenstored records every request made in a transaction with its reply (process.ml
     * add_operation), malformed ones included: those of known ops fail the same way when replayed, one
     * of an unknown type cannot be replayed (see {@link Transactions}).
     */
    private static Outcome recorded(Model m, ModelState s, Caller caller, Connection c, long txId, Request.Raw raw, Outcome o) {
        Transaction tx = c.transactions().get(txId);
        if (txId == 0 || tx == null || m.dialect().transactions().txConflictRule() != TransactionKnobs.TxConflictRule.REPLAY) {
            return o;
        }
        Allowed a = o.single();
        Transaction after = tx.plusRecorded(new Transaction.Recorded(raw, a.reply()));
        return Outcome.of(new Allowed(a.reply(), s.withConnection(caller.conn(), c.withTransaction(after)), a.events()), o.rule());
    }

    private static Request onePath(Op op, Bytes payload, List<String> parts, boolean extraIgnored) {
        int n = payload.length();
        if (n == 0 || payload.byteAt(n - 1) != 0 || parts.isEmpty() || (parts.size() != 1 && !extraIgnored)) {
            // QEMU only asks for a final NUL and reads the first string (xen_xenstore.c xs_read takes the first string; probe qemu-xenstore-impl.txt "READ without NUL terminator" -> EINVAL).
            return null;
        }
        String p = parts.get(0);
        return switch (op) {
            case READ -> new Request.Read(p);
            case MKDIR -> new Request.Mkdir(p);
            case RM -> new Request.Rm(p);
            case DIRECTORY -> new Request.Directory(p);
            case GET_PERMS -> new Request.GetPerms(p);
            default -> null;
        };
    }

    /**
     * QEMU's WATCH/UNWATCH: a NUL-terminated path, then a NUL-terminated token, or nothing (an empty
     * token); bytes after the token are ignored (probe qemu-xenstore-impl.txt "d0 WATCH with trailing garbage" -> OK, "d0 WATCH no token" -> EINVAL).
     */
    private static Request qemuWatch(Op op, Bytes payload) {
        String s = payload.toLatin1();
        int pathEnd = s.indexOf('\0');
        if (pathEnd < 0) {
            return null;
        }
        String path = s.substring(0, pathEnd);
        String token;
        if (pathEnd + 1 == s.length()) {
            token = "";
        } else {
            int tokenEnd = s.indexOf('\0', pathEnd + 1);
            if (tokenEnd < 0) {
                return null;
            }
            token = s.substring(pathEnd + 1, tokenEnd);
        }
        return op == Op.WATCH ? new Request.Watch(path, token) : new Request.Unwatch(path, token);
    }

    /** The NUL-terminated strings of a payload (a trailing unterminated piece counts as one). */
    static List<String> split(Bytes b) {
        List<String> out = new ArrayList<>();
        String s = b.toLatin1();
        int from = 0;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) == '\0') {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        if (from < s.length()) {
            out.add(s.substring(from));
        }
        return out;
    }
}
