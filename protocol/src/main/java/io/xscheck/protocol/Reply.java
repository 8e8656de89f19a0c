package io.xscheck.protocol;

import java.util.List;
import java.util.Optional;

/**
 * A daemon's answer to one request. The reply's header type is the request's op, or ERROR.
 * Which record a payload decodes to depends on the request's op (see {@code ReplyCodec}).
 */
public sealed interface Reply {

    /** The payload bytes, as a daemon sends them. */
    Bytes payload();

    /** {@code OK\0}: success with nothing to say. */
    record Ok() implements Reply {
        public Bytes payload() { return Payloads.strings("OK"); }
        @Override public String toString() { return "OK"; }
    }

    /** Header type ERROR, payload {@code ENAME\0}. The name is kept as sent, known or not. */
    record Error(String name) implements Reply {
        public static Error of(XsError error) {
            return new Error(error.name());
        }
        public Bytes payload() { return Payloads.strings(name); }
        /** The name as a known error, empty for a name outside xs_wire.h and EQUOTA. */
        public Optional<XsError> known() {
            for (XsError e : XsError.values()) {
                if (e.name().equals(name)) {
                    return Optional.of(e);
                }
            }
            return Optional.empty();
        }
        @Override public String toString() { return name; }
    }

    /** READ: the raw value, no terminator. */
    record Value(Bytes value) implements Reply {
        public Bytes payload() { return value; }
        @Override public String toString() { return value.quoted(); }
    }

    /** DIRECTORY: child names, each NUL-terminated, in the daemon's order. */
    record Names(List<String> names) implements Reply {
        public Names {
            names = List.copyOf(names);
        }
        public Bytes payload() { return Payloads.strings(names.toArray(String[]::new)); }
        @Override public String toString() { return names.toString(); }
    }

    /**
     * DIRECTORY_PART: {@code generation\0} then the children list from the requested byte offset;
     * the list is complete when the chunk ends with an extra NUL (xenstore.txt, 4.17).
     */
    record DirectoryChunk(String generation, Bytes chunk) implements Reply {
        public Bytes payload() {
            Bytes gen = Payloads.strings(generation);
            byte[] out = new byte[gen.length() + chunk.length()];
            gen.copyTo(out, 0);
            chunk.copyTo(out, gen.length());
            return Bytes.of(out);
        }
    }

    /** GET_PERMS: {@code perm\0} per entry, owner first, as the daemon prints them. */
    record Perms(List<Perm> perms) implements Reply {
        public Perms {
            perms = List.copyOf(perms);
        }
        public Bytes payload() {
            return Payloads.strings(perms.stream().map(Perm::toString).toArray(String[]::new));
        }
        @Override public String toString() {
            return String.join(" ", perms.stream().map(Perm::toString).toList());
        }
    }

    /** TRANSACTION_START: the new transaction's id in decimal, NUL-terminated. */
    record TransactionId(long id) implements Reply {
        public Bytes payload() { return Payloads.strings(Long.toString(id)); }
        @Override public String toString() { return "tx " + id; }
    }

    /**
     * A NUL-terminated string: GET_DOMAIN_PATH's path, IS_DOMAIN_INTRODUCED's {@code T}/{@code F},
     * CONTROL's output.
     */
    record Text(String text) implements Reply {
        public Bytes payload() { return Payloads.strings(text); }
        @Override public String toString() { return '"' + text + '"'; }
    }
}
