package io.xscheck.model;

/**
 * A registered watch: the path as the client gave it, its token, and the canonical path it
 * matches (absolute, or a special "@name"). A relative watch reports event paths relative to the
 * connection's home (xenstore.txt "WATCH").
 */
public record Watch(String given, String token, String canonical, boolean relative) {
    public boolean isSpecial() {
        return canonical.startsWith("@");
    }
}
