package io.xscheck.conformance.cli;

import java.io.PrintStream;
import java.util.List;

/** {@code serve}: hands over to the model server of the targets module. */
final class ServeCommand {
    private ServeCommand() {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) {
        err.println("xscheck: serve: the model server has not landed in sut-adapters yet");
        return 2;
    }
}
