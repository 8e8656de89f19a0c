package io.xscheck.sut.fakexen;

import io.xscheck.sut.SutOptions;

import java.nio.file.Path;

/**
 * A stand-in harness for {@link AbnormalExitTest}, run in its own JVM: starts a daemon, prints
 * its pid and directory, and waits to be killed.
 */
public final class HarnessProcess {

    private HarnessProcess() {
    }

    public static void main(String[] args) throws Exception {
        XenDaemon daemon = Daemons.named(args[0]);
        XenDaemonSut sut = XenDaemonSut.start(daemon, SutOptions.defaults().withTempParent(Path.of(args[1])));
        System.out.println(sut.pid() + " " + sut.directory());
        System.out.flush();
        Thread.sleep(60_000);
        sut.close();
    }
}
