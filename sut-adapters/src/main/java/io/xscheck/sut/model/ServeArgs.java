package io.xscheck.sut.model;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of {@code ./xscheck serve}: {@code --dialect NAME --socket PATH
 * [--guest DOMID:PATH]...}.
 *
 * @param guests guest domid to the socket whose connections speak as that domain, in given order
 */
record ServeArgs(String dialect, Path socket, Map<Integer, Path> guests) {

    static final String USAGE = "usage: xscheck serve --dialect NAME --socket PATH [--guest DOMID:PATH]...\n"
            + "  serves the reference model over xs_wire: connections to --socket are dom0 (privileged),\n"
            + "  connections to a --guest socket speak as that guest domain. Stop it with Ctrl-C.";

    ServeArgs {
        guests = Map.copyOf(guests);
    }

    /** @throws IllegalArgumentException with a message fit for the user */
    static ServeArgs parse(List<String> args) {
        String dialect = null;
        Path socket = null;
        Map<Integer, Path> guests = new LinkedHashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String flag = args.get(i);
            if (!List.of("--dialect", "--socket", "--guest").contains(flag)) {
                throw new IllegalArgumentException("unknown argument '" + flag + "'");
            }
            if (i + 1 >= args.size()) {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            String value = args.get(++i);
            switch (flag) {
                case "--dialect" -> dialect = once(dialect, value, flag);
                case "--socket" -> socket = Path.of(once(socket == null ? null : socket.toString(), value, flag));
                default -> addGuest(guests, value);
            }
        }
        if (dialect == null || socket == null) {
            throw new IllegalArgumentException("--dialect and --socket are required");
        }
        if (guests.containsValue(socket)) {
            throw new IllegalArgumentException("socket " + socket + " is given twice");
        }
        return new ServeArgs(dialect, socket, guests);
    }

    private static String once(String old, String value, String flag) {
        if (old != null) {
            throw new IllegalArgumentException(flag + " is given twice");
        }
        return value;
    }

    private static void addGuest(Map<Integer, Path> guests, String value) {
        int colon = value.indexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new IllegalArgumentException("--guest wants DOMID:PATH, got '" + value + "'");
        }
        int domid;
        try {
            domid = Integer.parseInt(value.substring(0, colon));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--guest domid '" + value.substring(0, colon) + "' is not a number");
        }
        if (domid <= 0 || domid >= 0x7ff0) {
            throw new IllegalArgumentException("--guest domid must be 1..32751, got " + domid);
        }
        Path path = Path.of(value.substring(colon + 1));
        if (guests.containsValue(path)) {
            throw new IllegalArgumentException("socket " + path + " is given twice");
        }
        if (guests.put(domid, path) != null) {
            throw new IllegalArgumentException("--guest " + domid + " is given twice");
        }
    }
}
