package io.xscheck.conformance.suites;

import com.google.common.collect.ImmutableMap;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The header of an XSA regression trace ({@code src/test/resources/xsa}): the leading {@code # key: value}
 * comment lines. {@code xsa}, {@code title}, {@code affected}, {@code safe} and {@code evidence} are
 * required; {@code not-applicable} lists targets, each followed by its reason in parentheses, where the
 * advisory's scenario cannot arise (the model's dialect of that target is then not applicable either).
 *
 * @param fields every header field, in file order
 * @param notApplicable target name to the reason it is not applicable
 */
record XsaHeader(ImmutableMap<String, String> fields, ImmutableMap<String, String> notApplicable) {

    static final List<String> REQUIRED = List.of("xsa", "title", "affected", "safe", "evidence");

    private static final Pattern FIELD = Pattern.compile("^# ([a-z-]+): (.+)$");
    private static final Pattern NOT_APPLICABLE = Pattern.compile("([a-z0-9-]+) \\(([^)]+)\\)");

    static XsaHeader read(Path trace) throws IOException {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(trace)) {
            Matcher m = FIELD.matcher(line);
            if (!m.matches()) {
                break;
            }
            fields.put(m.group(1), m.group(2).trim());
        }
        for (String key : REQUIRED) {
            if (!fields.containsKey(key)) {
                throw new IllegalArgumentException(trace + ": the header has no '# " + key + ": ...' line");
            }
        }
        Map<String, String> na = new LinkedHashMap<>();
        Matcher m = NOT_APPLICABLE.matcher(fields.getOrDefault("not-applicable", ""));
        while (m.find()) {
            na.put(m.group(1), m.group(2));
        }
        return new XsaHeader(ImmutableMap.copyOf(fields), ImmutableMap.copyOf(na));
    }

    String xsa() {
        return fields.get("xsa");
    }
}
