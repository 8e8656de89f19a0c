package io.xscheck.conformance.trace;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.ProtocolException;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/** Reads the trace format (see the README's "Trace format"); every error names its line and column. */
public final class TraceParser {
    private static final Pattern ERROR_NAME = Pattern.compile("E[A-Z0-9]+");
    private static final Pattern PERM = Pattern.compile("[nrwb][0-9]+");

    private TraceParser() {
    }

    public static Trace parse(Path file) throws IOException, TraceSyntaxException {
        return parse(Files.readString(file, java.nio.charset.StandardCharsets.ISO_8859_1));
    }

    public static Trace parse(String text) throws TraceSyntaxException {
        List<TraceLine> lines = new ArrayList<>();
        Set<String> conns = new HashSet<>();
        boolean stepped = false;
        String[] raw = text.split("\r?\n", -1);
        for (int i = 0; i < raw.length; i++) {
            TraceLine line = parseLine(raw[i], i + 1);
            if (line == null) {
                continue;
            }
            if (line instanceof TraceLine.Root) {
                if (stepped || lines.stream().anyMatch(TraceLine.Root.class::isInstance)) {
                    throw new TraceSyntaxException(i + 1, 1, "'root' comes once, before the first step");
                }
            } else if (line instanceof TraceLine.Conn c) {
                if (!conns.add(c.name())) {
                    throw new TraceSyntaxException(i + 1, 1, "connection " + c.name() + " is declared twice");
                }
            } else if (line instanceof TraceLine.Step s && !conns.contains(s.conn())) {
                throw new TraceSyntaxException(i + 1, 1, "connection " + s.conn()
                        + " is not declared; add 'conn " + s.conn() + " dom0' above");
            } else if (line instanceof TraceLine.Step && !stepped) {
                stepped = true;
                if (lines.stream().anyMatch(TraceLine.Root.class::isInstance)
                        && lines.stream().noneMatch(l -> l instanceof TraceLine.Conn c && !c.guest())) {
                    throw new TraceSyntaxException(i + 1, 1, "a trace with 'root' needs a dom0 connection declared"
                            + " before its first step (the harness creates the root on it)");
                }
            }
            lines.add(line);
        }
        return new Trace(lines);
    }

    /** One line; null for blank and comment-only lines. */
    public static TraceLine parseLine(String text, int lineNo) throws TraceSyntaxException {
        int commentAt = findOutsideQuotes(text, "#", lineNo);
        String body = commentAt < 0 ? text : text.substring(0, commentAt);
        int arrow = findOutsideQuotes(body, "=>", lineNo);
        String left = arrow < 0 ? body : body.substring(0, arrow);
        List<Token> tokens = tokenize(left, 0, lineNo);
        if (tokens.isEmpty()) {
            if (arrow >= 0) {
                throw new TraceSyntaxException(lineNo, arrow + 1, "'=>' without a step before it");
            }
            return null;
        }
        Token head = tokens.get(0);
        if (head.text.equals("root") && !head.quoted) {
            if (arrow >= 0 || tokens.size() != 2) {
                throw new TraceSyntaxException(lineNo, 1, "expected 'root PATH'");
            }
            try {
                return new TraceLine.Root(tokens.get(1).text);
            } catch (IllegalArgumentException e) {
                throw new TraceSyntaxException(lineNo, tokens.get(1).column, e.getMessage());
            }
        }
        if (head.text.equals("conn") && !head.quoted) {
            if (arrow >= 0) {
                throw new TraceSyntaxException(lineNo, arrow + 1, "a connection declaration takes no '=>'");
            }
            return parseConn(tokens, lineNo);
        }
        TraceLine.Step step = parseStep(tokens, lineNo);
        if (arrow < 0) {
            return step;
        }
        ExpectReader reader = new ExpectReader(body, arrow + 2, lineNo,
                step.command() instanceof Command.Events);
        return step.withExpect(reader.readAll());
    }

