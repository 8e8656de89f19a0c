package io.xscheck.conformance.trace;

import com.google.common.collect.HashMultiset;
import com.google.common.collect.ImmutableList;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.WatchEvent;

import java.util.List;

/** The {@code => EXPECT} part of a step: what a reply (or an {@code events} check) must be. */
public sealed interface Expect {

    /** True when the reply satisfies this expectation. */
    boolean matches(Reply reply);

    /** True when these watch events (a multiset) satisfy this expectation. */
    default boolean matchesEvents(List<WatchEvent> events) {
        return false;
    }

    /** {@code OK}; a transaction's start also counts (its id is not part of a trace). */
    record Ok() implements Expect {
        public boolean matches(Reply r) {
            return r instanceof Reply.Ok || r instanceof Reply.TransactionId;
        }
    }

    /** An error name, e.g. {@code ENOENT}. */
    record Error(String name) implements Expect {
        public boolean matches(Reply r) {
            return r instanceof Reply.Error e && e.name().equals(name);
        }
    }

    /** A quoted string: a READ's raw bytes, or a string reply without its terminator. */
    record Text(Bytes bytes) implements Expect {
        public boolean matches(Reply r) {
            return (r instanceof Reply.Value v && v.value().equals(bytes))
                    || (r instanceof Reply.Text t && Bytes.latin1(t.text()).equals(bytes))
                    || (r instanceof Reply.DirectoryChunk c && afterGeneration().map(c.chunk()::equals).orElse(false));
        }

        /**
         * A DIRECTORY_PART reply is written as its payload, the generation count first; the count is the
         * daemon's own (each counts its own writes), so, as in the comparison of replies, only the chunk after it
         * must match.
         */
        private java.util.Optional<Bytes> afterGeneration() {
            byte[] b = bytes.toArray();
            int nul = 0;
            while (nul < b.length && b[nul] != 0) {
                nul++;
            }
            return nul >= b.length ? java.util.Optional.empty()
                    : java.util.Optional.of(Bytes.of(java.util.Arrays.copyOfRange(b, nul + 1, b.length)));
        }
    }

    /** {@code [a, b]}: directory names in this order. */
    record Ordered(List<String> names) implements Expect {
        public Ordered {
            names = ImmutableList.copyOf(names);
        }
        public boolean matches(Reply r) {
            return r instanceof Reply.Names n && n.names().equals(names);
        }
    }

    /** {@code {a, b}}: the same names in any order. */
    record Unordered(List<String> names) implements Expect {
        public Unordered {
            names = ImmutableList.copyOf(names);
        }
        public boolean matches(Reply r) {
            return r instanceof Reply.Names n && HashMultiset.create(n.names()).equals(HashMultiset.create(names));
        }
    }

    /** {@code n0 r5}: a permission list, owner first. */
    record Perms(List<Perm> perms) implements Expect {
        public Perms {
            perms = ImmutableList.copyOf(perms);
        }
        public boolean matches(Reply r) {
            return r instanceof Reply.Perms p && p.perms().equals(perms);
        }
    }

    /** {@code [/p tok, /q tok]} after {@code events}: a multiset of watch events. */
    record Events(List<WatchEvent> events) implements Expect {
        public Events {
            events = ImmutableList.copyOf(events);
        }
        public boolean matches(Reply r) {
            return false;
        }
        @Override
        public boolean matchesEvents(List<WatchEvent> actual) {
            return HashMultiset.create(actual).equals(HashMultiset.create(events));
        }
    }

    /** {@code OK | EAGAIN}: any of these. */
    record AnyOf(List<Expect> options) implements Expect {
        public AnyOf {
            options = ImmutableList.copyOf(options);
            if (options.size() < 2) {
                throw new IllegalArgumentException("alternatives need at least two options");
            }
        }
        public boolean matches(Reply r) {
            return options.stream().anyMatch(o -> o.matches(r));
        }
        @Override
        public boolean matchesEvents(List<WatchEvent> actual) {
            return options.stream().anyMatch(o -> o.matchesEvents(actual));
        }
    }

    /** The expectation that exactly describes {@code reply}; directories as ordered or as a set. */
    static Expect of(Reply reply, boolean orderedDirectory) {
        if (reply instanceof Reply.Error e) {
            return new Error(e.name());
        }
        if (reply instanceof Reply.Value v) {
            return new Text(v.value());
        }
        if (reply instanceof Reply.Text t) {
            return new Text(Bytes.latin1(t.text()));
        }
        if (reply instanceof Reply.Names n) {
            return orderedDirectory ? new Ordered(n.names()) : new Unordered(n.names());
        }
        if (reply instanceof Reply.Perms p) {
            return new Perms(p.perms());
        }
        if (reply instanceof Reply.DirectoryChunk c) {
            return new Text(c.payload());
        }
        return new Ok();
    }
}
