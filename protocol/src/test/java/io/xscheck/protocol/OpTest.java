package io.xscheck.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The numbers of enum xsd_sockmsg_type in xs_wire.h at RELEASE-4.17.7, typed out by hand. */
class OpTest {

    @Test
    void wireNumbersMatchXsWireH() throws ProtocolException {
        String[] names = {"CONTROL", "DIRECTORY", "READ", "GET_PERMS", "WATCH", "UNWATCH", "TRANSACTION_START",
            "TRANSACTION_END", "INTRODUCE", "RELEASE", "GET_DOMAIN_PATH", "WRITE", "MKDIR", "RM", "SET_PERMS",
            "WATCH_EVENT", "ERROR", "IS_DOMAIN_INTRODUCED", "RESUME", "SET_TARGET", null /* RESTRICT, removed */,
            "RESET_WATCHES", "DIRECTORY_PART"};
        for (int wire = 0; wire < names.length; wire++) {
            if (names[wire] != null) {
                assertEquals(names[wire], Op.fromWire(wire).name());
                assertEquals(wire, Op.valueOf(names[wire]).wire());
            }
        }
        assertEquals(Op.INVALID, Op.fromWire(0xffff));
        assertEquals(Op.CONTROL, Op.DEBUG);
        assertEquals(23, Op.values().length); // 22 named types (0-19, 21, 22) + INVALID
    }

    @ParameterizedTest
    @ValueSource(ints = {20, 23, 24, 26, 0xfffe, 0x10000, -1})
    void unknownNumbersAreAClearError(int wire) {
        ProtocolException e = assertThrows(ProtocolException.class, () -> Op.fromWire(wire));
        assertTrue(e.getMessage().contains(Integer.toUnsignedString(wire)), e.getMessage());
        assertFalse(Op.isKnown(wire));
        assertEquals(Integer.toUnsignedString(wire), Op.nameOf(wire));
    }
}
