package io.xscheck.protocol;

/**
 * One entry of a node's permission list as xs_wire spells it: a letter and a domid, {@code r5}.
 * In a list, the first entry names the owner and the access of every domain not listed after it
 * (docs/misc/xenstore.txt, "Permissions").
 */
public record Perm(Access access, int domid) {

    /** The four letters of xenstore.txt: none, read, write, both. */
    public enum Access {
        NONE('n'), READ('r'), WRITE('w'), BOTH('b');

        private final char letter;

        Access(char letter) {
            this.letter = letter;
        }

        public char letter() {
            return letter;
        }

        public boolean canRead() {
            return this == READ || this == BOTH;
        }

        public boolean canWrite() {
            return this == WRITE || this == BOTH;
        }

        public static Access ofLetter(char c) {
            for (Access a : values()) {
                if (a.letter == c) {
                    return a;
                }
            }
            return null;
        }
    }

    public Perm {
        if (access == null) {
            throw new IllegalArgumentException("access is required");
        }
        if (domid < 0) {
            throw new IllegalArgumentException("domid must not be negative: " + domid);
        }
    }

    public static Perm none(int domid) {
        return new Perm(Access.NONE, domid);
    }

    public static Perm read(int domid) {
        return new Perm(Access.READ, domid);
    }

    public static Perm write(int domid) {
        return new Perm(Access.WRITE, domid);
    }

    public static Perm both(int domid) {
        return new Perm(Access.BOTH, domid);
    }

    /**
     * Parses the decimal form every 4.17 daemon prints ({@code %c%u}): one letter of {@code nrwb}
     * and a decimal domid.
     *
     * @throws ProtocolException when the text is not of that form
     */
    public static Perm parse(String text) throws ProtocolException {
        if (text.length() < 2) {
            throw new ProtocolException("permission '" + text + "' is not a letter and a domid", 0);
        }
        Access access = Access.ofLetter(text.charAt(0));
        if (access == null) {
            throw new ProtocolException("permission '" + text + "' has letter '" + text.charAt(0)
                    + "', not one of n r w b", 0);
        }
        long id = 0;
        for (int i = 1; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9' || i > 10) {
                throw new ProtocolException("permission '" + text + "' has a bad domid", i);
            }
            id = id * 10 + (c - '0');
        }
        if (id > Integer.MAX_VALUE) {
            throw new ProtocolException("permission '" + text + "' has a domid out of range", 1);
        }
        return new Perm(access, (int) id);
    }

    /** The wire text, {@code r5}. */
    @Override
    public String toString() {
        return access.letter + Integer.toString(domid);
    }
}
