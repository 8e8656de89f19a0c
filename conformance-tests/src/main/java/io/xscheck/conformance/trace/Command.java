package io.xscheck.conformance.trace;

import io.xscheck.protocol.Request;

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

    /** {@code introduce DOMID}: INTRODUCE, the harness picks mfn and port. */
    record Introduce(int domid) implements Command {
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
     * as a migration does. No target offers it yet (the QEMU front end's request is not written).
     */
    record Migrate() implements Command {
    }

    /** {@code events}: the watch events the connection received since its previous {@code events}. */
    record Events() implements Command {
    }
}
