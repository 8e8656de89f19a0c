package io.xscheck.conformance.engine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.xscheck.conformance.trace.Command;
import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import org.junit.jupiter.api.Test;

import java.util.List;

/** When a commit's EINVAL is oxenstored's blame search raising, by what its history can hold (see the probe it cites). */
class ConflictBlameRaiseTest {
    private static final String DIFFERS = "Transactions.conflictReplayDiffers";
    private static final String DIFFERS_UNREPLAYABLE = "Transactions.conflictReplayDiffersUnreplayable";
    private static final Reply EINVAL = new Reply.Error("EINVAL");
    private static final List<Reply> EAGAIN_ONLY = List.of(new Reply.Error("EAGAIN"));
    private static final TraceLine.Step COMMIT = TraceLine.Step.of("B", new Command.EndTx("T1", true));

    private static TraceLine.Step write(String conn, String path) {
        return TraceLine.Step.of(conn, new Command.Send(new Request.Write(path, Bytes.latin1("v"))));
    }

    private static ConflictBlameRaise started() {
        ConflictBlameRaise c = new ConflictBlameRaise();
        c.follow(TraceLine.Step.of("B", new Command.StartTx("T1")), false, new Reply.Text("1"));
        return c;
    }

    /** A transaction started, then each of {@code guests} wrote a node outside it, answered OK. */
    private static ConflictBlameRaise startedThenWrittenBy(String... guests) {
        ConflictBlameRaise c = started();
        for (int i = 0; i < guests.length; i++) {
            c.follow(write(guests[i], "/p/w" + i), true, new Reply.Ok());
        }
        return c;
    }

    @Test
    void twoGuestsChangesSinceTheStartNameTheCompareOfTheirConnections() {
        ConflictBlameRaise c = started();
        c.follow(write("G1", "/p/x"), true, new Reply.Ok());
        c.follow(write("G2", "/p/a"), true, new Reply.Error("EACCES")); // refused, still in the history
        assertTrue(c.matches(COMMIT, DIFFERS, EAGAIN_ONLY, EINVAL));
    }

    @Test
    void oneGuestIsNotEnoughForTheCompareButIsForAnUnreplayableOp() {
        ConflictBlameRaise c = startedThenWrittenBy("G1", "G1");
        assertFalse(c.matches(COMMIT, DIFFERS, EAGAIN_ONLY, EINVAL));
        assertTrue(c.matches(COMMIT, DIFFERS_UNREPLAYABLE, EAGAIN_ONLY, EINVAL));
    }

    @Test
    void socketsReadsAndChangesBeforeTheStartAreNotInTheHistory() {
        ConflictBlameRaise c = new ConflictBlameRaise();
        c.follow(write("G1", "/p/x"), true, new Reply.Ok()); // before the transaction started
        c.follow(TraceLine.Step.of("B", new Command.StartTx("T1")), false, new Reply.Text("1"));
        c.follow(write("A", "/p/y"), false, new Reply.Ok()); // a socket: History.push keeps none
        c.follow(TraceLine.Step.of("G2", new Command.Send(new Request.Read("/p/a"))), true, new Reply.Value(Bytes.latin1("v")));
        c.follow(write("G2", "/p/a"), true, new Reply.Ok());
        assertFalse(c.matches(COMMIT, DIFFERS, EAGAIN_ONLY, EINVAL));
    }

    @Test
    void onlyEinvalWhereTheModelSaysEagainForAReplayThatDiffers() {
        ConflictBlameRaise c = startedThenWrittenBy("G1", "G2");
        assertTrue(c.matches(COMMIT, DIFFERS, EAGAIN_ONLY, EINVAL));
        assertFalse(c.matches(COMMIT, DIFFERS, EAGAIN_ONLY, new Reply.Error("ENOENT")));
        assertFalse(c.matches(COMMIT, "Transactions.commitReplayed", List.of(new Reply.Ok()), EINVAL));
        assertFalse(c.matches(TraceLine.Step.of("B", new Command.EndTx("T1", false)), DIFFERS, EAGAIN_ONLY, EINVAL));
    }
}
