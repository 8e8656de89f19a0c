package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Request;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The guest domids a trace names: its guest connections and its domain operations' arguments. */
final class GuestDomids {
    private GuestDomids() {
    }

    static Set<Integer> of(List<TraceLine> lines) {
        Set<Integer> out = new TreeSet<>();
        for (TraceLine line : lines) {
            if (line instanceof TraceLine.Conn c && c.guest()) {
                out.add(c.domid());
            } else if (line instanceof TraceLine.Step s) {
                Command c = s.command();
                if (c instanceof Command.Introduce i) {
                    out.add(i.domid());
                } else if (c instanceof Command.Kill k) {
                    out.add(k.domid());
                } else if (c instanceof Command.Send send) {
                    if (send.request() instanceof Request.Release r) {
                        out.add(r.domid());
                    } else if (send.request() instanceof Request.SetTarget t) {
                        out.add(t.domid());
                        out.add(t.target());
                    } else if (send.request() instanceof Request.Introduce i) {
                        out.add(i.domid());
                    }
                }
            }
        }
        out.removeIf(d -> d <= 0);
        return out;
    }
}
