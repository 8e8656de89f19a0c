package io.xscheck.conformance.engine;

import io.xscheck.protocol.Bytes;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.Request;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;

/**
 * The target's ceiling: a raw client on one privileged connection issuing the run's op mix (the
 * tree ops in the run's proportions; ops a raw client cannot repeat blindly, such as transactions,
 * watches and domain ops, count as reads) with {@code WINDOW} requests in flight, no model, no
 * comparison. The engine's rate divided by this one is the ratio the summary prints.
 */
public final class RawRate {
    private static final int WINDOW = 32;

    private RawRate() {
    }

    /** Commands per second over {@code time} against a fresh target, {@value #WINDOW} requests in flight. */
    public static double measure(TargetFactory factory, Duration time, java.util.Map<String, Long> opMix) {
        return measure(factory, time, opMix, WINDOW);
    }

    /** The same with {@code window} requests in flight (1: one round trip per request). */
    public static double measure(TargetFactory factory, Duration time, java.util.Map<String, Long> opMix, int window) {
        String[] schedule = schedule(opMix);
        Sut sut = TargetPool.openWithRetry(factory);
        // A shared daemon lends a case root, as it does to a test case; the whole tree is the engine's otherwise.
        String base = sut.capabilities().contains(io.xscheck.sut.Capability.WHOLE_TREE) ? "/raw" : sut.claimCaseRoot();
        try (SutConnection c = sut.openPrivileged()) {
            c.call(0, new Request.Mkdir(base));
            ArrayDeque<CompletableFuture<Reply>> inFlight = new ArrayDeque<>();
            long deadline = System.nanoTime() + time.toNanos();
            long start = System.nanoTime();
            long done = 0;
            int i = 0;
            while (System.nanoTime() < deadline) {
                while (inFlight.size() < window) {
                    inFlight.add(c.send(0, request(base, schedule[i % schedule.length], i)));
                    i++;
                }
                Awaits.reply(inFlight.poll(), sut);
                done++;
            }
            while (!inFlight.isEmpty()) {
                Awaits.reply(inFlight.poll(), sut);
                done++;
            }
            return done / ((System.nanoTime() - start) / 1e9);
        } finally {
            if (!base.equals("/raw")) {
                sut.releaseCaseRoot(base);
            }
            BoundedClose.close(sut);
        }
    }

    /** 100 op names in the run's proportions, interleaved. */
    static String[] schedule(java.util.Map<String, Long> opMix) {
        long total = opMix.values().stream().mapToLong(Long::longValue).sum();
        java.util.List<String> out = new java.util.ArrayList<>();
        if (total == 0) {
            return new String[] {"write", "read", "directory", "getperms", "rm"};
        }
        opMix.forEach((op, n) -> {
            long k = Math.max(1, Math.round(100.0 * n / total));
            for (long j = 0; j < k; j++) {
                out.add(op);
            }
        });
        java.util.Collections.shuffle(out, new java.util.Random(1));
        return out.toArray(String[]::new);
    }

    private static Request request(String base, String op, int i) {
        String p = base + "/k" + (i % 50);
        switch (op) {
            case "write": return new Request.Write(p, Bytes.latin1("v" + i));
            case "mkdir": return new Request.Mkdir(p);
            case "rm": return new Request.Rm(base + "/k" + ((i + 25) % 50));
            case "directory", "directorypart": return new Request.Directory(base);
            case "getperms": return new Request.GetPerms(p);
            case "setperms": return new Request.SetPerms(p, java.util.List.of(io.xscheck.protocol.Perm.none(0)));
            default: return new Request.Read(p);
        }
    }
}
