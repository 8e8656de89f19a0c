package io.xscheck.conformance;

import io.xscheck.sut.Sut;
import io.xscheck.sut.SutOptions;
import io.xscheck.sut.Suts;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real targets a test starts itself. One that is not installed fails the test when the environment variable
 * {@code CI} is set (CI must not skip), and skips it otherwise.
 */
public final class InstalledTargets {
    private InstalledTargets() {
    }

    /** Fails (in CI) or skips the test unless {@code target} is installed. */
    public static void require(String target) {
        if (!Suts.installed().contains(target)) {
            String why = target + " is not installed here (installed: " + Suts.installed() + ")";
            if (System.getenv("CI") != null) {
                Assertions.fail(why + "; CI must run every target");
            }
            Assumptions.abort(why);
        }
    }

    /** A fresh {@code target}, started in a private directory of its own. */
    public static Sut open(String target) {
        require(target);
        return Suts.open(target, SutOptions.defaults());
    }
}
