package io.xscheck.conformance.cli;

import io.xscheck.sut.Capability;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import io.xscheck.sut.fakexen.XenDaemonSut;

import java.io.PrintStream;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * {@code launch --sut cxenstored}: starts one daemon under the fake-Xen shim, as a test host's
 * daemon would run, prints its socket and waits until Ctrl-C, then stops it and removes its
 * directory. For trying {@code socket:PATH} (or any other xenstore client) against a real daemon
 * without a hypervisor.
 */
final class LaunchCommand {
    static final Set<String> OPTIONS = Set.of("sut");

    private LaunchCommand() {
    }

    static int main(List<String> argv, PrintStream out, PrintStream err) throws InterruptedException {
        Args a = new Args(argv, OPTIONS, Set.of());
        String spec = a.get("sut").orElseThrow(() -> new UsageException("launch needs --sut cxenstored|oxenstored"));
        Sut sut = Suts.open(spec, SutOptions.defaults());
        if (!(sut instanceof XenDaemonSut daemon) || !sut.capabilities().contains(Capability.WHOLE_TREE)) {
            sut.close();
            throw new UsageException("launch starts a daemon under the shim (cxenstored, oxenstored), not " + spec);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            daemon.close();
            stopped.countDown();
        }, "xscheck-launch-stop"));
        out.println(spec + " " + daemon.version() + " is running as pid " + daemon.pid());
        out.println("socket: " + daemon.directory().resolve("socket"));
        out.println("try: ./xscheck run --sut socket:" + daemon.directory().resolve("socket") + "    (Ctrl-C here stops it)");
        out.flush();
        stopped.await();
        return 0;
    }
}
