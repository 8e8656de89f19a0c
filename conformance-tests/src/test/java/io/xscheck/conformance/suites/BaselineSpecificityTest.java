package io.xscheck.conformance.suites;

import io.xscheck.conformance.engine.SequenceOutcome;
import io.xscheck.conformance.engine.SequenceRunner;
import io.xscheck.conformance.report.Baseline;
import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.Trace;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.conformance.trace.TraceParser;
import io.xscheck.conformance.trace.TraceSyntaxException;
import io.xscheck.model.Dialect;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.protocol.WatchEvent;
import io.xscheck.sut.model.ModelSut;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A baseline entry admits its own bug and no other. For every entry of every baseline, the entry's
 * trace runs on the model target of the baseline's dialect with a different bug of the same
 * category planted at the step where the known bug shows: another wrong answer to that request,
 * events missed where the known bug sends extra ones (or the other way round), a node lost where
 * the known bug adds one (or the other way round), a death by another signal. The engine must find
 * it, in the entry's category, under a signature the baseline does not list, i.e. {@code gate}
 * reports it as NEW.
 */
class BaselineSpecificityTest {

    private static final Map<String, String> DIALECT_OF = Map.of(
            "cxenstored", Dialect.CXENSTORED, "oxenstored", Dialect.OXENSTORED,
            "cxenstored-4.20", Dialect.CXENSTORED_420, "oxenstored-4.20", Dialect.OXENSTORED_420,
            "qemu", Dialect.QEMU);

    @Test
    void everyBaselineEntryRejectsAPlantedBugOfItsOwnCategory() throws IOException, TraceSyntaxException {
        List<String> failures = new ArrayList<>();
        List<String> notRunnable = new ArrayList<>();
        int checked = 0;
        List<Path> files;
        try (Stream<Path> s = Files.list(BaselineFiles.dir())) {
            files = s.filter(p -> p.toString().endsWith(".txt")).sorted().toList();
        }
        for (Path file : files) {
            Baseline baseline = Baseline.read(file);
            String dialect = DIALECT_OF.get(baseline.targetName());
            for (Baseline.Entry entry : baseline.entries()) {
                String where = file.getFileName() + " [" + entry.signature() + "]";
                Trace trace = TraceParser.parse(entry.trace());
                Plan plan = Plan.of(trace, entry.signature());
                if (plan == null) {
                    notRunnable.add(where + ": its last step cannot carry a planted fault");
                    continue;
                }
                SequenceOutcome clean;
                try {
                    clean = replay(dialect, trace, plan.withoutFault());
                } catch (IllegalArgumentException e) {
                    notRunnable.add(where + ": " + e.getMessage());
                    continue;
                }
                if (clean.diverged()) {
                    notRunnable.add(where + ": the model target cannot replay it (" + clean.signature() + ")");
                    continue;
                }
                SequenceOutcome o = replay(dialect, trace, plan);
                if (!o.diverged() && plan.fallback() != null) {
                    o = replay(dialect, trace, plan.fallback());
                }
                checked++;
                // The foreign-transaction entry names its cause as a category of its own: the different bug planted
                // at its step (a refusal the model does not give) is named as any wrong error is. A domains entry names
                // a state of the target's domains whatever request shows it; the bug planted at its step, without that
                // state or of another shape than the state causes, must keep its own name, whichever it is.
                String category = entry.signature().equals(io.xscheck.conformance.engine.Lockstep.FOREIGN_TRANSACTION)
                        ? "error" : entry.signature().substring(0, entry.signature().indexOf(':'));
                if (!o.diverged()) {
                    failures.add(where + ": the planted bug was not found");
                } else if (category.equals("domains") ? o.signature().startsWith("domains:")
                        : !o.signature().startsWith(category + ":")) {
                    failures.add(where + ": the planted bug came out as " + o.signature());
                } else if (baseline.lists(o.signature())) {
                    failures.add(where + ": the planted bug " + o.signature() + " is admitted by the baseline");
                }
            }
        }
        System.out.println("BaselineSpecificity: " + checked + " entries checked; not runnable on the model target: "
                + notRunnable.size() + (notRunnable.isEmpty() ? "" : "\n  " + String.join("\n  ", notRunnable)));
        assertEquals(List.of(), failures);
        assertTrue(checked >= 50, "too few entries could carry a planted bug: " + checked + "\n" + notRunnable);
    }

