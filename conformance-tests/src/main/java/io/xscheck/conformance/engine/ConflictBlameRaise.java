package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Op;
import io.xscheck.protocol.Reply;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A known oxenstored bug (4.17.7 and 4.20.4), named: a commit that conflicts answers EINVAL instead of EAGAIN when the
 * search for the domain to blame raises. When replaying a transaction gives another reply, process.ml's
 * transaction_replay looks through the history of changes made since the transaction started by domain connections
 * (a guest's WRITE, MKDIR, RM or SET_PERMS, refused or not, and its committed transactions; History.push keeps no
 * socket's) for one whose change made the replay differ. Two of its steps raise, and nothing there catches it, so the
 * TRANSACTION_END's handler answers EINVAL for an Invalid_argument:
 * <ul>
 * <li>History.filter_connections keeps the connections found guilty in a Hashtbl keyed by the connection record;
 *     looking up another guest's connection that lands in the same bucket compares the two records structurally,
 *     and they hold the ring mapping, which OCaml cannot compare (as Domains.remove_from_queue, docs/divergences.md).
 *     The bucket hash covers the record's counters, so two guests that sent as many requests collide (probe
 *     {@code versions/ox-blame-compare.trace}: EINVAL, and EAGAIN once one guest sent one more).
 * <li>The trial replay against a guest's record raises at an op the transaction holds that oxenstored cannot replay
 *     (a DIRECTORY_PART, unknown to it), which only the replay itself catches (probes
 *     {@code differential/rep3-oxenstored-3.trace}, {@code rep4-oxenstored-5.trace}).
 * </ul>
 * The transaction ends as EAGAIN would end it; only the errno differs, so a client that retries on EAGAIN gives up.
 * The history is kept only while the transaction is younger than conflict-max-history-seconds (0.05 s): the same case
 * may answer EAGAIN on a slower run (4.20 gate seed 78021: 2 of 5 replays). So this names EINVAL where the model says
 * EAGAIN for a replay that differs, when the history can hold what each step needs: a guest connection's record, and
 * for the first step one of another guest connection.
 */
final class ConflictBlameRaise {
    static final String SIGNATURE = "transaction:commit:EINVAL-from-oxenstored's-conflict-blame-search";

    /** The ops whose requests outside a transaction oxenstored records in its history (process.ml retain_op_in_history). */
    private static final Set<Op> RETAINED = Set.of(Op.WRITE, Op.MKDIR, Op.RM, Op.SET_PERMS);

    /** Per open transaction (its trace name), the guest connections with a history record since it started. */
    private final Map<String, Set<String>> guestsSince = new HashMap<>();

    /**
     * Follows one step as the target answered it: a transaction started, or a guest's change that oxenstored's
     * history records for every transaction open.
     */
    void follow(TraceLine.Step step, boolean guest, Reply actual) {
        if (actual == null) {
            return;
        }
        if (step.command() instanceof Command.StartTx start) {
            guestsSince.put(start.name(), new HashSet<>());
        }
        boolean recorded = step.command() instanceof Command.Send send && step.tx().isEmpty()
                && RETAINED.contains(send.request().op())
                || step.command() instanceof Command.EndTx end && end.commit() && actual instanceof Reply.Ok;
        if (guest && recorded) {
            guestsSince.values().forEach(conns -> conns.add(step.conn()));
        }
        if (step.command() instanceof Command.EndTx end) {
            guestsSince.remove(end.name());
        }
    }

    /**
     * Whether the target's answer to a commit is this bug's: EINVAL where the model's only answer is EAGAIN under a
     * rule of a replay that differs, with what the raising step needs in the history (see the class comment): two
     * guest connections, or one for a transaction holding an op oxenstored cannot replay.
     */
    boolean matches(TraceLine.Step step, String rule, List<Reply> allowed, Reply actual) {
        if (!(step.command() instanceof Command.EndTx end) || !end.commit()
                || !(actual instanceof Reply.Error e) || !e.name().equals("EINVAL")
                || allowed.isEmpty() || !allowed.stream().allMatch(r -> r instanceof Reply.Error x && x.name().equals("EAGAIN"))) {
            return false;
        }
        Set<String> guests = guestsSince.getOrDefault(end.name(), Set.of());
        return switch (rule) {
            case "Transactions.conflictReplayDiffers" -> guests.size() >= 2;
            case "Transactions.conflictReplayDiffersUnreplayable" -> !guests.isEmpty();
            default -> false;
        };
    }
}
