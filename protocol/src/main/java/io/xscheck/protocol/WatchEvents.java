package io.xscheck.protocol;

import java.util.List;

/**
 * XS_WATCH_EVENT frames: type WATCH_EVENT, req_id 0, tx_id 0, payload {@code path\0token\0}
 * (send_event in tools/xenstore/xenstored_core.c, RELEASE-4.17.7).
 */
public final class WatchEvents {
    private WatchEvents() {
    }

    /**
     * The event a WATCH_EVENT frame carries.
     *
     * @throws ProtocolException when the frame is another type or the payload is not exactly two
     *     NUL-terminated strings
     */
    public static WatchEvent decode(Frame frame) throws ProtocolException {
        if (!frame.is(Op.WATCH_EVENT)) {
            throw new ProtocolException("frame " + frame + " is not a WATCH_EVENT", 0);
        }
        List<String> parts = Payloads.terminatedStrings(frame.payload(), "WATCH_EVENT");
        if (parts.size() != 2) {
            throw new ProtocolException("WATCH_EVENT payload " + frame.payload().quoted() + " holds "
                    + parts.size() + " NUL-terminated strings, expected path and token", 0);
        }
        return new WatchEvent(parts.get(0), parts.get(1));
    }

    /** The frame a server sends for {@code event}. */
    public static Frame encode(WatchEvent event) {
        return Frame.of(Op.WATCH_EVENT, 0, 0, Payloads.strings(event.path(), event.token()));
    }
}
