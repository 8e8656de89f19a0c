package io.xscheck.conformance.cli;

/** The {@code ./xscheck} command line. Exit codes: 0 clean, 1 divergence, 2 usage or environment. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "--help" : args[0];
        if (command.equals("--help") || command.equals("-h") || command.equals("help")) {
            System.out.println("usage: xscheck run|replay|gate|explain|serve ...");
            return;
        }
        System.err.println("xscheck: '" + command + "' is not available yet: the conformance engine"
                + " has not landed (see the engine issue).");
        System.exit(2);
    }
}
