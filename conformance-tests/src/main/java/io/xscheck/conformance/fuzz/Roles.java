package io.xscheck.conformance.fuzz;

import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;

import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who is who in a robustness trace: a connection that takes any step is an attacker (its own
 * connection may be dropped, its own requests may go unanswered); a declared connection that takes
 * none is a bystander, which must keep being served.
 */
public final class Roles {

    private Roles() {
    }

    public static Set<String> attackers(Trace trace) {
        Set<String> out = new LinkedHashSet<>();
        trace.steps().forEach(s -> out.add(s.conn()));
        return out;
    }

    public static Set<String> bystanders(Trace trace) {
        Set<String> out = new LinkedHashSet<>();
        Set<String> attackers = attackers(trace);
        for (TraceLine.Conn c : trace.conns()) {
            if (!attackers.contains(c.name())) {
                out.add(c.name());
            }
        }
        return out;
    }

    /** True when every attacker speaks as a guest: what the trace shows an unprivileged guest can do. */
    public static boolean guestOnly(Trace trace) {
        Set<String> attackers = attackers(trace);
        return !attackers.isEmpty() && trace.conns().stream()
                .filter(c -> attackers.contains(c.name())).allMatch(TraceLine.Conn::guest);
    }
}
