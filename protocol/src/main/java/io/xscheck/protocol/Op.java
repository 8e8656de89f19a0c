package io.xscheck.protocol;

/**
 * Every message type of {@code enum xsd_sockmsg_type} in Xen 4.17's
 * {@code xen/include/public/io/xs_wire.h} (tag RELEASE-4.17.7), with its wire number.
 * Number 20 (XS_RESTRICT) was removed upstream and has no constant here; it decodes as unknown.
 */
public enum Op {
    CONTROL(0),
    DIRECTORY(1),
    READ(2),
    GET_PERMS(3),
    WATCH(4),
    UNWATCH(5),
    TRANSACTION_START(6),
    TRANSACTION_END(7),
    INTRODUCE(8),
    RELEASE(9),
    GET_DOMAIN_PATH(10),
    WRITE(11),
    MKDIR(12),
    RM(13),
    SET_PERMS(14),
    WATCH_EVENT(15),
    ERROR(16),
    IS_DOMAIN_INTRODUCED(17),
    RESUME(18),
    SET_TARGET(19),
    RESET_WATCHES(21),
    DIRECTORY_PART(22),
    /** XS_INVALID: "guaranteed to remain an invalid type"; daemons answer it with ENOSYS. */
    INVALID(0xffff);

    /** XS_DEBUG is an alias of XS_CONTROL in xs_wire.h. */
    public static final Op DEBUG = CONTROL;

    private static final Op[] BY_WIRE = new Op[DIRECTORY_PART.wire + 1];

    static {
        for (Op op : values()) {
            if (op.wire < BY_WIRE.length) {
                BY_WIRE[op.wire] = op;
            }
        }
    }

    private final int wire;

    Op(int wire) {
        this.wire = wire;
    }

    /** The value of the header's {@code type} field. */
    public int wire() {
        return wire;
    }

    /** True when the wire number names a type that xs_wire.h 4.17 defines. */
    public static boolean isKnown(int wire) {
        return (wire >= 0 && wire < BY_WIRE.length && BY_WIRE[wire] != null) || wire == INVALID.wire;
    }

    /** The constant's name for a known wire number, else the number in decimal (for messages). */
    public static String nameOf(int wire) {
        return isKnown(wire) ? (wire == INVALID.wire ? INVALID.name() : BY_WIRE[wire].name())
                : Integer.toUnsignedString(wire);
    }

    /**
     * The type for a wire number.
     *
     * @throws ProtocolException naming the number when xs_wire.h 4.17 defines no such type
     */
    public static Op fromWire(int wire) throws ProtocolException {
        if (wire >= 0 && wire < BY_WIRE.length && BY_WIRE[wire] != null) {
            return BY_WIRE[wire];
        }
        if (wire == INVALID.wire) {
            return INVALID;
        }
        throw new ProtocolException("unknown message type " + Integer.toUnsignedString(wire)
                + " (xs_wire.h 4.17 defines 0-19, 21, 22 and 65535)", 0);
    }
}
