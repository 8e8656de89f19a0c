package io.xscheck.conformance.trace;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;

import java.util.List;
import java.util.stream.Collectors;

/** Writes traces in the format {@link TraceParser} reads; {@code parse(write(t))} equals {@code t}. */
public final class TraceWriter {
    private TraceWriter() {
    }

    public static String write(Trace trace) {
        StringBuilder out = new StringBuilder();
        for (TraceLine line : trace.lines()) {
            out.append(line(line)).append('\n');
        }
        return out.toString();
    }

    public static String line(TraceLine line) {
        if (line instanceof TraceLine.Root r) {
            return "root " + r.path();
        }
        if (line instanceof TraceLine.Conn c) {
            return c.guest() ? "conn " + c.name() + " domU " + c.domid() : "conn " + c.name() + " dom0";
        }
        TraceLine.Step s = (TraceLine.Step) line;
        String head = s.conn() + s.tx().map(t -> "@" + t).orElse("");
        String text = head + " " + command(s.command());
        return s.expect().map(e -> text + " => " + expect(e)).orElse(text);
    }

    public static String command(Command c) {
        if (c instanceof Command.StartTx t) {
            return "tx " + t.name();
        }
        if (c instanceof Command.EndTx e) {
            return (e.commit() ? "commit " : "abort ") + e.name();
        }
        if (c instanceof Command.Introduce i) {
            return "introduce " + i.domid() + (i.portZero() ? " port 0" : "");
        }
        if (c instanceof Command.Kill k) {
            return "kill " + k.domid();
        }
        if (c instanceof Command.Events) {
            return "events";
        }
        if (c instanceof Command.LiveUpdate u) {
            return u.force() ? "liveupdate force" : "liveupdate";
        }
        if (c instanceof Command.Migrate) {
            return "migrate";
        }
        if (c instanceof Command.WireBytes b) {
            return "rawbytes " + b.bytes().quoted() + (b.repeat() == 1 ? "" : " x" + b.repeat());
        }
        if (c instanceof Command.RingWrite r) {
            String amount = r.relative() ? (r.amount() < 0 ? Long.toString(r.amount()) : "+" + r.amount())
                    : Long.toString(r.amount());
            return "ring " + r.index().traceName() + " " + amount;
        }
        return request(((Command.Send) c).request());
    }

    /**
     * The first word of {@link #command}: what the command is, without writing out its arguments
     * (asked for every step, for the op mix and signatures).
     */
    public static String keyword(Command c) {
        if (c instanceof Command.StartTx) {
            return "tx";
        }
        if (c instanceof Command.EndTx e) {
            return e.commit() ? "commit" : "abort";
        }
        if (c instanceof Command.Introduce) {
            return "introduce";
        }
        if (c instanceof Command.Kill) {
            return "kill";
        }
        if (c instanceof Command.Events) {
            return "events";
        }
        if (c instanceof Command.LiveUpdate) {
            return "liveupdate";
        }
        if (c instanceof Command.Migrate) {
            return "migrate";
        }
        if (c instanceof Command.WireBytes) {
            return "rawbytes";
        }
        if (c instanceof Command.RingWrite) {
            return "ring";
        }
        Request r = ((Command.Send) c).request();
        if (r instanceof Request.Read) {
            return "read";
        }
        if (r instanceof Request.Write) {
            return "write";
        }
        if (r instanceof Request.Mkdir) {
            return "mkdir";
        }
        if (r instanceof Request.Rm) {
            return "rm";
        }
        if (r instanceof Request.Directory) {
            return "directory";
        }
        if (r instanceof Request.DirectoryPart) {
            return "directorypart";
        }
        if (r instanceof Request.GetPerms) {
            return "getperms";
        }
        if (r instanceof Request.SetPerms) {
            return "setperms";
        }
        if (r instanceof Request.Watch) {
            return "watch";
        }
        if (r instanceof Request.Unwatch) {
            return "unwatch";
        }
        if (r instanceof Request.Release) {
            return "release";
        }
        if (r instanceof Request.IsDomainIntroduced) {
            return "isintroduced";
        }
        if (r instanceof Request.GetDomainPath) {
            return "getdomainpath";
        }
        if (r instanceof Request.Resume) {
            return "resume";
        }
        if (r instanceof Request.SetTarget) {
            return "settarget";
        }
        if (r instanceof Request.ResetWatches) {
            return "resetwatches";
        }
        if (r instanceof Request.Control) {
            return "control";
        }
        if (r instanceof Request.Raw) {
            return "raw";
        }
        throw new IllegalArgumentException(r.op() + " has no trace form of its own (use tx/commit/abort/introduce)");
    }