    private static SequenceOutcome replay(String dialect, Trace trace, Plan plan) {
        SequenceRunner runner = new SequenceRunner(
                () -> new FaultInjectingSut(ModelSut.start(dialect), plan.trigger(), plan.occurrence(), plan.fault()),
                Dialect.named(dialect), 0, "planted");
        return runner.replay(trace);
    }

    /** Where to plant which bug for one entry. {@code trigger} null: the {@code occurrence}-th kill. */
    private record Plan(Request trigger, int occurrence, FaultInjectingSut.Fault fault, Plan fallback) {

        Plan withoutFault() {
            return new Plan(new Request.Read("/never-sent-by-any-trace"), 1, fault, null);
        }

        static Plan of(Trace trace, String signature) {
            List<TraceLine.Step> steps = trace.steps();
            Command last = steps.get(steps.size() - 1).command();
            if (!(last instanceof Command.Kill) && stepRequest(last) == null) {
                return null;
            }
            Request trigger = stepRequest(last);
            int occurrence = 0;
            for (TraceLine.Step st : steps) {
                Command c = st.command();
                boolean same = trigger == null ? c instanceof Command.Kill
                        : stepRequest(c) != null && FaultInjectingSut.same(trigger, stepRequest(c));
                if (same) {
                    occurrence++;
                }
            }
            String category = signature.substring(0, signature.indexOf(':'));
            FaultInjectingSut.Fault fault;
            Plan fallback = null;
            switch (category) {
                case "crash" -> fault = new FaultInjectingSut.Fault.Death(7);
                // another exception the daemon caught, raised elsewhere, its symptom the same missing events
                case "exception" -> fault = new FaultInjectingSut.Fault.Caught("Not_found: Raised at Planted.lookup in file"
                        + " \"planted.ml\", line 1, characters 1-2");
                case "tree" -> fault = new FaultInjectingSut.Fault.Tree(signature.startsWith("tree:missing-on-target"));
                case "events" -> {
                    boolean knownMissing = signature.contains(" missing ");
                    fault = new FaultInjectingSut.Fault.Events(knownMissing ? BaselineSpecificityTest::doubled : evs -> List.of());
                    fallback = new Plan(trigger, occurrence, new FaultInjectingSut.Fault.Events(
                            // A special name: an event any connection may read, so never the XSA-115 signature.
                            evs -> List.of(new WatchEvent("@planted", "planted-token"))), null);
                }
                case "reply" -> fault = new FaultInjectingSut.Fault.Reply(r -> otherContent(r, signature));
                // dom0's entries moved the other way across the restart
                case "quota" -> fault = new FaultInjectingSut.Fault.Quota(6, signature.endsWith(":shrank") ? 9 : 3);
                // The domain state is the model's own (a released domain gone, a freed target not reused), and the
                // wrong answer one the state never causes: a refusal no permission check gives.
                case "domains" -> fault = new FaultInjectingSut.Fault.Reply(r -> Reply.Error.of(io.xscheck.protocol.XsError.EROFS));
                // Any answer that carries out a request in another connection's transaction is that known bug; a
                // different one there is a refusal the model does not give.
                // A migration's known transaction bugs show in a transaction's view of / after it: a different one is a
                // name there that no node of the store has (neither a removed child nor another node's children).
                case "transaction" -> fault = signature.equals(io.xscheck.conformance.engine.Lockstep.FOREIGN_TRANSACTION)
                        ? new FaultInjectingSut.Fault.Reply(r -> Reply.Error.of(io.xscheck.protocol.XsError.EROFS))
                        : signature.startsWith("transaction:migrate:")
                        ? new FaultInjectingSut.Fault.TransactionView(BaselineSpecificityTest::withPlantedName)
                        : new FaultInjectingSut.Fault.Reply(r -> otherAnswer(r, signature));
                // QEMU's two watches on P/ and P are an OK where the model finds a duplicate: another success is not it
                default -> fault = new FaultInjectingSut.Fault.Reply(signature.equals(io.xscheck.conformance.engine.Lockstep.SLASH_WATCH)
                        ? r -> new Reply.Value(Bytes.latin1("planted")) : r -> otherAnswer(r, signature));
            }
            return new Plan(trigger, occurrence, fault, fallback);
        }
    }

