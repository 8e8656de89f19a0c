package io.xscheck.conformance.trace;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Moves a trace from one case root to another: every path at or below {@code from} (in requests,
 * in a raw frame's NUL-separated strings, in expected watch events, and the {@code root} line
 * itself) is rewritten to the same place below {@code to}. A socket target lends each case a
 * fresh root, so a reproducer recorded under one root replays under another; roots of one kind
 * have one length, so path-length limits are met the same way after the move.
 */
public record TraceRelocation(String from, String to) {

    public TraceRelocation {
        if (from.equals("/") || to.equals("/")) {
            throw new IllegalArgumentException("a trace on the whole tree cannot be moved");
        }
    }

    public Trace apply(Trace trace) {
        List<TraceLine> out = new ArrayList<>();
        for (TraceLine l : trace.lines()) {
            out.add(apply(l));
        }
        return new Trace(out);
    }

    public TraceLine apply(TraceLine line) {
        if (line instanceof TraceLine.Root r) {
            return new TraceLine.Root(path(r.path()));
        }
        if (line instanceof TraceLine.Step s) {
            return step(s);
        }
        return line;
    }

    public TraceLine.Step step(TraceLine.Step s) {
        Command c = s.command() instanceof Command.Send send ? new Command.Send(request(send.request())) : s.command();
        Optional<Expect> e = s.expect().map(this::expect);
        return new TraceLine.Step(s.conn(), s.tx(), c, e);
    }

    public String path(String p) {
        return p.equals(from) || p.startsWith(from + "/") ? to + p.substring(from.length()) : p;
    }

    public Request request(Request r) {
        if (r instanceof Request.Read x) {
            return new Request.Read(path(x.path()));
        }
        if (r instanceof Request.Write x) {
            return new Request.Write(path(x.path()), x.value());
        }
        if (r instanceof Request.Mkdir x) {
            return new Request.Mkdir(path(x.path()));
        }
        if (r instanceof Request.Rm x) {
            return new Request.Rm(path(x.path()));
        }
        if (r instanceof Request.Directory x) {
            return new Request.Directory(path(x.path()));
        }
        if (r instanceof Request.DirectoryPart x) {
            return new Request.DirectoryPart(path(x.path()), x.offset());
        }
        if (r instanceof Request.GetPerms x) {
            return new Request.GetPerms(path(x.path()));
        }
        if (r instanceof Request.SetPerms x) {
            return new Request.SetPerms(path(x.path()), x.perms());
        }
        if (r instanceof Request.Watch x) {
            return new Request.Watch(path(x.path()), x.token());
        }
        if (r instanceof Request.Unwatch x) {
            return new Request.Unwatch(path(x.path()), x.token());
        }
        if (r instanceof Request.Raw x) {
            return new Request.Raw(x.type(), rawPayload(x.payload()));
        }
        return r;
    }

    /** Each NUL-separated string of a raw payload that names a path below {@code from}. */
    private Bytes rawPayload(Bytes payload) {
        String text = payload.toLatin1();
        String[] parts = text.split("\0", -1);
        for (int i = 0; i < parts.length; i++) {
            parts[i] = path(parts[i]);
        }
        return Bytes.latin1(String.join("\0", parts));
    }

    private Expect expect(Expect e) {
        if (e instanceof Expect.Events ev) {
            return new Expect.Events(ev.events().stream().map(w -> new WatchEvent(path(w.path()), w.token())).toList());
        }
        if (e instanceof Expect.AnyOf any) {
            return new Expect.AnyOf(any.options().stream().map(this::expect).toList());
        }
        return e;
    }
}
