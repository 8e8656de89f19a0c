package io.xscheck.model;

/**
 * Requests: malformed payloads and CONTROL. One row per dialect in {@link #of}; each
 * component names the behaviour it selects and cites its evidence.
 *
 * @param malformedPathGivesStaleErrno C: a single-path request whose payload is not exactly one string reaches
 *     get_node_canonicalized with a NULL name, which returns without setting errno, so the reply is whatever errno
 *     an earlier call left (xenstored_core.c onearg, get_node_canonicalized; probes differential/rep-
 *     cxenstored-5.trace, rep-cxenstored-4.trace: READ "/local/domain/N\\0extra\\0" answered ENOENT for dom0 and
 *     EACCES for a guest; after a write refused by the size quota, ENOSPC). The model allows EINVAL, ENOENT, EACCES
 *     and ENOSPC. core.c canonicalize sets errno = EINVAL before returning NULL for a missing name (f174147e63,
 *     4.18), so a single-path request without exactly one string is EINVAL; probe versions/c-malformed-path.trace.
 * @param extraPayloadStringsIgnored QEMU: a single-path request whose NUL-terminated payload holds more strings
 *     uses the first, and WATCH/UNWATCH ignore what follows the token, a missing token being empty (xen_xenstore.c
 *     request handlers; probe qemu-xenstore-impl.txt "d0 WATCH with trailing garbage" -> OK, "SET_PERMS /a n0 +
 *     trailing unterminated 'r1'" -> OK); C and oxenstored say EINVAL.
 * @param unknownControlCommandIsOk oxenstored answers an unknown CONTROL (DEBUG) command with OK (process.ml
 *     do_debug); C answers EINVAL (xenstored_control.c do_control). QEMU refuses CONTROL altogether (EACCES).
 * @param unprivilegedControlIsOk oxenstored's do_debug checks the caller itself and answers an unprivileged
 *     CONTROL (DEBUG) with a bare ack, doing nothing (process.ml do_debug: {@code if not (Connection.is_dom0 con) &&
 *     not !allow_debug then None}; 4.17.7 and 4.20.4); C refuses it before the handler (xenstored_core.c
 *     process_message, XS_FLAG_PRIV): EACCES. Probe differential/control-guest-ox.trace.
 * @param controlCompactAndTrim oxenstored 4.18+: CONTROL {@code compact} answers {@code "Compacted"} and
 *     {@code trim} answers {@code "trimmed"}, both without a NUL, and {@code txn DOMID} prints transactions
 *     (process.ml do_debug, 0742b0a081 "tools/oxenstored: Additional debugging commands"); before, all three are
 *     unknown commands (OK). Probe oxenstored-4.20.4-probes.txt, versions/ox-control-compact.trace: 4.17.7
 *     answers OK, 4.20.4 "Compacted".
 */
public record RequestKnobs(
        boolean malformedPathGivesStaleErrno,
        boolean extraPayloadStringsIgnored,
        boolean unknownControlCommandIsOk,
        boolean unprivilegedControlIsOk,
        boolean controlCompactAndTrim) {

    /** The row of one dialect (a name of {@link Dialect#names()}). */
    static RequestKnobs of(String dialect) {
        return switch (dialect) {
            //                                               stale errno extra ignored unknown OK guest's OK compact/trim
            case Dialect.SPEC ->            new RequestKnobs(false,       false,         false,     false,     false);
            case Dialect.CXENSTORED ->      new RequestKnobs(true,        false,         false,     false,     false);
            case Dialect.OXENSTORED ->      new RequestKnobs(false,       false,         true,      true,      false);
            case Dialect.QEMU ->            new RequestKnobs(false,       true,          false,     false,     false);
            case Dialect.CXENSTORED_420 ->  new RequestKnobs(false,       false,         false,     false,     false);
            case Dialect.OXENSTORED_420 ->  new RequestKnobs(false,       false,         true,      true,      true);
            default -> throw new IllegalArgumentException("unknown dialect '" + dialect + "'");
        };
    }
}
