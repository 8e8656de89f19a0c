package io.xscheck.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Requests as a server receives them. A frame decodes to a typed {@link Request} only when its
 * payload is exactly the canonical form of that op (docs/misc/xenstore.txt "Message formats";
 * the argument parsing of tools/xenstore/xenstored_core.c, xenstored_domain.c,
 * xenstored_transaction.c and xenstored_watch.c at RELEASE-4.17.7), so that re-encoding the typed
 * request gives back the very same bytes. Everything else becomes {@link Request.Raw} with every
 * byte kept: the daemons differ on lenient input (trailing bytes after the last NUL, numbers with
 * leading zeros, missing terminators), and the model must decide which error, if any, follows.
 */
public final class RequestCodec {
    private static final long DOMID_MAX = Integer.MAX_VALUE;

    private RequestCodec() {
    }

    /** The typed request, or {@link Request.Raw} for an unknown type or a non-canonical payload. */
    public static Request decode(Frame frame) {
        Request typed = Op.isKnown(frame.type()) ? typed(frame.type(), frame.payload()) : null;
        if (typed != null && typed.payload().equals(frame.payload())) {
            return typed;
        }
        return new Request.Raw(frame.type(), frame.payload());
    }

    /** The typed reading of the payload, or null when its shape does not fit the op. */
    private static Request typed(int type, Bytes p) {
        List<String> strings = strings(p);
        Op op = opOf(type);
        return switch (op) {
            case READ -> one(strings) == null ? null : new Request.Read(one(strings));
            case MKDIR -> one(strings) == null ? null : new Request.Mkdir(one(strings));
            case RM -> one(strings) == null ? null : new Request.Rm(one(strings));
            case DIRECTORY -> one(strings) == null ? null : new Request.Directory(one(strings));
            case GET_PERMS -> one(strings) == null ? null : new Request.GetPerms(one(strings));
            case WRITE -> write(p);
            case DIRECTORY_PART -> strings != null && strings.size() == 2
                    && number(strings.get(1)) >= 0
                    ? new Request.DirectoryPart(strings.get(0), number(strings.get(1))) : null;
            case SET_PERMS -> setPerms(strings);
            case WATCH -> strings != null && strings.size() == 2
                    ? new Request.Watch(strings.get(0), strings.get(1)) : null;
            case UNWATCH -> strings != null && strings.size() == 2
                    ? new Request.Unwatch(strings.get(0), strings.get(1)) : null;
            case TRANSACTION_START -> new Request.TransactionStart();
            case TRANSACTION_END -> "T".equals(one(strings)) || "F".equals(one(strings))
                    ? new Request.TransactionEnd("T".equals(one(strings))) : null;
            case INTRODUCE -> introduce(strings);
            case RELEASE -> domid(strings) < 0 ? null : new Request.Release((int) domid(strings));
            case GET_DOMAIN_PATH -> domid(strings) < 0 ? null : new Request.GetDomainPath((int) domid(strings));
            case IS_DOMAIN_INTRODUCED -> domid(strings) < 0 ? null
                    : new Request.IsDomainIntroduced((int) domid(strings));
            case RESUME -> domid(strings) < 0 ? null : new Request.Resume((int) domid(strings));
            case SET_TARGET -> strings != null && strings.size() == 2
                    && number(strings.get(0)) >= 0 && number(strings.get(1)) >= 0
                    ? new Request.SetTarget((int) number(strings.get(0)), (int) number(strings.get(1))) : null;
            case RESET_WATCHES -> new Request.ResetWatches();
            // do_control rejects an empty payload (no command) with EINVAL.
            case CONTROL -> strings != null && !strings.isEmpty() ? new Request.Control(strings) : null;
            case WATCH_EVENT, ERROR, INVALID -> null;
        };
    }

    private static Op opOf(int type) {
        try {
            return Op.fromWire(type);
        } catch (ProtocolException e) {
            return Op.INVALID;
        }
    }

    /** WRITE: the path up to the first NUL, the value is everything after it (do_write). */
    private static Request write(Bytes p) {
        int nul = Payloads.indexOfNul(p, 0);
        if (nul < 0) {
            return null;
        }
        return new Request.Write(Payloads.latin1(p, 0, nul), Payloads.slice(p, nul + 1, p.length()));
    }

    private static Request setPerms(List<String> strings) {
        if (strings == null || strings.size() < 2) {
            return null;
        }
        List<Perm> perms = new ArrayList<>(strings.size() - 1);
        for (String text : strings.subList(1, strings.size())) {
            try {
                perms.add(Perm.parse(text));
            } catch (ProtocolException e) {
                return null;
            }
        }
        return new Request.SetPerms(strings.get(0), perms);
    }

    private static Request introduce(List<String> strings) {
        if (strings == null || strings.size() != 3) {
            return null;
        }
        long domid = number(strings.get(0));
        long mfn = Numbers.parseCanonical(strings.get(1), Long.MAX_VALUE);
        long port = number(strings.get(2));
        if (domid < 0 || mfn < 0 || port < 0) {
            return null;
        }
        return new Request.Introduce((int) domid, mfn, (int) port);
    }

    /** The NUL-terminated strings, or null when bytes follow the last NUL. */
    private static List<String> strings(Bytes p) {
        try {
            return Payloads.terminatedStrings(p, "request");
        } catch (ProtocolException e) {
            return null;
        }
    }

    /** The single string of a one-argument payload ({@code onearg}), else null. */
    private static String one(List<String> strings) {
        return strings != null && strings.size() == 1 ? strings.get(0) : null;
    }

    private static long domid(List<String> strings) {
        String text = one(strings);
        return text == null ? -1 : number(text);
    }

    private static long number(String text) {
        return Numbers.parseCanonical(text, DOMID_MAX);
    }
}