    private static TraceLine.Conn parseConn(List<Token> t, int lineNo) throws TraceSyntaxException {
        if (t.size() < 3) {
            throw new TraceSyntaxException(lineNo, 1, "expected 'conn NAME dom0' or 'conn NAME domU DOMID'");
        }
        String name = name(t.get(1), "connection", lineNo);
        String kind = t.get(2).text;
        if (kind.equals("dom0")) {
            expectCount(t, 3, lineNo, "conn NAME dom0");
            return TraceLine.Conn.dom0(name);
        }
        if (kind.equals("domU")) {
            expectCount(t, 4, lineNo, "conn NAME domU DOMID");
            int domid = number(t.get(3), lineNo);
            if (domid == 0) {
                throw new TraceSyntaxException(lineNo, t.get(3).column, "a guest's DOMID must not be 0");
            }
            return TraceLine.Conn.guest(name, domid);
        }
        throw new TraceSyntaxException(lineNo, t.get(2).column, "expected dom0 or domU, got '" + kind + "'");
    }

    private static TraceLine.Step parseStep(List<Token> t, int lineNo) throws TraceSyntaxException {
        Token head = t.get(0);
        String conn = head.text;
        Optional<String> tx = Optional.empty();
        int at = conn.indexOf('@');
        if (at >= 0 && !head.quoted) {
            tx = Optional.of(conn.substring(at + 1));
            conn = conn.substring(0, at);
            if (!TraceNames.isName(tx.get())) {
                throw new TraceSyntaxException(lineNo, head.column + at + 1, "bad transaction name '" + tx.get() + "'");
            }
        }
        if (!TraceNames.isName(conn) || head.quoted) {
            throw new TraceSyntaxException(lineNo, head.column, "expected a connection name, got '" + head.text + "'");
        }
        if (t.size() < 2) {
            throw new TraceSyntaxException(lineNo, head.column + head.text.length(), "expected an operation after " + conn);
        }
        Token opToken = t.get(1);
        List<Token> args = t.subList(2, t.size());
        Command command = command(opToken, args, lineNo);
        if (tx.isPresent() && (command instanceof Command.EndTx
                || command instanceof Command.Events || command instanceof Command.Kill
                || command instanceof Command.LiveUpdate || command instanceof Command.Migrate
                || Command.belowRequests(command))) {
            throw new TraceSyntaxException(lineNo, head.column, "'" + opToken.text + "' does not run inside a transaction");
        }
        return new TraceLine.Step(conn, tx, command, Optional.empty());
    }

