package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The tree check asks the target for every node the model has in one round trip and reports what
 * a walk of the target's tree would: the first missing node, else the first extra or differing one,
 * in path order.
 */
class TreeCheckTest {

    @Test
    void reportsTheFirstDifferenceInPathOrder() {
        try (ModelSut sut = ModelSut.start(Dialect.SPEC); TargetSession target = new TargetSession(sut);
             SutConnection behind = sut.openPrivileged()) {
            ModelSession model = new ModelSession(Dialect.named(Dialect.SPEC));
            model.declare(TraceLine.Conn.dom0("A"));
            assertEquals(Optional.empty(), check(model, target));

            both(model, behind, new Request.Write("/m/v", bytes("1")));
            assertEquals(Optional.empty(), check(model, target));

            behind.call(0, new Request.Write("/x/y", bytes("z")));
            assertEquals("extra-on-target /x", check(model, target).orElse("none"), "the topmost extra node");

            behind.call(0, new Request.Write("/m/v", bytes("2")));
            assertEquals("value /m/v", check(model, target).orElse("none"), "/m/v sorts before /x");

            behind.call(0, new Request.Write("/m/v", bytes("1")));
            behind.call(0, new Request.SetPerms("/m", List.of(Perm.read(0))));
            behind.call(0, new Request.Rm("/x"));
            assertEquals("perms /m", check(model, target).orElse("none"));

            behind.call(0, new Request.Rm("/m"));
            assertEquals("missing-on-target /m", check(model, target).orElse("none"), "missing nodes come first");
        }
    }

    /** A listing too long for one reply (E2BIG) is read in DIRECTORY_PART chunks: its children are still found. */
    @Test
    void childrenWhoseNamesFillMoreThanAReplyAreListedInParts() {
        try (ModelSut sut = ModelSut.start(Dialect.CXENSTORED); TargetSession target = new TargetSession(sut);
             SutConnection behind = sut.openPrivileged()) {
            ModelSession model = new ModelSession(Dialect.named(Dialect.CXENSTORED));
            model.declare(TraceLine.Conn.dom0("A"));
            for (int i = 0; i < 3; i++) {
                both(model, behind, new Request.Write("/wide/w" + i + "-" + "x".repeat(1400), bytes("")));
            }
            assertEquals("E2BIG", String.valueOf(behind.call(0, new Request.Directory("/wide"))).replaceAll(".*(E2BIG).*", "$1"));
            assertEquals(Optional.empty(), check(model, target));

            behind.call(0, new Request.Write("/wide/extra", bytes("")));
            assertEquals("extra-on-target /wide/extra", check(model, target).orElse("none"));
            behind.call(0, new Request.Rm("/wide/extra"));
            behind.call(0, new Request.Rm("/wide/w1-" + "x".repeat(1400)));
            assertEquals("missing-on-target /wide/w1-" + "x".repeat(1400), check(model, target).orElse("none"));
        }
    }

    private static Optional<String> check(ModelSession model, TargetSession target) {
        return TreeCheck.compare(model.state(), target, "/").map(d -> d.kind() + " " + d.path());
    }

    /** The same request on the model (as A) and on the target (behind the engine's back). */
    private static void both(ModelSession model, SutConnection target, Request r) {
        TraceLine.Step step = TraceLine.Step.of("A", new Command.Send(r));
        model.follow(step, model.predict(step).allowed().iterator().next());
        target.call(0, r);
    }

    private static Bytes bytes(String s) {
        return Bytes.of(s.getBytes(StandardCharsets.US_ASCII));
    }
}
