package io.xscheck.sut;

import io.xscheck.protocol.Op;
import io.xscheck.protocol.Request;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the engine's writes to an external daemon (possibly a live host's) inside the case roots
 * it claimed below one sandbox: a request that would change anything elsewhere, touch domains,
 * or control the daemon is refused before it is sent, and so is a malformed frame unless the user
 * asked for those. {@code RM /} and SET_PERMS on {@code /} are refused whatever the sandbox. A
 * refusal is a harness bug (the generator and replay respect the target's capabilities), so it
 * is an {@link IllegalArgumentException}, never something the daemon did.
 */
final class SandboxGuard {

    /** Ops that change the tree at the path they name. */
    private static final Set<Op> PATH_WRITES = Set.of(Op.WRITE, Op.MKDIR, Op.RM, Op.SET_PERMS);
    /** Ops that change domains or the daemon itself; never sent to a daemon we did not start. */
    private static final Set<Op> FORBIDDEN = Set.of(Op.INTRODUCE, Op.RELEASE, Op.RESUME, Op.SET_TARGET, Op.CONTROL);

    private final String root;
    private final boolean malformedAllowed;
    private final Set<String> caseRoots = ConcurrentHashMap.newKeySet();

    SandboxGuard(String root, boolean malformedAllowed) {
        if (!root.startsWith("/") || root.equals("/") || root.endsWith("/")) {
            throw new IllegalArgumentException("a sandbox is a subtree below /, got " + root);
        }
        this.root = root;
        this.malformedAllowed = malformedAllowed;
    }

    String root() {
        return root;
    }

    /** From now on the engine may write at and below {@code caseRoot}, which must be below the sandbox. */
    void allow(String caseRoot) {
        if (!caseRoot.startsWith(root + "/") || caseRoot.endsWith("/")) {
            throw new IllegalArgumentException(caseRoot + " is not a subtree of the sandbox " + root);
        }
        caseRoots.add(caseRoot);
    }

    void revoke(String caseRoot) {
        caseRoots.remove(caseRoot);
    }

    /** @throws IllegalArgumentException when {@code request} may not be sent */
    void check(Request request) {
        Op op = request.op();
        if (FORBIDDEN.contains(op)) {
            throw refused(request, op + " is never sent to an external daemon");
        }
        if (request instanceof Request.Raw && !malformedAllowed) {
            throw refused(request, "malformed requests are sent to an external daemon only with --unsafe-requests");
        }
        if (!PATH_WRITES.contains(op)) {
            return;
        }
        String path = request instanceof Request.NodeRequest n ? n.path() : null;
        if (path == null) {
            throw refused(request, "a raw " + op + " cannot be checked against the sandbox");
        }
        if ((op == Op.RM || op == Op.SET_PERMS) && path.equals("/")) {
            throw refused(request, op + " on / is never sent to an external daemon");
        }
        for (String r : caseRoots) {
            if (path.equals(r) || path.startsWith(r + "/")) {
                return;
            }
        }
        throw refused(request, "it writes outside the case roots claimed in the sandbox " + root);
    }

    private static IllegalArgumentException refused(Request r, String why) {
        return new IllegalArgumentException("refused " + r + ": " + why);
    }
}
