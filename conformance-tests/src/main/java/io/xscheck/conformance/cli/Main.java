package io.xscheck.conformance.cli;

import io.xscheck.sut.SutException;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;

/** The {@code ./xscheck} command line. Exit codes: 0 clean, 1 divergence, 2 usage or environment. */
public final class Main {
    private static final String USAGE = """
            usage: xscheck COMMAND [options]

              run [--sut cxenstored,oxenstored,cxenstored-4.20,oxenstored-4.20,qemu,model,socket:PATH,
                         cxenstored=BINARY,oxenstored=BINARY,cxenstored@tree=XEN_SOURCE_DIR,
                         oxenstored@tree=XEN_SOURCE_DIR] [--dialect NAME|auto]
                  [--time 60s | --sequences N] [--seed S] [--jobs N] [--max-length N]
                  [--weights kind=N,...] [--report-dir DIR] [--shrink-time 20s] [--tree-every N]
                  [--write-baselines DIR] [--quotas default|low]
                  [--raw-time 2s] [--no-raw] [--unsafe-requests]
                  every target installed (default) against the model for 60 s; summary table,
                  reports under target/xscheck/. socket:PATH is a daemon we did not start (a live
                  host's): only node, watch and transaction requests inside a sandbox subtree are
                  sent, its dialect is detected (--dialect auto); --unsafe-requests also sends it
                  malformed requests, which CAN CRASH THE DAEMON (C xenstored 4.17 aborts)
              gate --baseline FILE[,FILE] [--prune | --resign] [--explore] [run options]
                  0 when every divergence found is in the baseline, 1 on anything new (a fixed
                  seed unless --seed S or --explore, which draws a new one); reports
                  baseline entries that no longer reproduce (--prune removes them from the files;
                  --resign rewrites each entry's signature from its replay, and stops)
              replay FILE... [--sut X[,Y]] [--dialect NAME] [--quotas default|low] [--unsafe-requests]
                  [--robustness]
                  replays traces side by side and checks every => EXPECT (--sut model: the model alone);
                  a trace with rawbytes or ring steps (or any, with --robustness) is checked for
                  robustness on each target instead: daemon alive, bystanders answered
              fuzz [--sut cxenstored,oxenstored,qemu,socket:PATH] [--time 60s] [--seed S]
                  [--report-dir DIR] [--shrink-time 30s] [--max-actions N] [--cases N]
                  [--unsafe-requests]
                  malformed wire traffic and corrupted guest ring indexes against every installed
                  daemon (default); each violation of the robustness property (the daemon lives,
                  bystanders are answered within 1 s, only the attacker may be dropped) is shrunk to
                  a reproducer under DIR/fuzz/; exit 1 on a violation
              explain 'A write /x y' ['A read /x' ...] [--dialect NAME]
                  what the model answers, and which rule decided: its statement and evidence
              rules [--report-dir DIR] [--write-docs] [--seed S] [--cases N]
                  the rule book (DIR/rulebook.md and .html, default target/xscheck): per room each
                  rule's statement, where it applies, its evidence, an example trace, and the
                  verdicts of the last run in DIR; from the repository's top directory also
                  docs/rulebook.md (--write-docs: fail if not there)
              serve ...
                  the model as a xenstore daemon on a Unix socket (see `xscheck serve --help`)
              bench [--sut LIST] [--time 20s] [--raw-time 3s] [--jobs N] [--seed S]
                  per target: the raw client's rate with 1 and with 32 requests in flight, the
                  engine's rate, the ratios, and where the engine's time goes (bench.json)
              launch --sut cxenstored|oxenstored
                  one real daemon under the fake-Xen shim until Ctrl-C; prints its socket

            exit codes: 0 clean, 1 divergence or failed expectation, 2 usage or environment error
            """;

    private Main() {
    }

    public static void main(String[] args) {
        int code = run(Arrays.asList(args), System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    static int run(List<String> args, PrintStream out, PrintStream err) {
        String command = args.isEmpty() ? "--help" : args.get(0);
        List<String> rest = args.subList(Math.min(1, args.size()), args.size());
        try {
            switch (command) {
                case "--help", "-h", "help":
                    out.print(USAGE);
                    return args.isEmpty() ? 2 : 0;
                case "run":
                    if (rest.contains("--help")) {
                        out.print(USAGE);
                        return 0;
                    }
                    return RunCommand.main(rest, out, err);
                case "gate":
                    return GateCommand.main(rest, out, err);
                case "replay":
                    return ReplayCommand.main(rest, out, err);
                case "fuzz":
                    if (rest.contains("--help")) {
                        out.print(USAGE);
                        return 0;
                    }
                    return FuzzCommand.main(rest, out, err);
                case "explain":
                    return ExplainCommand.main(rest, out, err);
                case "rules":
                    return RulesCommand.main(rest, out, err);
                case "serve":
                    return ServeCommand.main(rest, out, err);
                case "launch":
                    return LaunchCommand.main(rest, out, err);
                case "bench":
                    return BenchCommand.main(rest, out, err);
                default:
                    err.println("xscheck: unknown command '" + command + "'");
                    err.print(USAGE);
                    return 2;
            }
        } catch (UsageException e) {
            err.println("xscheck: " + e.getMessage());
            return 2;
        } catch (SutException e) {
            err.println("xscheck: target problem: " + e.getMessage());
            return 2;
        } catch (io.xscheck.conformance.engine.TraceUseException e) {
            err.println("xscheck: the trace cannot be run: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("xscheck: " + e.getMessage());
            return 2;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 2;
        }
    }
}