    private static Command command(Token op, List<Token> a, int lineNo) throws TraceSyntaxException {
        String o = op.text;
        switch (o) {
            case "read": return send(new Request.Read(path(a, 0, 1, o, lineNo, op)));
            case "mkdir": return send(new Request.Mkdir(path(a, 0, 1, o, lineNo, op)));
            case "rm": return send(new Request.Rm(path(a, 0, 1, o, lineNo, op)));
            case "directory": return send(new Request.Directory(path(a, 0, 1, o, lineNo, op)));
            case "getperms": return send(new Request.GetPerms(path(a, 0, 1, o, lineNo, op)));
            case "write": {
                arity(a, 2, o + " P VALUE", lineNo, op);
                return send(new Request.Write(a.get(0).text, a.get(1).bytes));
            }
            case "directorypart": {
                arity(a, 2, o + " P OFFSET", lineNo, op);
                return send(new Request.DirectoryPart(a.get(0).text, longNumber(a.get(1), lineNo)));
            }
            case "setperms": {
                if (a.isEmpty()) {
                    throw new TraceSyntaxException(lineNo, op.column, "expected 'setperms P PERM...'");
                }
                List<Perm> perms = new ArrayList<>();
                for (Token p : a.subList(1, a.size())) {
                    perms.add(perm(p, lineNo));
                }
                return send(new Request.SetPerms(a.get(0).text, perms));
            }
            case "watch", "unwatch": {
                arity(a, 2, o + " P TOKEN", lineNo, op);
                String p = a.get(0).text;
                String tok = a.get(1).text;
                return send(o.equals("watch") ? new Request.Watch(p, tok) : new Request.Unwatch(p, tok));
            }
            case "tx": {
                arity(a, 1, "tx TX", lineNo, op);
                return new Command.StartTx(name(a.get(0), "transaction", lineNo));
            }
            case "commit", "abort": {
                arity(a, 1, o + " TX", lineNo, op);
                return new Command.EndTx(name(a.get(0), "transaction", lineNo), o.equals("commit"));
            }
            case "introduce": {
                if (a.size() == 3 && a.get(1).text.equals("port") && a.get(2).text.equals("0")) {
                    return new Command.Introduce(number(a.get(0), lineNo), true);
                }
                arity(a, 1, "introduce DOMID [port 0]", lineNo, op);
                return new Command.Introduce(number(a.get(0), lineNo));
            }
            case "kill": {
                arity(a, 1, "kill DOMID", lineNo, op);
                return new Command.Kill(number(a.get(0), lineNo));
            }
            case "release": {
                arity(a, 1, "release DOMID", lineNo, op);
                return send(new Request.Release(number(a.get(0), lineNo)));
            }
            case "isintroduced": {
                arity(a, 1, "isintroduced DOMID", lineNo, op);
                return send(new Request.IsDomainIntroduced(number(a.get(0), lineNo)));
            }
            case "getdomainpath": {
                arity(a, 1, "getdomainpath DOMID", lineNo, op);
                return send(new Request.GetDomainPath(number(a.get(0), lineNo)));
            }
            case "resume": {
                arity(a, 1, "resume DOMID", lineNo, op);
                return send(new Request.Resume(number(a.get(0), lineNo)));
            }
            case "settarget": {
                arity(a, 2, "settarget DOMID TARGET", lineNo, op);
                return send(new Request.SetTarget(number(a.get(0), lineNo), number(a.get(1), lineNo)));
            }
            case "resetwatches": {
                arity(a, 0, "resetwatches", lineNo, op);
                return send(new Request.ResetWatches());
            }
            case "control": {
                return send(new Request.Control(a.stream().map(x -> x.text).toList()));
            }
            case "raw": {
                arity(a, 2, "raw TYPE PAYLOAD", lineNo, op);
                return send(new Request.Raw(number(a.get(0), lineNo), a.get(1).bytes));
            }
            case "events": {
                arity(a, 0, "events", lineNo, op);
                return new Command.Events();
            }
            case "liveupdate": {
                if (a.size() == 1 && a.get(0).text.equals("force") && !a.get(0).quoted) {
                    return new Command.LiveUpdate(true);
                }
                arity(a, 0, "liveupdate [force]", lineNo, op);
                return new Command.LiveUpdate(false);
            }
            case "migrate": {
                arity(a, 0, "migrate", lineNo, op);
                return new Command.Migrate();
            }
            case "rawbytes": {
                if (a.size() != 1 && a.size() != 2) {
                    arity(a, 1, "rawbytes BYTES [xN]", lineNo, op);
                }
                int repeat = 1;
                if (a.size() == 2) {
                    Token r = a.get(1);
                    if (r.quoted || !r.text.matches("x[0-9]{1,6}")) {
                        throw new TraceSyntaxException(lineNo, r.column, "expected a repeat count like x200, got '"
                                + r.text + "'");
                    }
                    repeat = Integer.parseInt(r.text.substring(1));
                }
                try {
                    return new Command.WireBytes(a.get(0).bytes, repeat);
                } catch (IllegalArgumentException e) {
                    throw new TraceSyntaxException(lineNo, a.get(0).column, e.getMessage());
                }
            }
            case "ring": {
                arity(a, 2, "ring INDEX +N|-N|N", lineNo, op);
                io.xscheck.sut.RingIndex index = io.xscheck.sut.RingIndex.named(a.get(0).text);
                if (index == null || a.get(0).quoted) {
                    throw new TraceSyntaxException(lineNo, a.get(0).column, "expected req_cons, req_prod, rsp_cons"
                            + " or rsp_prod, got '" + a.get(0).text + "'");
                }
                Token v = a.get(1);
                if (v.quoted || !v.text.matches("[+-]?[0-9]{1,10}")) {
                    throw new TraceSyntaxException(lineNo, v.column, "expected +N, -N or N, got '" + v.text + "'");
                }
                boolean relative = v.text.startsWith("+") || v.text.startsWith("-");
                try {
                    return new Command.RingWrite(index, relative, Long.parseLong(v.text));
                } catch (IllegalArgumentException e) {
                    throw new TraceSyntaxException(lineNo, v.column, e.getMessage());
                }
            }
            default:
                throw new TraceSyntaxException(lineNo, op.column, "unknown operation '" + o + "'; known: read write"
                        + " mkdir rm directory directorypart getperms setperms watch unwatch tx commit abort"
                        + " introduce release isintroduced getdomainpath settarget resetwatches resume kill"
                        + " control raw events liveupdate migrate rawbytes ring");
        }
    }

