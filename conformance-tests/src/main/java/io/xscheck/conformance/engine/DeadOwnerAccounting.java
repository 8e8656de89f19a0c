package io.xscheck.conformance.engine;

import io.xscheck.model.DomainStructs;
import io.xscheck.model.ModelState;
import io.xscheck.model.Node;
import io.xscheck.model.Transaction;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;

/**
 * A known C 4.18+ bug, named: in a transaction whose copy of a node still names as its owner a domain that is gone
 * (the copy was taken before the domain died or was released; outside the transaction the node went with it), the
 * node accounting of a SET_PERMS (for the old owner) or of an RM (for every node of the subtree) finds no
 * {@code struct domain}, logs "corruption detected ... Missing domain N" and fails the request: SET_PERMS ENOMEM
 * (tools/xenstored/core.c do_set_perms: {@code if (domain_nbentry_dec(conn, get_node_owner(node))) return ENOMEM;},
 * added for 4.18), RM EIO (delnode_sub, then rm_node's corrupt()). C 4.17 ignores the accounting's result and does
 * what the model does. Seen by the 4.20 gate at seeds 77505 (SET_PERMS), 78003 (RM) and 79026 (SET_PERMS of a special
 * node whose ACL the transaction had given to the domain); probe
 * versions/c-tx-setperms-dead-owner.trace (model/src/test/resources/probes/cxenstored-4.20.4-probes.txt).
 */
final class DeadOwnerAccounting {
    static final String SIGNATURE = "kind:accounting-of-a-transaction's-node-whose-owner-is-gone";

    private DeadOwnerAccounting() {
    }

    /**
     * Whether the target's answer to {@code request}, run in transaction {@code tx}, is this bug's: the model allowed
     * OK, the target refused as C's accounting does, and the node (for RM, a node of its subtree) is owned, as the
     * transaction sees it, by a domain C holds no struct for in {@code state}. C's transaction sees a node as it first
     * accessed it, with its own changes, and any other node as the main tree has it.
     */
    static boolean matches(Request request, boolean modelSaidOk, Reply actual, Transaction tx, ModelState state) {
        if (!modelSaidOk || !(actual instanceof Reply.Error e)) {
            return false;
        }
        if (request instanceof Request.SetPerms sp && e.name().equals("ENOMEM")) {
            if (sp.path().startsWith("@")) {
                // a special node's ACL the transaction set, to a domain gone since (4.20 gate seed 79026: A@T1 setperms
                // @introduceDomain n2 w3, A kill 2, A@T1 setperms @introduceDomain n0 -> ENOMEM, "Missing domain 2")
                java.util.List<io.xscheck.protocol.Perm> acl = tx.specialAcls().containsKey(sp.path())
                        ? tx.specialAcls().get(sp.path()) : state.specialAcls().get(sp.path());
                return acl != null && !acl.isEmpty() && !DomainStructs.hasStruct(state, acl.get(0).domid());
            }
            return ownerGone(seen(sp.path(), tx, state), state);
        }
        if (request instanceof Request.Rm rm && e.name().equals("EIO")) {
            java.util.Set<String> paths = new java.util.HashSet<>();
            tx.accessed().forEach((p, a) -> paths.add(p));
            paths.addAll(state.tree().paths());
            return paths.stream().filter(p -> TreeCheck.under(p, rm.path()))
                    .anyMatch(p -> ownerGone(seen(p, tx, state), state));
        }
        return false;
    }

    private static Node seen(String path, Transaction tx, ModelState state) {
        Transaction.Accessed a = tx.accessed().get(path);
        return a != null ? a.node().orElse(null) : state.tree().node(path);
    }

    private static boolean ownerGone(Node n, ModelState state) {
        return n != null && !DomainStructs.hasStruct(state, n.owner());
    }
}
