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
 * The target's ceiling: a raw client on one privileged connection issuing the engine's commonest
 * ops (write, read, directory, get-perms, rm) with {@code WINDOW} requests in flight, no model, no
 * comparison. The engine's rate divided by this one is the ratio the summary prints.
 */
public final class RawRate {
    private static final int WINDOW = 32;

    private RawRate() {
    }

    /** Commands per second over {@code time} against a fresh target. */
    public static double measure(TargetFactory factory, Duration time) {
        Sut sut = factory.open();
        try (SutConnection c = sut.openPrivileged()) {
            String base = sut.sandboxRoot().equals("/") ? "/raw" : sut.sandboxRoot() + "/raw";
            c.call(0, new Request.Mkdir(base));
            ArrayDeque<CompletableFuture<Reply>> inFlight = new ArrayDeque<>();
            long deadline = System.nanoTime() + time.toNanos();
            long start = System.nanoTime();
            long done = 0;
            int i = 0;
            while (System.nanoTime() < deadline) {
                while (inFlight.size() < WINDOW) {
                    inFlight.add(c.send(0, request(base, i++)));
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
            BoundedClose.close(sut);
        }
    }

    private static Request request(String base, int i) {
        String p = base + "/k" + (i % 50);
        switch (i % 6) {
            case 0, 1: return new Request.Write(p, Bytes.latin1("v" + i));
            case 2: return new Request.Read(p);
            case 3: return new Request.Directory(base);
            case 4: return new Request.GetPerms(p);
            default: return new Request.Rm(base + "/k" + ((i + 25) % 50));
        }
    }
}