    private static Command send(Request r) {
        return new Command.Send(r);
    }

    private static String path(List<Token> a, int index, int arity, String usage, int lineNo, Token op)
            throws TraceSyntaxException {
        arity(a, arity, usage + " P", lineNo, op);
        return a.get(index).text;
    }

    private static void arity(List<Token> a, int n, String usage, int lineNo, Token op) throws TraceSyntaxException {
        if (a.size() != n) {
            int col = a.size() > n ? a.get(n).column : op.column + op.text.length();
            throw new TraceSyntaxException(lineNo, col, "expected '" + usage + "' (" + n + " argument"
                    + (n == 1 ? "" : "s") + "), got " + a.size());
        }
    }

    private static void expectCount(List<Token> t, int n, int lineNo, String usage) throws TraceSyntaxException {
        if (t.size() != n) {
            throw new TraceSyntaxException(lineNo, t.get(Math.min(n, t.size() - 1)).column, "expected '" + usage + "'");
        }
    }

    private static String name(Token t, String what, int lineNo) throws TraceSyntaxException {
        if (t.quoted || !TraceNames.isName(t.text)) {
            throw new TraceSyntaxException(lineNo, t.column, "bad " + what + " name '" + t.text
                    + "': a letter, then letters, digits, _ or -");
        }
        return t.text;
    }

    private static int number(Token t, int lineNo) throws TraceSyntaxException {
        long v = longNumber(t, lineNo);
        if (v > Integer.MAX_VALUE) {
            throw new TraceSyntaxException(lineNo, t.column, "number out of range: " + t.text);
        }
        return (int) v;
    }

    private static long longNumber(Token t, int lineNo) throws TraceSyntaxException {
        if (!t.text.matches("[0-9]{1,18}")) {
            throw new TraceSyntaxException(lineNo, t.column, "expected a decimal number, got '" + t.text + "'");
        }
        return Long.parseLong(t.text);
    }

    private static Perm perm(Token t, int lineNo) throws TraceSyntaxException {
        try {
            return Perm.parse(t.text);
        } catch (ProtocolException e) {
            throw new TraceSyntaxException(lineNo, t.column, e.getMessage());
        }
    }

