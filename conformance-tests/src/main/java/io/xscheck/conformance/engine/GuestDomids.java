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

    /**
     * The guest domids of the trace's connections that no domain operation names (no introduce,
     * kill, release, resume or set-target, as either party): their domains are as the connection's
     * declaration left them, so a reset may keep them (see {@code Sut.reset(Set, Set)}).
     */
    static Set<Integer> untouched(List<TraceLine> lines) {
        Set<Integer> out = new TreeSet<>();
        for (TraceLine line : lines) {
            if (line instanceof TraceLine.Conn c && c.guest()) {
                out.add(c.domid());
            }
        }
        Set<Integer> conns = Set.copyOf(out);
        Set<Integer> named = of(lines.stream().filter(l -> !(l instanceof TraceLine.Conn)).toList());
        out.removeAll(named);
        out.retainAll(conns);
        return out;
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
                    } else if (send.request() instanceof Request.Resume r) {
                        out.add(r.domid()); // clears a shutdown flag: no kept domain should carry a case's RESUME
                    }
                }
            }
        }
        out.removeIf(d -> d <= 0);
        return out;
    }
}