    /** The request a step sends, or what stands for it ({@link FaultInjectingSut#LIVE_UPDATE}); null for a kill. */
    private static Request stepRequest(Command c) {
        if (c instanceof Command.Send s) {
            return s.request();
        }
        if (c instanceof Command.EndTx e) {
            return new Request.TransactionEnd(e.commit());
        }
        if (c instanceof Command.StartTx) {
            return new Request.TransactionStart();
        }
        if (c instanceof Command.Introduce i) {
            return new Request.Introduce(i.domid(), 0, 0);
        }
        if (c instanceof Command.LiveUpdate) {
            return FaultInjectingSut.LIVE_UPDATE;
        }
        if (c instanceof Command.Migrate) {
            return FaultInjectingSut.MIGRATION;
        }
        return null;
    }

    private static Reply withPlantedName(Reply r) {
        if (!(r instanceof Reply.Names n)) {
            return r;
        }
        List<String> names = new ArrayList<>(n.names());
        names.add("planted");
        return new Reply.Names(names);
    }

    private static List<WatchEvent> doubled(List<WatchEvent> evs) {
        List<WatchEvent> out = new ArrayList<>(evs);
        out.addAll(evs);
        return out;
    }

    /** The known bug's target answer, from a signature ending in {@code model/target}. */
    private static String knownTargetAnswer(String signature) {
        String tail = signature.substring(signature.lastIndexOf(':') + 1);
        return tail.substring(tail.indexOf('/') + 1);
    }

    /** An answer of the other kind than the model's (error for success, success for error), not the known one. */
    private static Reply otherAnswer(Reply model, String signature) {
        String known = knownTargetAnswer(signature);
        boolean bothErrors = signature.startsWith("error:");
        if (model instanceof Reply.Error && !bothErrors) {
            return known.equals("Ok") ? new Reply.Value(Bytes.latin1("planted")) : new Reply.Ok();
        }
        return known.equals("EROFS") ? Reply.Error.of(io.xscheck.protocol.XsError.EBUSY)
                : Reply.Error.of(io.xscheck.protocol.XsError.EROFS);
    }

    /** The same kind of answer as the model's, differing in another way than the known bug's. */
    private static Reply otherContent(Reply model, String signature) {
        boolean knownMissing = signature.endsWith(" missing") || signature.endsWith(" missing and extra");
        if (model instanceof Reply.Names n) {
            List<String> names = new ArrayList<>(n.names());
            if (knownMissing || names.isEmpty()) {
                names.add("planted");
            } else {
                names.remove(0);
            }
            return new Reply.Names(names);
        }
        if (model instanceof Reply.DirectoryChunk d) {
            String chunk = d.chunk().toLatin1();
            return new Reply.DirectoryChunk(d.generation(), Bytes.latin1(knownMissing || chunk.isEmpty()
                    ? chunk + "planted\0" : chunk.substring(chunk.indexOf('\0') + 1)));
        }
        if (model instanceof Reply.Perms p) {
            List<Perm> perms = new ArrayList<>(p.perms());
            if (signature.endsWith(" owner")) {
                perms.add(Perm.read(9));
            } else {
                perms.set(0, Perm.none(perms.get(0).domid() + 9));
            }
            return new Reply.Perms(perms);
        }
        if (model instanceof Reply.Text t) {
            return new Reply.Text(t.text() + "planted");
        }
        if (model instanceof Reply.Value v) {
            return new Reply.Value(Bytes.latin1(v.value().toLatin1() + "planted"));
        }
        return model;
    }
}
