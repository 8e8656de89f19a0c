package io.xscheck.conformance.cli;

import io.xscheck.sut.model.ModelServer;

import java.io.PrintStream;
import java.util.List;

/** {@code serve}: the model as a xenstore daemon; the targets module owns the server and its options. */
final class ServeCommand {
    private ServeCommand() {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) {
        return ModelServer.run(argv.toArray(String[]::new));
    }
}
