package io.xscheck.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Payloads a daemon may still accept or reject in its own way stay {@link Request.Raw}, byte for
 * byte, so the model decides: non-canonical numbers (C atoi vs OCaml int_of_string), bytes after
 * the last NUL (ignored by C get_strings), missing terminators (C onearg rejects them).
 */
class RequestCodecTest {

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
        "READ; 2f 61 — no terminator",
        "READ; 2f 61 00 2f 62 00 — two strings where onearg wants one",
        "READ; 2f 61 00 78 — bytes after the NUL",
        "READ; '' — empty payload",
        "WRITE; 2f 61 — no NUL between path and value",
        "WATCH; 2f 61 00 74 00 78 — trailing bytes after the token",
        "WATCH; 2f 61 00 — token missing",
        "WATCH; 2f 61 00 74 00 75 00 — three strings",
        "TRANSACTION_START; '' — empty instead of a single NUL",
        "TRANSACTION_START; 78 00 — an argument",
        "TRANSACTION_END; 74 00 — lower-case t",
        "TRANSACTION_END; 54 — T without terminator",
        "RELEASE; 30 30 37 00 — leading zeros",
        "RELEASE; 2d 31 00 — negative",
        "RELEASE; 30 78 31 30 00 — hex, which int_of_string reads and atoi does not",
        "RELEASE; 20 35 00 — leading space",
        "GET_DOMAIN_PATH; 00 — empty domid",
        "IS_DOMAIN_INTRODUCED; 39 39 39 39 39 39 39 39 39 39 39 00 — beyond int",
        "INTRODUCE; 31 00 32 00 — port missing",
        "INTRODUCE; 31 00 32 00 33 00 34 00 — four strings",
        "SET_TARGET; 31 00 — target missing",
        "SET_PERMS; 2f 61 00 — no permission",
        "SET_PERMS; 2f 61 00 71 35 00 — unknown letter q",
        "SET_PERMS; 2f 61 00 72 00 — no domid",
        "SET_PERMS; 2f 61 00 72 30 35 00 — leading zero in domid",
        "SET_PERMS; 2f 61 00 72 35 00 78 — bytes after the last NUL",
        "DIRECTORY_PART; 2f 61 00 — offset missing",
        "DIRECTORY_PART; 2f 61 00 2d 31 00 — negative offset",
        "RESET_WATCHES; '' — empty instead of a single NUL",
        "CONTROL; '' — no command",
        "CONTROL; 6c 6f 67 — unterminated command",
        "WATCH_EVENT; 2f 61 00 74 00 — clients may not send events",
        "ERROR; 45 49 4e 56 41 4c 00 — clients may not send errors",
    })
    void nonCanonicalPayloadsStayRaw(String op, String hexAndWhy) throws ProtocolException {
        String hex = hexAndWhy.substring(0, hexAndWhy.indexOf('—')).replace("''", "").trim();
        Bytes payload = Bytes.of(Hex.bytes(hex));
        Frame frame = Frame.of(Op.valueOf(op), 1, 0, payload);
        Request request = RequestCodec.decode(frame);
        Request.Raw raw = assertInstanceOf(Request.Raw.class, request, hexAndWhy);
        assertEquals(Op.valueOf(op), raw.op());
        assertEquals(payload, raw.payload());
        assertEquals(Op.valueOf(op).wire(), raw.type());
    }

    @ParameterizedTest(name = "type {0}")
    @CsvSource({"20", "23", "26", "65534", "-1"})
    void unknownTypesStayRawWithTheirNumber(int type) {
        Request request = RequestCodec.decode(new Frame(type, 1, 0, Payloads.strings("x")));
        Request.Raw raw = assertInstanceOf(Request.Raw.class, request);
        assertEquals(type, raw.type());
        assertEquals(Op.INVALID, raw.op());
    }
}
