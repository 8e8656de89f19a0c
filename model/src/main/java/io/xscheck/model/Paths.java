package io.xscheck.model;

import io.xscheck.protocol.XsError;

/**
 * <h2>Paths</h2>
 * A node path is absolute ({@code /a/b}) or relative to the connection's home
 * {@code /local/domain/<domid>} — dom0 sockets included, although xenstore.txt reserves relative
 * paths to domains (C get_implicit_path, oxenstored Connection.get_path). Names use
 * {@code [A-Za-z0-9_@-]}; no empty path, no {@code //}, no trailing {@code /} except the root.
 * {@code @introduceDomain} and {@code @releaseDomain} name events, not nodes.
 *
 * <p>Where the dialects differ: QEMU forbids {@code @} and ignores a trailing slash; oxenstored
 * reads {@code @x} as the root child {@code /@x}; the length limit is 2048 (C) or 1024
 * (oxenstored) for the part after {@code /local/domain/N/}, 3072 absolute / 2048 relative in QEMU
 * with E2BIG instead of EINVAL.
 */
final class Paths {
    private Paths() {
    }

    static final String DOMAIN_PREFIX = "/local/domain/";

    static String parent(String path) {
        int i = path.lastIndexOf('/');
        return i <= 0 ? "/" : path.substring(0, i);
    }

    static String basename(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    static String child(String parent, String name) {
        return parent.equals("/") ? "/" + name : parent + "/" + name;
    }

    /** True when {@code path} is {@code ancestor} or below it ("/" is above everything). */
    static boolean isAtOrBelow(String path, String ancestor) {
        if (ancestor.equals("/")) {
            return path.startsWith("/");
        }
        return path.equals(ancestor) || (path.startsWith(ancestor) && path.charAt(ancestor.length()) == '/');
    }

    /** The canonical absolute path of a node path given by {@code caller}, or a {@link Refusal}. */
    static String resolveNode(Dialect d, Caller caller, String given) {
        return resolve(d, caller, given, true);
    }

    private static String resolve(Dialect d, Caller caller, String given, boolean limitLength) {
        if (given.isEmpty()) {
            // xenstore.txt "Paths": a path is non-empty; C is_valid_nodename, oxenstored path_validate, QEMU probe.
            throw new Refusal(XsError.EINVAL, Rule.PATHS_EMPTY);
        }
        if (given.charAt(0) == '@') {
            if (d.paths().specialPathsAreNodes()) {
                // oxenstored store.ml Path.of_string: "@x" is the single root child "@x".
                if (limitLength) {
                    checkLength(d, "/" + given, false, given);
                }
                checkChars(d, given);
                return "/" + given;
            }
            // C: not "/"-rooted -> is_valid_nodename false; QEMU: '@' not a valid char (probe qemu-xenstore-impl.txt).
            throw new Refusal(XsError.EINVAL, Rule.PATHS_SPECIAL_NAME_IS_NOT_A_NODE);
        }
        boolean relative = given.charAt(0) != '/';
        String path = relative ? caller.home() + "/" + given : given;
        if (limitLength && !lengthUnlimitedFor(d, caller)) {
            checkLength(d, path, relative, given);
        }
        if (path.length() > 1 && path.endsWith("/")) {
            if (!d.paths().trailingSlashIgnored()) {
                // C is_valid_nodename "Cannot end in /"; oxenstored: empty last name is invalid.
                throw new Refusal(XsError.EINVAL, Rule.PATHS_TRAILING_SLASH);
            }
            // QEMU validate_path checks path[len] (the NUL), so "/a/" passes and names "/a" (probe qemu-xenstore-impl.txt).
            path = path.substring(0, path.length() - 1);
        }
        if (path.contains("//")) {
            // C is_valid_nodename "No double //"; oxenstored empty name; QEMU probe qemu-xenstore-impl.txt.
            throw new Refusal(XsError.EINVAL, Rule.PATHS_DOUBLE_SLASH);
        }
        checkChars(d, path);
        return path;
    }

    /** A watch path: a node path, or a special "@name" where the dialect has special watches. */
    static String resolveWatch(Dialect d, Caller caller, String given) {
        if (!given.isEmpty() && given.charAt(0) == '@') {
            if (!d.paths().specialWatchesSupported()) {
                // QEMU: '@' is not a valid path char, so special watches are EINVAL (probe qemu-xenstore-impl.txt).
                throw new Refusal(XsError.EINVAL, Rule.PATHS_NO_SPECIAL_WATCHES);
            }
            // C check_watch_path: "@..." is taken as given, at most XENSTORE_REL_PATH_MAX (probe: WATCH @foo OK).
            if (!d.paths().watchPathLengthUnchecked() && !lengthUnlimitedFor(d, caller) && given.length() > 2048) {
                throw new Refusal(XsError.EINVAL, Rule.PATHS_TOO_LONG);
            }
            return given;
        }
        return resolve(d, caller, given, !d.paths().watchPathLengthUnchecked());
    }

    /** C 4.18+ canonicalize: domain_max_chk(ACC_PATHLEN) never refuses dom0 (Dialect#privilegedPathLengthUnlimited). */
    private static boolean lengthUnlimitedFor(Dialect d, Caller caller) {
        return d.paths().privilegedPathLengthUnlimited() && caller.privileged();
    }

    private static void checkLength(Dialect d, String path, boolean relative, String given) {
        if (d.paths().pathLengthRule() == PathKnobs.PathLengthRule.ABSOLUTE_AND_RELATIVE) {
            int limit = relative ? d.paths().relativePathLimit() : d.paths().pathLengthLimit();
            // QEMU xenstore_impl.c validate_path: abs > XENSTORE_ABS_PATH_MAX, rel > XENSTORE_REL_PATH_MAX (probe qemu-xenstore-impl.txt: 3073 -> E2BIG).
            if (given.length() > limit) {
                throw new Refusal(d.paths().pathTooLongError(), Rule.PATHS_TOO_LONG);
            }
            return;
        }
        // C is_valid_nodename / oxenstored path_validate: measure after "/local/domain/N/" if present.
        int offset = domainPrefixLength(path);
        if (path.length() - offset > d.paths().pathLengthLimit()) {
            throw new Refusal(d.paths().pathTooLongError(), Rule.PATHS_TOO_LONG);
        }
    }

    /** Length of a leading "/local/domain/<digits>/", else 0 (C sscanf "/local/domain/%5u/%n"). */
    static int domainPrefixLength(String path) {
        if (!path.startsWith(DOMAIN_PREFIX)) {
            return 0;
        }
        int i = DOMAIN_PREFIX.length();
        int start = i;
        while (i < path.length() && Character.isDigit(path.charAt(i)) && i - start < 5) {
            i++;
        }
        if (i == start || i >= path.length() || path.charAt(i) != '/') {
            return 0;
        }
        return i + 1;
    }

    private static void checkChars(Dialect d, String path) {
        boolean atAllowed = d.paths().specialWatchesSupported();
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '_' || c == '-' || c == '/' || (c == '@' && atAllowed);
            if (!ok) {
                // C valid_chars, oxenstored Path.char_is_valid: [A-Za-z0-9_@/-]; QEMU without '@'.
                throw new Refusal(XsError.EINVAL, Rule.PATHS_BAD_CHARACTER);
            }
        }
    }

    /** The path a watch reports: relative watches see paths relative to the home (xenstore.txt "WATCH"). */
    static String reported(Watch w, String home, String changed) {
        if (w.relative() && changed.startsWith(home + "/")) {
            return changed.substring(home.length() + 1);
        }
        return changed;
    }
}
