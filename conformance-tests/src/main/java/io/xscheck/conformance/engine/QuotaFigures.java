package io.xscheck.conformance.engine;

import com.google.common.collect.ImmutableMap;
import io.xscheck.protocol.Reply;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One domain's quota figures as a daemon reports them to {@code XS_CONTROL quota DOMID}, by name:
 * <ul>
 * <li>C xenstored (xenstored_control.c do_control_quota at RELEASE-4.17.7): "Domain 0:" then one
 *     "name : number" line per figure: nodes, watches, transactions, outstanding, memory; 4.20
 *     adds more figures and each line's high-water mark, "(max N)";</li>
 * <li>oxenstored (process.ml, its "quota" debug command): "dom0 quota: 6/1000", the domain's
 *     entries of its limit, or "dom3 quota: not set" for a domain with none: entries 0.</li>
 * </ul>
 * Anything else (an error, QEMU's refusal, a text of another shape) has no figures.
 */
public record QuotaFigures(ImmutableMap<String, Long> byName) {
    /** 4.17: "nodes : 3"; 4.20 adds the high-water mark, "nodes : 5 (max 5)", which a restart resets: not read. */
    private static final Pattern C_LINE = Pattern.compile("^([a-z-]+)\\s*:\\s*(\\d+)\\s*(?:\\(max\\s+\\d+\\))?\\s*$",
            Pattern.MULTILINE);
    /** A count that drifted below zero is printed as it is ("dom0 quota: -1/1000" after an RM of / on a fresh daemon). */
    private static final Pattern OX = Pattern.compile("^dom\\d+ quota: (?:(-?\\d+)/\\d+|not set)$");

    public static Optional<QuotaFigures> parse(Reply reply) {
        String text;
        if (reply instanceof Reply.Text t) {
            text = t.text();
        } else if (reply instanceof Reply.Value v) {
            text = new String(v.value().toArray(), StandardCharsets.ISO_8859_1);
        } else {
            return Optional.empty();
        }
        text = text.strip();
        Matcher ox = OX.matcher(text);
        if (ox.matches()) {
            return Optional.of(new QuotaFigures(ImmutableMap.of("entries", ox.group(1) == null ? 0L : Long.parseLong(ox.group(1)))));
        }
        if (!text.startsWith("Domain ")) {
            return Optional.empty();
        }
        ImmutableMap.Builder<String, Long> b = ImmutableMap.builder();
        Matcher m = C_LINE.matcher(text);
        while (m.find()) {
            b.put(m.group(1), Long.parseLong(m.group(2)));
        }
        ImmutableMap<String, Long> figures = b.buildKeepingLast();
        return figures.isEmpty() ? Optional.empty() : Optional.of(new QuotaFigures(figures));
    }
}
