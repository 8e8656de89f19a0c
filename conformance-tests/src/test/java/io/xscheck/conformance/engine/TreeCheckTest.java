package io.xscheck.conformance.engine;

import io.xscheck.conformance.DelegatingSut;
import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.model.Dialect;
import io.xscheck.model.Tree;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.SutConnection;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    /**
     * Between whole checks, only what changed in the model since the last check is read back: a changed value, a
     * node the target lost, an extra child under a node whose children changed, an ACL change are each found, and
     * reported as the whole check reports them.
     */
    @Test
    void theCheckSinceTheLastOneFindsWhatChangedThere() {
        try (ModelSut sut = ModelSut.start(Dialect.SPEC); Counting counting = new Counting(sut);
             TargetSession target = new TargetSession(counting); SutConnection behind = sut.openPrivileged()) {
            ModelSession model = new ModelSession(Dialect.named(Dialect.SPEC));
            model.declare(TraceLine.Conn.dom0("A"));
            both(model, behind, new Request.Write("/a/v", bytes("1")));
            both(model, behind, new Request.Write("/b/w", bytes("1")));
            Tree checked = model.state().tree();

            both(model, behind, new Request.Write("/a/v", bytes("2")));
            behind.call(0, new Request.Write("/a/v", bytes("3")));
            assertEquals("value /a/v", since(checked, model, target).orElse("none"), "a changed value");
            behind.call(0, new Request.Write("/a/v", bytes("2")));
            assertEquals(Optional.empty(), since(checked, model, target));

            both(model, behind, new Request.Write("/a/n", bytes("")));
            behind.call(0, new Request.Rm("/a/n"));
            assertEquals("missing-on-target /a/n", since(checked, model, target).orElse("none"), "a lost node");
            behind.call(0, new Request.Write("/a/n", bytes("")));

            both(model, behind, new Request.Rm("/b/w"));
            behind.call(0, new Request.Write("/b/x", bytes("")));
            assertEquals("extra-on-target /b/x", since(checked, model, target).orElse("none"),
                    "an extra child of a node whose children changed");
            behind.call(0, new Request.Rm("/b/x"));
            behind.call(0, new Request.Write("/b/w", bytes("1")));
            assertEquals("extra-on-target /b/w", since(checked, model, target).orElse("none"),
                    "a node the model removed is still there");
            behind.call(0, new Request.Rm("/b/w"));

            both(model, behind, new Request.SetPerms("/a", List.of(Perm.read(0))));
            behind.call(0, new Request.SetPerms("/a", List.of(Perm.none(0))));
            assertEquals("perms /a", since(checked, model, target).orElse("none"), "an ACL change");
            behind.call(0, new Request.SetPerms("/a", List.of(Perm.read(0))));
            assertEquals(Optional.empty(), since(checked, model, target));
            assertEquals(Optional.empty(), check(model, target), "the whole check agrees");
        }
    }

    /** A node that changed on neither side since the last check is not read: the request count follows the change. */
    @Test
    void theCheckSinceTheLastOneReadsOnlyTheChangedNodes() {
        try (ModelSut sut = ModelSut.start(Dialect.SPEC); Counting counting = new Counting(sut);
             TargetSession target = new TargetSession(counting); SutConnection behind = sut.openPrivileged()) {
            ModelSession model = new ModelSession(Dialect.named(Dialect.SPEC));
            model.declare(TraceLine.Conn.dom0("A"));
            for (int i = 0; i < 40; i++) {
                both(model, behind, new Request.Write("/many/n" + i, bytes("v")));
            }
            Tree checked = model.state().tree();
            counting.requests.set(0);
            assertEquals(Optional.empty(), check(model, target));
            int whole = counting.requests.get();
            assertEquals(3 * model.state().tree().size(), whole, "the whole check asks three things of every node");

            counting.requests.set(0);
            assertEquals(Optional.empty(), since(checked, model, target));
            assertEquals(0, counting.requests.get(), "nothing changed, nothing read");

            both(model, behind, new Request.Write("/many/n7", bytes("w")));
            counting.requests.set(0);
            assertEquals(Optional.empty(), since(checked, model, target));
            assertEquals(1, counting.requests.get(), "a changed value: one READ");

            both(model, behind, new Request.Write("/many/new", bytes("")));
            counting.requests.set(0);
            assertEquals(Optional.empty(), since(checked, model, target));
            assertEquals(1 + 1 + 2, counting.requests.get(),
                    "n7's READ, the parent's DIRECTORY, the new leaf's READ and GET_PERMS");

            // an unchanged node the target alone changed is left to the whole check at the case's end
            behind.call(0, new Request.Write("/many/n20", bytes("spontaneous")));
            assertEquals(Optional.empty(), since(checked, model, target));
            assertEquals("value /many/n20", check(model, target).orElse("none"));
        }
    }

    private static Optional<String> since(Tree checked, ModelSession model, TargetSession target) {
        return TreeCheck.compareSince(checked, model.state(), target, "/").map(d -> d.kind() + " " + d.path());
    }

    /** The model's target, counting the requests sent on its inspector (the connection the tree check reads on). */
    private static final class Counting extends DelegatingSut {
        final AtomicInteger requests = new AtomicInteger();

        Counting(ModelSut sut) {
            super(sut);
        }

        @Override
        public SutConnection openInspector() {
            return new Rewired(inner.openPrivileged()) {
                @Override
                public CompletableFuture<Reply> send(int txId, Request request) {
                    requests.incrementAndGet();
                    return super.send(txId, request);
                }

                @Override
                public Reply call(int txId, Request request, Duration timeout) {
                    requests.incrementAndGet();
                    return super.call(txId, request, timeout);
                }
            };
        }

        @Override
        public void close() {
        }
    }

    /**
     * In the engine: a target whose WRITE of {@code /c} also changes {@code /a} behind the model's back, or
     * stores another value at {@code /c}. The periodic check after it reads back {@code /c}, not {@code /a}; the
     * whole check at the case's end finds {@code /a}.
     */
    @Test
    void theEnginesPeriodicCheckReadsWhatChangedAndItsLastCheckTheWholeTree() throws Exception {
        String trace = """
                conn A dom0
                A write /a 1
                A write /b 1
                A write /c 1
                A write /d 1
                """;
        SequenceOutcome unrelated = runner("/a").replay(TraceParser.parse(trace));
        assertEquals("(end of trace)", unrelated.divergence().map(Divergence::step).orElse("none"), unrelated.reproducer());
        assertTrue(unrelated.divergence().get().actual().startsWith("node /a: model value"),
                unrelated.divergence().get().actual());

        SequenceOutcome changed = runner("/c").replay(TraceParser.parse(trace));
        assertEquals("A write /d 1", changed.divergence().map(Divergence::step).orElse("none"), changed.reproducer());
        assertTrue(changed.divergence().get().actual().startsWith("node /c: model value"),
                changed.divergence().get().actual());
    }

    /** A tree check every two steps, on the model as a target whose WRITE of /c also writes "x" at {@code alsoAt}. */
    private static SequenceRunner runner(String alsoAt) {
        return new SequenceRunner(() -> new DelegatingSut(ModelSut.start(Dialect.SPEC)) {
            @Override
            public SutConnection openPrivileged() {
                return new Rewired(inner.openPrivileged()) {
                    @Override
                    public CompletableFuture<Reply> send(int txId, Request request) {
                        CompletableFuture<Reply> r = super.send(txId, request);
                        if (request instanceof Request.Write w && w.path().equals("/c")) {
                            r.join();
                            super.call(0, new Request.Write(alsoAt, bytes("x")), Duration.ofSeconds(5));
                        }
                        return r;
                    }
                };
            }
        }, Dialect.named(Dialect.SPEC), 2, "model");
    }

    /** A connection passed on as it is, for the tests to change one thing. */
    private static class Rewired extends io.xscheck.conformance.DelegatingConnection {
        Rewired(SutConnection c) {
            super(c);
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
