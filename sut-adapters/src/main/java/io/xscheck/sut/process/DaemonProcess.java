package io.xscheck.sut.process;

import io.xscheck.sut.Health;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A daemon this JVM started in its own {@link PrivateDir}: its output goes to a file there, and
 * it is stopped (SIGTERM, then SIGKILL after a grace period), reaped and its directory deleted on
 * {@link #close()}, or by a shutdown hook if the JVM exits first (Ctrl-C, a failed test run).
 */
public final class DaemonProcess implements AutoCloseable {

    /** stdout and stderr of the daemon, interleaved. */
    public static final String OUTPUT_LOG = "output.log";

    /**
     * The JDK reports a child killed by signal N as exit status 128 + N
     * (ProcessHandleImpl_unix.c); a daemon exiting with such a status by itself looks the same.
     */
    private static final int SIGNAL_BASE = 128;

    private final String name;
    private final Process process;
    private final PrivateDir dir;
    private final Duration stopTimeout;
    private final LogTail logs;
    private final Thread shutdownHook;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String finalTail;

    private DaemonProcess(String name, Process process, PrivateDir dir, Duration stopTimeout, LogTail logs) {
        this.name = name;
        this.process = process;
        this.dir = dir;
        this.stopTimeout = stopTimeout;
        this.logs = logs;
        this.shutdownHook = new Thread(this::stopAndDelete, "xscheck-stop-" + name + "-" + process.pid());
    }

    /**
     * Starts {@code command} with the directory as working directory, stdin from /dev/null,
     * the JVM's environment without any LD_PRELOAD plus {@code env}, and output into
     * {@link #OUTPUT_LOG}. {@code logFiles} name further logs in the directory for {@link #logTail}.
     * The directory becomes the daemon's: it is deleted when the daemon is closed.
     */
    public static DaemonProcess start(String name, List<String> command, Map<String, String> env,
                                      PrivateDir dir, Duration stopTimeout, List<String> logFiles) {
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.path().toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(OUTPUT_LOG).toFile());
        pb.environment().remove("LD_PRELOAD");
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            dir.close();
            throw new UncheckedIOException("cannot start " + name + ": " + String.join(" ", command), e);
        }
        LogTail logs = new LogTail(dir.path(),
                java.util.stream.Stream.concat(java.util.stream.Stream.of(OUTPUT_LOG), logFiles.stream()).toList());
        DaemonProcess d = new DaemonProcess(name, p, dir, stopTimeout, logs);
        try {
            Runtime.getRuntime().addShutdownHook(d.shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // Started while the JVM shuts down (a campaign thread replacing a target the shutdown closed): no hook
            // will stop it, so it goes now (a run stopped with Ctrl-C left hundreds of directories otherwise).
            d.stopAndDelete();
            throw new io.xscheck.sut.SutException(io.xscheck.sut.SutException.Kind.ENVIRONMENT, name,
                    "not started: the JVM is shutting down", "");
        }
        return d;
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public PrivateDir dir() {
        return dir;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Alive, or how the process ended. Says nothing about whether it answers. */
    public Health processHealth() {
        if (process.isAlive()) {
            return Health.alive();
        }
        int status = process.exitValue();
        if (status > SIGNAL_BASE && status < SIGNAL_BASE + 65) {
            return new Health.Signalled(status - SIGNAL_BASE);
        }
        return new Health.Exited(status);
    }

    /** Waits up to {@code timeout} for the process to end; true when it has. */
    public boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The last {@code lines} lines of each log; kept after {@link #close()}. */
    public String logTail(int lines) {
        String kept = finalTail;
        return kept != null ? LogTail.lastLines(kept, lines) : logs.tail(lines);
    }

    /** Sends SIGKILL now (a test of failure detection); the process is reaped by {@link #close()}. */
    public void killHard() {
        process.destroyForcibly();
    }

    /** Stops, reaps, deletes the directory; idempotent, never throws. */
    @Override
    public void close() {
        stopAndDelete();
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook is running or ran
        }
    }

    private void stopAndDelete() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stop();
        } finally {
            finalTail = logs.tail(LogTail.KEPT_LINES);
            try {
                dir.close();
            } catch (UncheckedIOException e) {
                System.err.println("xscheck: " + e.getMessage());
            }
        }
    }

    private void stop() {
        boolean interrupted = false;
        try {
            if (process.isAlive()) {
                process.destroy();
                try {
                    if (!process.waitFor(stopTimeout.toNanos(), TimeUnit.NANOSECONDS)) {
                        process.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    interrupted = true;
                    process.destroyForcibly();
                }
            }
            // Reap, so no zombie remains; SIGKILL cannot be ignored, so this ends.
            while (true) {
                try {
                    process.waitFor();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public String toString() {
        return name + "[pid " + process.pid() + ", " + dir + "]";
    }
}
