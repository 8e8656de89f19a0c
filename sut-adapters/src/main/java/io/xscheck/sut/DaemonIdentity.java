package io.xscheck.sut;

import io.xscheck.model.Dialect;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.XsConnection;
import io.xscheck.sut.process.DaemonVersion;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Who serves an xenstore socket we did not start, found without writing anything: first the
 * process listening on it ({@link SocketOwner}: its executable and the package that installed
 * it), else two read-only requests (oxenstored stores its own path in {@code /tool/xenstored},
 * C xenstored an empty value; QEMU's store has no GET_DOMAIN_PATH).
 *
 * @param implementation {@code C xenstored}, {@code oxenstored}, {@code QEMU's xenstore front end},
 *     {@code xscheck's model server}, or {@code unknown}
 * @param version the package version or what else is known
 * @param dialect the model dialect that fits best (the engine confirms it with probes)
 * @param evidence how this was found out, for the user
 */
public record DaemonIdentity(String implementation, String version, String dialect, String evidence) {

    private static final Pattern DIALECT_ARG = Pattern.compile("--dialect[ =](\\S+)");
    private static final Pattern MAJOR_MINOR = Pattern.compile("(\\d+\\.\\d+)");

    static DaemonIdentity of(Path socket, XsConnection c, Duration timeout) {
        Optional<SocketOwner> owner = SocketOwner.of(socket);
        if (owner.isPresent()) {
            Optional<DaemonIdentity> known = fromProcess(owner.get());
            if (known.isPresent()) {
                return known.get();
            }
        }
        String who = owner.map(o -> "served by " + o.executable() + " (pid " + o.pid() + "), not a known daemon; ")
                .orElse("no readable owner process; ");
        Reply tool = c.call(0, new Request.Read("/tool/xenstored"), timeout);
        if (tool instanceof Reply.Value v) {
            return v.value().length() == 0
                    ? new DaemonIdentity("C xenstored", "unknown", Dialect.CXENSTORED, who
                            + "/tool/xenstored is empty, as C xenstored leaves it")
                    : new DaemonIdentity("oxenstored", "unknown", Dialect.OXENSTORED, who
                            + "/tool/xenstored holds a path, as oxenstored writes its own");
        }
        Reply path = c.call(0, new Request.GetDomainPath(0), timeout);
        if (path instanceof Reply.Error e && e.name().equals("ENOSYS")) {
            return new DaemonIdentity("QEMU's xenstore front end", "unknown", Dialect.QEMU, who
                    + "GET_DOMAIN_PATH is ENOSYS, as in QEMU's xenstore");
        }
        return new DaemonIdentity("unknown", "unknown", Dialect.SPEC, who + "/tool/xenstored answered " + tool);
    }

    static Optional<DaemonIdentity> fromProcess(SocketOwner o) {
        String file = o.executable().getFileName().toString();
        String where = "the socket is served by " + o.executable() + " (pid " + o.pid() + ")";
        switch (file) {
            case "xenstored": {
                String v = DaemonVersion.of(o.executable()).description();
                return Optional.of(new DaemonIdentity("C xenstored", v, closest("cxenstored", v, o.executable()), where));
            }
            case "oxenstored": {
                String v = DaemonVersion.of(o.executable()).description();
                return Optional.of(new DaemonIdentity("oxenstored", v, closest("oxenstored", v, o.executable()), where));
            }
            case "qemu-xs-server":
                return Optional.of(new DaemonIdentity("QEMU's xenstore front end", "unknown", Dialect.QEMU, where));
            default:
                if (file.startsWith("java") && o.commandLine().contains(" serve")) {
                    Matcher m = DIALECT_ARG.matcher(o.commandLine());
                    String d = m.find() ? m.group(1) : Dialect.SPEC;
                    return Optional.of(new DaemonIdentity("xscheck's model server", "model", d,
                            where + ", serving the model in dialect " + d));
                }
                return Optional.empty();
        }
    }

    /** The dialect of {@code kind} for the version's major.minor if the model has it, else the 4.17 one. */
    static String closest(String kind, String version, Path binary) {
        for (String text : new String[] {version, binary.toString()}) {
            Matcher m = MAJOR_MINOR.matcher(text);
            if (m.find() && Dialect.names().contains(kind + "-" + m.group(1))) {
                return kind + "-" + m.group(1);
            }
        }
        return kind + "-4.17";
    }
}