    /** Index of {@code needle} outside double quotes, or -1. */
    private static int findOutsideQuotes(String s, String needle, int lineNo) throws TraceSyntaxException {
        int i = 0;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == '"') {
                i = ValueText.decodeQuoted(s, i, lineNo).end();
                continue;
            }
            if (s.startsWith(needle, i)) {
                return i;
            }
            i++;
        }
        return -1;
    }

    /** A word of the step part: bare (any run of non-blank characters) or quoted. */
    record Token(String text, Bytes bytes, boolean quoted, int column) {
    }

    private static List<Token> tokenize(String s, int from, int lineNo) throws TraceSyntaxException {
        List<Token> out = new ArrayList<>();
        int i = from;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            if (c == '"') {
                ValueText.Decoded d = ValueText.decodeQuoted(s, i, lineNo);
                out.add(new Token(d.bytes().toLatin1(), d.bytes(), true, i + 1));
                i = d.end();
                continue;
            }
            int start = i;
            while (i < s.length() && s.charAt(i) != ' ' && s.charAt(i) != '\t' && s.charAt(i) != '"') {
                i++;
            }
            String w = s.substring(start, i);
            out.add(new Token(w, Bytes.latin1(w), false, start + 1));
        }
        return out;
    }

    /** Recursive descent over the EXPECT grammar (see the README). */
    private static final class ExpectReader {
        private final String s;
        private final int lineNo;
        private final boolean events;
        private int i;

        ExpectReader(String s, int from, int lineNo, boolean events) {
            this.s = s;
            this.i = from;
            this.lineNo = lineNo;
            this.events = events;
        }

        Expect readAll() throws TraceSyntaxException {
            List<Expect> options = new ArrayList<>();
            options.add(single());
            skipBlanks();
            while (i < s.length() && s.charAt(i) == '|') {
                i++;
                options.add(single());
                skipBlanks();
            }
            if (i < s.length()) {
                throw error("unexpected '" + s.substring(i).strip() + "' after the expectation");
            }
            return options.size() == 1 ? options.get(0) : new Expect.AnyOf(options);
        }

        private Expect single() throws TraceSyntaxException {
            skipBlanks();
            if (i >= s.length()) {
                throw error("expected an expectation after '=>'");
            }
            char c = s.charAt(i);
            if (c == '"') {
                ValueText.Decoded d = ValueText.decodeQuoted(s, i, lineNo);
                i = d.end();
                return new Expect.Text(d.bytes());
            }
            if (c == '[') {
                i++;
                if (events) {
                    List<WatchEvent> list = new ArrayList<>();
                    for (List<String> item : items(']')) {
                        if (item.size() != 2) {
                            throw error("an event is 'PATH TOKEN', got " + item.size() + " word(s)");
                        }
                        list.add(new WatchEvent(item.get(0), item.get(1)));
                    }
                    return new Expect.Events(list);
                }
                return new Expect.Ordered(names(items(']')));
            }
            if (c == '{') {
                i++;
                return new Expect.Unordered(names(items('}')));
            }
            int col = i + 1;
            String w = bareWord();
            if (w.equals("OK")) {
                return new Expect.Ok();
            }
            if (ERROR_NAME.matcher(w).matches()) {
                return new Expect.Error(w);
            }
            if (PERM.matcher(w).matches()) {
                List<Perm> perms = new ArrayList<>();
                perms.add(parsePerm(w, col));
                while (true) {
                    skipBlanks();
                    int save = i;
                    if (i >= s.length() || s.charAt(i) == '|') {
                        break;
                    }
                    int c2 = i + 1;
                    String next = bareWord();
                    if (!PERM.matcher(next).matches()) {
                        i = save;
                        throw error("expected a permission like r5, got '" + next + "'");
                    }
                    perms.add(parsePerm(next, c2));
                }
                return new Expect.Perms(perms);
            }
            throw new TraceSyntaxException(lineNo, col, "unknown expectation '" + w + "': expected OK, an error"
                    + " name, a quoted string, [names], {names}, permissions or A | B");
        }

        private Perm parsePerm(String w, int col) throws TraceSyntaxException {
            try {
                return Perm.parse(w);
            } catch (ProtocolException e) {
                throw new TraceSyntaxException(lineNo, col, e.getMessage());
            }
        }

        private List<String> names(List<List<String>> items) throws TraceSyntaxException {
            List<String> out = new ArrayList<>();
            for (List<String> item : items) {
                if (item.size() != 1) {
                    throw error("a directory entry is one word, got " + item.size());
                }
                out.add(item.get(0));
            }
            return out;
        }

        /** Comma-separated items of words up to {@code close}; {@code []} is empty. */
        private List<List<String>> items(char close) throws TraceSyntaxException {
            List<List<String>> out = new ArrayList<>();
            skipBlanks();
            if (i < s.length() && s.charAt(i) == close) {
                i++;
                return out;
            }
            List<String> current = new ArrayList<>();
            while (true) {
                skipBlanks();
                if (i >= s.length()) {
                    throw error("missing '" + close + "'");
                }
                char c = s.charAt(i);
                if (c == ',' || c == close) {
                    if (current.isEmpty()) {
                        throw error("empty entry before '" + c + "'");
                    }
                    out.add(current);
                    current = new ArrayList<>();
                    i++;
                    if (c == close) {
                        return out;
                    }
                    continue;
                }
                if (c == '"') {
                    ValueText.Decoded d = ValueText.decodeQuoted(s, i, lineNo);
                    current.add(d.bytes().toLatin1());
                    i = d.end();
                } else {
                    current.add(bareWord());
                }
            }
        }

        private String bareWord() throws TraceSyntaxException {
            int start = i;
            while (i < s.length() && " \t,[]{}|\"".indexOf(s.charAt(i)) < 0) {
                i++;
            }
            if (start == i) {
                throw error("unexpected '" + s.charAt(i) + "'");
            }
            return s.substring(start, i);
        }

        private void skipBlanks() {
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
                i++;
            }
        }

        private TraceSyntaxException error(String message) {
            return new TraceSyntaxException(lineNo, i + 1, message);
        }
    }
}
