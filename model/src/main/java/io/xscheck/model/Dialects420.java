package io.xscheck.model;

import com.google.common.collect.ImmutableMap;
import io.xscheck.protocol.Bytes;

/**
 * The Xen 4.20 dialects, {@code cxenstored-4.20} and {@code oxenstored-4.20}: each is its 4.17 row
 * ({@link Dialect}) with only the differences a probe of Debian trixie's 4.20.4 daemons
 * (model/src/test/resources/probes/) or a reading of the daemon sources at RELEASE-4.20.x showed.
 * Every other knob keeps its 4.17 value and evidence.
 */
final class Dialects420 {

    private Dialects420() {
    }

    static Dialect cxenstored(Dialect.Builder b) {
        b.name = Dialect.CXENSTORED_420;
        // tools/xenstored/core.c (RELEASE-4.20.4) do_get_perms/do_set_perms: get_node(..., allow_special = true),
        // since 154054ea10 and d6bb63924f (4.18); probe cxenstored-4.20.4-probes.txt, versions/c-special-nodes.trace:
        // GET_PERMS @introduceDomain -> n0, a guest EACCES, @foo ENOENT; SET_PERMS fires the watches on the name and /;
        // versions/c-special-in-transaction.trace: a refused one in a transaction reads "/" (commit EAGAIN).
        b.specialNamesArePermNodes = true;
        // do_set_perms returns get_node's errno, which canonicalize and get_node_chk_perm always set (no stale errno).
        b.specialSetPermsFailureGivesStaleErrno = false;
        // core.c canonicalize: domain_max_chk(conn, ACC_PATHLEN, ...) refuses only unprivileged connections
        // (domain.c domain_max_chk; 564a093c20); probe versions/c-dom0-long-path.trace: 2160 characters -> OK.
        b.privilegedPathLengthUnlimited = true;
        // watch.c do_unwatch: canonicalize(conn, ctx, vec[0], true), the check WATCH makes (check_watch_path);
        // probe versions/c-unwatch-checks-path.trace: UNWATCH /x/ -> EINVAL (4.17 canonicalized without checking: ENOENT).
        b.unwatchChecksPath = true;
        // core.c canonicalize sets errno = EINVAL before returning NULL for a missing name (f174147e63, 4.18),
        // so a single-path request without exactly one string is EINVAL; probe versions/c-malformed-path.trace.
        b.malformedPathGivesStaleErrno = false;
        // dom0's memory figure (XS_CONTROL quota 0) grows by 26 at the first live update, not 34 (probe
        // live-update-quota.txt, section cxenstored-4.20: 219, 245, 245); the rest of the restart as 4.17.
        RestartKnobs k = b.restartKnobs;
        b.restartKnobs = new RestartKnobs(k.liveUpdate(), k.transactionIdsRestart(), k.targetHoldsUpdateBack(),
                k.migration(), k.afterRestart(), 26);
        return b.build();
    }

    static Dialect oxenstored(Dialect.Builder b) {
        b.name = Dialect.OXENSTORED_420;
        // xenstored.ml writes /tool/xenstored = Sys.executable_name: Debian trixie installs it in
        // /usr/lib/xen-4.20/bin (our private copy is seen there through the shim's path map).
        b.initialNodes = ImmutableMap.of("/local", Bytes.EMPTY, "/@introduceDomain", Bytes.EMPTY,
                "/@releaseDomain", Bytes.EMPTY, "/tool", Bytes.EMPTY,
                "/tool/xenstored", Bytes.latin1("/usr/lib/xen-4.20/bin/oxenstored"));
        // process.ml do_debug (RELEASE-4.20.4): "compact" -> Some "Compacted", "trim" -> Some "trimmed" (0742b0a081,
        // 4.18); probe versions/ox-control-compact.trace: 4.17.7 answers OK (an unknown command), 4.20.4 "Compacted".
        b.controlCompactAndTrim = true;
        return b.build();
    }
}
