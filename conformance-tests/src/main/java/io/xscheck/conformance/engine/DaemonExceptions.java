package io.xscheck.conformance.engine;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An exception a daemon caught at its top level and went on from, as its log tells it: oxenstored's main
 * loop logs {@code caught exception E: BACKTRACE} (xenstored.ml, the handler around {@code main_loop}) and
 * carries on with whatever the aborted iteration left half done. Every divergence of a case in which that
 * happened is that exception's doing, whichever request shows it: the signature names the exception and
 * where it was raised, not the symptom (issue 12: a signature names a root cause).
 */
final class DaemonExceptions {

    private static final Pattern CAUGHT = Pattern.compile(
            "^\\[(\\d{8}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3})Z\\|[a-z]+\\|[^]]*\\] caught exception (.*?): (?:Raised|Re-raised)[^\\n]*? at ([\\w.']+)");
    private static final Pattern CALLER = Pattern.compile("^Called from ([\\w.']+)");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HH:mm:ss.SSS");

    private DaemonExceptions() {
    }

    /** The divergence renamed after the first exception the log shows at or after {@code since}, if any. */
    static Divergence named(Divergence d, String logTail, Instant since) {
        return first(logTail, since).map(e -> new Divergence("exception", e, d.stepIndex(), d.step(), d.expected(),
                d.actual() + " (the daemon's log: " + e.substring("exception:".length()) + ")", d.rule())).orElse(d);
    }

    /** {@code exception:TEXT at FUNCTION from CALLER} of the first exception logged at or after {@code since}. */
    static Optional<String> first(String logTail, Instant since) {
        List<String> lines = logTail.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = CAUGHT.matcher(lines.get(i));
            if (!m.find() || stamp(m.group(1)).map(t -> t.isBefore(since.minusMillis(1))).orElse(true)) {
                continue;
            }
            String caller = "";
            for (int j = i + 1; j < lines.size(); j++) {
                Matcher c = CALLER.matcher(lines.get(j));
                if (!c.find()) {
                    break;
                }
                if (!c.group(1).startsWith("Stdlib") && !c.group(1).startsWith("Stdext")) {
                    caller = " from " + function(c.group(1));
                    break;
                }
            }
            return Optional.of("exception:" + m.group(2) + " at " + function(m.group(3)) + caller);
        }
        return Optional.empty();
    }

    /** {@code Domains.remove_from_queue.(fun)} -> {@code Domains.remove_from_queue}. */
    private static String function(String frame) {
        int anonymous = frame.indexOf(".(");
        String f = anonymous >= 0 ? frame.substring(0, anonymous) : frame;
        return f.endsWith(".") ? f.substring(0, f.length() - 1) : f;
    }

    private static Optional<Instant> stamp(String text) {
        try {
            return Optional.of(LocalDateTime.parse(text, STAMP).toInstant(ZoneOffset.UTC));
        } catch (DateTimeParseException e) {
            return Optional.empty();
        }
    }
}
