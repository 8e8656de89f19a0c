package io.xscheck.conformance.engine;

import java.util.HashMap;
import java.util.Map;

/**
 * Binds a trace's transaction names to one side's ids. Each side (the model, every target) has its
 * own binding; a name never bound maps to an id no side hands out, so using it fails the same way
 * on every side.
 */
final class TxNames {
    /** Outside the ids daemons hand out early in a run (C and oxenstored count from 1, QEMU from 1). */
    static final long UNBOUND = 0x7fff_fff0L;

    private final Map<String, Long> ids = new HashMap<>();

    long id(String name) {
        return ids.getOrDefault(name, UNBOUND);
    }

    void bind(String name, long id) {
        ids.put(name, id);
    }

    /** Every name bound so far, with its id. */
    Map<String, Long> bound() {
        return java.util.Collections.unmodifiableMap(ids);
    }
}
