package io.xscheck.conformance.trace;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Perm;
import io.xscheck.protocol.Request;
import io.xscheck.sut.RingIndex;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A command's keyword is the first word of its trace form, for every kind of command. */
class TraceKeywordTest {

    @Test
    void theKeywordIsTheFirstWordOfTheCommandForEveryKind() {
        List<Command> all = List.of(new Command.StartTx("T1"), new Command.EndTx("T1", true),
                new Command.EndTx("T1", false), new Command.Introduce(3), new Command.Kill(2),
                new Command.LiveUpdate(true), new Command.LiveUpdate(false), new Command.Migrate(), new Command.Events(),
                new Command.WireBytes(Bytes.latin1("ab"), 2), new Command.RingWrite(RingIndex.REQ_PROD, true, -3),
                send(new Request.Read("/a")), send(new Request.Write("/a", Bytes.latin1("v w"))),
                send(new Request.Mkdir("/a")), send(new Request.Rm("/a")), send(new Request.Directory("/a")),
                send(new Request.DirectoryPart("/a", 2)), send(new Request.GetPerms("/a")),
                send(new Request.SetPerms("/a", List.of(Perm.none(0)))), send(new Request.Watch("/a", "t")),
                send(new Request.Unwatch("/a", "t")), send(new Request.Release(1)),
                send(new Request.IsDomainIntroduced(1)), send(new Request.GetDomainPath(1)),
                send(new Request.Resume(1)), send(new Request.SetTarget(1, 2)), send(new Request.ResetWatches()),
                send(new Request.Control(List.of("log", "on"))), send(new Request.Raw(2, Bytes.latin1("/x\0"))));
        for (Command c : all) {
            assertEquals(firstWord(TraceWriter.command(c)), TraceWriter.keyword(c), TraceWriter.command(c));
        }
    }

    @Test
    void theKeywordOfEveryStepOfThePinnedTracesIsTheFirstWordOfItsCommand() throws Exception {
        List<Path> files = new ArrayList<>();
        try (Stream<Path> s = Files.list(Path.of("src/test/resources/traces"))) {
            s.filter(p -> p.toString().endsWith(".trace")).forEach(files::add);
        }
        assertTrue(files.size() > 10, "pinned traces found: " + files.size());
        int steps = 0;
        for (Path f : files) {
            for (TraceLine line : TraceParser.parse(f).lines()) {
                if (line instanceof TraceLine.Step step) {
                    assertEquals(firstWord(TraceWriter.command(step.command())), TraceWriter.keyword(step.command()),
                            f + ": " + TraceWriter.line(step));
                    steps++;
                }
            }
        }
        assertTrue(steps > 100, "steps: " + steps);
    }

    private static Command send(Request r) {
        return new Command.Send(r);
    }

    private static String firstWord(String command) {
        int sp = command.indexOf(' ');
        return sp < 0 ? command : command.substring(0, sp);
    }
}
