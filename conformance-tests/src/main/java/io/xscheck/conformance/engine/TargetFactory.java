package io.xscheck.conformance.engine;

import io.xscheck.sut.Sut;

/** Starts a fresh instance of one target (a trace replays against a fresh target). */
@FunctionalInterface
public interface TargetFactory {
    Sut open();
}
