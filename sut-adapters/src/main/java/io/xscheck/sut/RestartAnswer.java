package io.xscheck.sut;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;

/** What a restart's answer to the client says: whether it went ahead. */
public final class RestartAnswer {
    private RestartAnswer() {
    }

    /**
     * "OK", with its NUL (C xenstored's live update, QEMU's migration) or without (oxenstored's live update, kept as raw
     * bytes); anything else (oxenstored's BUSY, C's refusal text, an error) is an update that did not go ahead.
     */
    public static boolean wentAhead(Reply r) {
        return r instanceof Reply.Ok || r instanceof Reply.Text t && t.text().equals("OK")
                || r instanceof Reply.Value v && v.value().equals(Bytes.latin1("OK"));
    }
}
