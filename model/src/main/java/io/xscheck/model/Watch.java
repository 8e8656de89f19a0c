package io.xscheck.model;

/**
 * A registered watch: the path as the client gave it, its token, and the canonical path it
 * matches (absolute, or a special "@name"). A relative watch reports event paths relative to the
 * connection's home (xenstore.txt "WATCH"). {@code serial} orders registrations across every
 * connection (later is larger), which QEMU's UNWATCH depends on.
 */
public record Watch(String given, String token, String canonical, boolean relative, long serial) {
    public Watch(String given, String token, String canonical, boolean relative) {
        this(given, token, canonical, relative, 0);
    }

    public boolean isSpecial() {
        return canonical.startsWith("@");
    }
}
