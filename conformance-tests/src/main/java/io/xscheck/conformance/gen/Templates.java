package io.xscheck.conformance.gen;

import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;
import org.quicktheories.generators.SourceDSL;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** QuickTheories generators of template sequences. */
public final class Templates {
    private Templates() {
    }

    public static Gen<CommandTemplate> template(Weights weights) {
        List<Pair<Integer, Gen<Kind>>> kinds = new ArrayList<>();
        for (Map.Entry<Kind, Integer> e : weights.asMap().entrySet()) {
            if (e.getValue() > 0) {
                kinds.add(Pair.of(e.getValue(), Generate.constant(e.getKey())));
            }
        }
        Gen<Kind> kind = Generate.frequency(kinds);
        Gen<Integer> choice = SourceDSL.integers().between(0, 1 << 16);
        return kind.zip(choice, choice, choice, choice, CommandTemplate::new);
    }

    /**
     * A test case: between 1 and {@code maxLength} templates, where a burst's template stands for its
     * run of steps ({@link Kind#steps()}): the quota limits lie past what a case of ordinary length reaches.
     */
    public static Gen<List<CommandTemplate>> sequences(Weights weights, int maxLength) {
        return SourceDSL.lists().of(template(weights)).ofSizeBetween(1, maxLength).map(Templates::expanded);
    }

    static List<CommandTemplate> expanded(List<CommandTemplate> templates) {
        List<CommandTemplate> out = new ArrayList<>(templates.size());
        for (CommandTemplate t : templates) {
            for (int i = 0; i < t.kind().steps(); i++) {
                out.add(t);
            }
        }
        return out;
    }
}
