package io.xscheck.sut;

import io.xscheck.protocol.Op;
import io.xscheck.protocol.Request;

import java.util.Set;

/**
 * Keeps the engine's writes to an external daemon (possibly a live host's) inside one sandbox
 * subtree: a request that would change anything outside it, touch domains, or control the
 * daemon is refused before it is sent. {@code RM /} and SET_PERMS on {@code /} are refused
 * whatever the sandbox.
 */
final class SandboxGuard {

    /** Ops that change the tree at the path they name. */
    private static final Set<Op> PATH_WRITES = Set.of(Op.WRITE, Op.MKDIR, Op.RM, Op.SET_PERMS);
    /** Ops that change domains or the daemon itself; never sent to a daemon we did not start. */
    private static final Set<Op> FORBIDDEN = Set.of(Op.INTRODUCE, Op.RELEASE, Op.RESUME, Op.SET_TARGET,
            Op.CONTROL, Op.RESET_WATCHES);

    private final String root;

    SandboxGuard(String root) {
        if (!root.startsWith("/") || root.equals("/") || root.endsWith("/")) {
            throw new IllegalArgumentException("a sandbox is a subtree below /, got " + root);
        }
        this.root = root;
    }

    String root() {
        return root;
    }

    /** @throws IllegalArgumentException when {@code request} may not be sent */
    void check(Request request) {
        Op op = request.op();
        if (FORBIDDEN.contains(op)) {
            throw refused(request, op + " is never sent to an external daemon");
        }
        if (!PATH_WRITES.contains(op)) {
            return;
        }
        String path = pathOf(request);
        if (path == null) {
            throw refused(request, "a raw " + op + " cannot be checked against the sandbox");
        }
        if ((op == Op.RM || op == Op.SET_PERMS) && path.equals("/")) {
            throw refused(request, op + " on / is never sent to an external daemon");
        }
        if (!(path.equals(root) || path.startsWith(root + "/"))) {
            throw refused(request, "it writes outside the sandbox " + root);
        }
    }

    private static String pathOf(Request r) {
        return r instanceof Request.NodeRequest n ? n.path() : null;
    }

    private static IllegalArgumentException refused(Request r, String why) {
        return new IllegalArgumentException("refused " + r + ": " + why);
    }
}
