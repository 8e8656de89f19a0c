package io.xscheck.conformance.trace;

import java.util.Optional;

/** One meaningful line of a trace: the case root, a connection declaration, or a step. */
public sealed interface TraceLine {

    /**
     * {@code root PATH}: the subtree the trace works in, which the harness creates (dom0, ACL
     * {@code n0}) before the first step and removes after the last. A trace without one works on
     * the whole tree, which only a target the harness owns can lend; on a daemon reached by its
     * socket the trace is moved to a fresh case root of the same length (see {@code TraceRelocation}).
     */
    record Root(String path) implements TraceLine {
        public Root {
            if (!path.startsWith("/") || path.equals("/") || path.endsWith("/") || path.contains("//")
                    || path.contains(" ")) {
                throw new IllegalArgumentException("a case root is an absolute path below /, got '" + path + "'");
            }
        }
    }

    /**
     * {@code conn NAME dom0} (privileged socket) or {@code conn NAME domU DOMID} (a guest's ring;
     * the harness introduces the domain first when needed).
     */
    record Conn(String name, boolean guest, int domid) implements TraceLine {
        public Conn {
            TraceNames.requireName(name, "connection");
            if (!guest && domid != 0) {
                throw new IllegalArgumentException("a dom0 connection has domid 0");
            }
            if (guest && domid <= 0) {
                throw new IllegalArgumentException("a guest connection needs a domid above 0, got " + domid);
            }
        }

        public static Conn dom0(String name) {
            return new Conn(name, false, 0);
        }

        public static Conn guest(String name, int domid) {
            return new Conn(name, true, domid);
        }
    }

    /** {@code NAME[@TX] OP ARGS [=> EXPECT]}. */
    record Step(String conn, Optional<String> tx, Command command, Optional<Expect> expect) implements TraceLine {
        public Step {
            TraceNames.requireName(conn, "connection");
            tx.ifPresent(t -> TraceNames.requireName(t, "transaction"));
        }

        public static Step of(String conn, Command command) {
            return new Step(conn, Optional.empty(), command, Optional.empty());
        }

        public static Step inTx(String conn, String tx, Command command) {
            return new Step(conn, Optional.of(tx), command, Optional.empty());
        }

        public Step withExpect(Expect e) {
            return new Step(conn, tx, command, Optional.ofNullable(e));
        }

        public Step withoutExpect() {
            return new Step(conn, tx, command, Optional.empty());
        }
    }
}
