package io.xscheck.protocol;

import java.util.List;

/**
 * A request a client sends, one record per op. {@link #payload()} is the exact payload the
 * daemons expect (docs/misc/xenstore.txt "Message formats"; C tools/xenstore/xs.c): single-path
 * ops are {@code path\0}; WRITE is {@code path\0value} with no terminator; the transaction id
 * travels in the header, not here. {@link Raw} carries anything else, malformed input included.
 */
public sealed interface Request {

    Op op();

    /** The requests whose first argument names a node: the tree operations. */
    sealed interface NodeRequest extends Request
            permits Read, Write, Mkdir, Rm, Directory, DirectoryPart, GetPerms, SetPerms {
        String path();
    }

    /** The payload bytes, as sent. */
    Bytes payload();

    /** The wire type number; differs from {@code op().wire()} only for {@link Raw}. */
    default int type() {
        return op().wire();
    }

    record Read(String path) implements NodeRequest {
        public Op op() { return Op.READ; }
        public Bytes payload() { return Payloads.strings(path); }
    }

    record Write(String path, Bytes value) implements NodeRequest {
        public Op op() { return Op.WRITE; }
        public Bytes payload() { return Payloads.pathAndValue(path, value); }
    }

    record Mkdir(String path) implements NodeRequest {
        public Op op() { return Op.MKDIR; }
        public Bytes payload() { return Payloads.strings(path); }
    }

    record Rm(String path) implements NodeRequest {
        public Op op() { return Op.RM; }
        public Bytes payload() { return Payloads.strings(path); }
    }

    record Directory(String path) implements NodeRequest {
        public Op op() { return Op.DIRECTORY; }
        public Bytes payload() { return Payloads.strings(path); }
    }

    /** {@code path\0offset\0}: the children list from a byte offset (xenstore.txt, 4.17). */
    record DirectoryPart(String path, long offset) implements NodeRequest {
        public Op op() { return Op.DIRECTORY_PART; }
        public Bytes payload() { return Payloads.strings(path, Long.toString(offset)); }
    }

    record GetPerms(String path) implements NodeRequest {
        public Op op() { return Op.GET_PERMS; }
        public Bytes payload() { return Payloads.strings(path); }
    }

    /** {@code path\0perm\0perm\0...}; the first perm names the owner. */
    record SetPerms(String path, List<Perm> perms) implements NodeRequest {
        public SetPerms {
            perms = List.copyOf(perms);
        }
        public Op op() { return Op.SET_PERMS; }
        public Bytes payload() { return Payloads.pathAndPerms(path, perms); }
    }

    record Watch(String path, String token) implements Request {
        public Op op() { return Op.WATCH; }
        public Bytes payload() { return Payloads.strings(path, token); }
    }

    record Unwatch(String path, String token) implements Request {
        public Op op() { return Op.UNWATCH; }
        public Bytes payload() { return Payloads.strings(path, token); }
    }

    /** Payload {@code \0}: the C library sends an empty string, and QEMU insists on it. */
    record TransactionStart() implements Request {
        public Op op() { return Op.TRANSACTION_START; }
        public Bytes payload() { return Payloads.strings(""); }
    }

    /** {@code T\0} commits, {@code F\0} aborts; the transaction is the header's tx_id. */
    record TransactionEnd(boolean commit) implements Request {
        public Op op() { return Op.TRANSACTION_END; }
        public Bytes payload() { return Payloads.strings(commit ? "T" : "F"); }
    }

    /** {@code domid\0mfn\0port\0}. */
    record Introduce(int domid, long mfn, int port) implements Request {
        public Op op() { return Op.INTRODUCE; }
        public Bytes payload() {
            return Payloads.strings(Integer.toString(domid), Long.toString(mfn), Integer.toString(port));
        }
    }

    record Release(int domid) implements Request {
        public Op op() { return Op.RELEASE; }
        public Bytes payload() { return Payloads.strings(Integer.toString(domid)); }
    }

    record GetDomainPath(int domid) implements Request {
        public Op op() { return Op.GET_DOMAIN_PATH; }
        public Bytes payload() { return Payloads.strings(Integer.toString(domid)); }
    }

    record IsDomainIntroduced(int domid) implements Request {
        public Op op() { return Op.IS_DOMAIN_INTRODUCED; }
        public Bytes payload() { return Payloads.strings(Integer.toString(domid)); }
    }

    record Resume(int domid) implements Request {
        public Op op() { return Op.RESUME; }
        public Bytes payload() { return Payloads.strings(Integer.toString(domid)); }
    }

    /** {@code domid\0target\0}: domid acts with target's rights. */
    record SetTarget(int domid, int target) implements Request {
        public Op op() { return Op.SET_TARGET; }
        public Bytes payload() { return Payloads.strings(Integer.toString(domid), Integer.toString(target)); }
    }

    /** Payload {@code \0}, as the C library sends it. */
    record ResetWatches() implements Request {
        public Op op() { return Op.RESET_WATCHES; }
        public Bytes payload() { return Payloads.strings(""); }
    }

    /** XS_CONTROL (alias XS_DEBUG): a command and its arguments, each NUL-terminated. */
    record Control(List<String> args) implements Request {
        public Control {
            args = List.copyOf(args);
        }
        public Op op() { return Op.CONTROL; }
        public Bytes payload() { return Payloads.strings(args.toArray(String[]::new)); }
    }

    /** Any type number and any payload, for malformed and unknown requests. */
    record Raw(int type, Bytes payload) implements Request {
        /** The op when the number is a known one, else {@link Op#INVALID}. */
        public Op op() {
            try {
                return Op.fromWire(type);
            } catch (ProtocolException e) {
                return Op.INVALID;
            }
        }
        @Override
        public int type() { return type; }
    }
}
