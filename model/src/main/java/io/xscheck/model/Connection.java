package io.xscheck.model;

import com.google.common.collect.ImmutableList;
import com.google.common.collect.ImmutableMap;

/**
 * One client connection: its domain (0 = a privileged dom0 socket), its watches in registration
 * order, its open transactions by model-assigned id, and the next id to hand out (per connection
 * from 1, like C and oxenstored; ids are opaque to the engine).
 */
public record Connection(int domid, ImmutableList<Watch> watches, ImmutableMap<Long, Transaction> transactions, long nextTxId) {

    public static Connection fresh(int domid) {
        return fresh(domid, 1);
    }

    /** A connection with no watches and no transactions whose next transaction gets {@code nextTxId}. */
    public static Connection fresh(int domid, long nextTxId) {
        return new Connection(domid, ImmutableList.of(), ImmutableMap.of(), nextTxId);
    }

    public Connection withWatches(ImmutableList<Watch> w) {
        return new Connection(domid, w, transactions, nextTxId);
    }

    public Connection withTransactions(ImmutableMap<Long, Transaction> t) {
        return new Connection(domid, watches, t, nextTxId);
    }

    public Connection withTransaction(Transaction t) {
        ImmutableMap.Builder<Long, Transaction> b = ImmutableMap.builder();
        transactions.forEach((id, x) -> {
            if (id != t.id()) {
                b.put(id, x);
            }
        });
        b.put(t.id(), t);
        return new Connection(domid, watches, b.buildOrThrow(), nextTxId);
    }

    public Connection withoutTransaction(long id) {
        ImmutableMap.Builder<Long, Transaction> b = ImmutableMap.builder();
        transactions.forEach((k, x) -> {
            if (k != id) {
                b.put(k, x);
            }
        });
        return new Connection(domid, watches, b.buildOrThrow(), nextTxId);
    }

    public Connection withNextTxId(long n) {
        return new Connection(domid, watches, transactions, n);
    }
}
