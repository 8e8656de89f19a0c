/**
 * The reference model as a target: {@link io.xscheck.sut.model.ModelSut} runs it in process (no
 * socket; the engine's fast self-tests; it live-updates and migrates as its dialect's daemon does),
 * {@link io.xscheck.sut.model.ModelServer} serves it over
 * xs_wire on Unix sockets like a xenstored ({@code ./xscheck serve}). Both drive one
 * {@link io.xscheck.sut.model.LiveModel}: the current state, requests applied one at a time.
 *
 * <p>May depend on {@code io.xscheck.sut}, {@code io.xscheck.model}, {@code io.xscheck.protocol},
 * Guava and the JDK.
 */
package io.xscheck.sut.model;