    static String request(Request r) {
        if (r instanceof Request.Read x) {
            return "read " + w(x.path());
        }
        if (r instanceof Request.Write x) {
            return "write " + w(x.path()) + " " + ValueText.word(x.value());
        }
        if (r instanceof Request.Mkdir x) {
            return "mkdir " + w(x.path());
        }
        if (r instanceof Request.Rm x) {
            return "rm " + w(x.path());
        }
        if (r instanceof Request.Directory x) {
            return "directory " + w(x.path());
        }
        if (r instanceof Request.DirectoryPart x) {
            return "directorypart " + w(x.path()) + " " + x.offset();
        }
        if (r instanceof Request.GetPerms x) {
            return "getperms " + w(x.path());
        }
        if (r instanceof Request.SetPerms x) {
            return "setperms " + w(x.path()) + x.perms().stream().map(p -> " " + p).collect(Collectors.joining());
        }
        if (r instanceof Request.Watch x) {
            return "watch " + w(x.path()) + " " + w(x.token());
        }
        if (r instanceof Request.Unwatch x) {
            return "unwatch " + w(x.path()) + " " + w(x.token());
        }
        if (r instanceof Request.Release x) {
            return "release " + x.domid();
        }
        if (r instanceof Request.IsDomainIntroduced x) {
            return "isintroduced " + x.domid();
        }
        if (r instanceof Request.GetDomainPath x) {
            return "getdomainpath " + x.domid();
        }
        if (r instanceof Request.Resume x) {
            return "resume " + x.domid();
        }
        if (r instanceof Request.SetTarget x) {
            return "settarget " + x.domid() + " " + x.target();
        }
        if (r instanceof Request.ResetWatches) {
            return "resetwatches";
        }
        if (r instanceof Request.Control x) {
            return "control" + x.args().stream().map(a -> " " + w(a)).collect(Collectors.joining());
        }
        if (r instanceof Request.Raw x) {
            return "raw " + x.type() + " " + x.payload().quoted();
        }
        throw new IllegalArgumentException(r.op() + " has no trace form of its own (use tx/commit/abort/introduce)");
    }

    public static String expect(Expect e) {
        if (e instanceof Expect.Ok) {
            return "OK";
        }
        if (e instanceof Expect.Error x) {
            return x.name();
        }
        if (e instanceof Expect.Text x) {
            return x.bytes().quoted();
        }
        if (e instanceof Expect.Ordered x) {
            return "[" + names(x.names()) + "]";
        }
        if (e instanceof Expect.Unordered x) {
            return "{" + names(x.names()) + "}";
        }
        if (e instanceof Expect.Perms x) {
            return x.perms().stream().map(Perm::toString).collect(Collectors.joining(" "));
        }
        if (e instanceof Expect.Events x) {
            return "[" + x.events().stream().map(TraceWriter::event).collect(Collectors.joining(", ")) + "]";
        }
        Expect.AnyOf any = (Expect.AnyOf) e;
        return any.options().stream().map(TraceWriter::expect).collect(Collectors.joining(" | "));
    }

    public static String event(WatchEvent ev) {
        return listWord(ev.path()) + " " + listWord(ev.token());
    }

    private static String names(List<String> names) {
        return names.stream().map(TraceWriter::listWord).collect(Collectors.joining(", "));
    }

    /** Safe bare words already exclude the list punctuation {@code , [ ] { } |}. */
    private static String listWord(String s) {
        return w(s);
    }

    private static String w(String latin1) {
        return ValueText.word(Bytes.latin1(latin1));
    }
}
