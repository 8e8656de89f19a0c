package io.xscheck.conformance;

import io.xscheck.sut.Health;
import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;

/**
 * A test target that is another one ({@code inner}, usually the model) in every respect a test does
 * not override: the tests' faulty and instrumented targets extend it and say only what differs.
 * Only {@link Sut}'s own methods are passed on; its defaults (reset, capabilities, delays) stay the
 * interface's unless a test overrides them.
 */
public abstract class DelegatingSut implements Sut {
    protected final Sut inner;

    protected DelegatingSut(Sut inner) {
        this.inner = inner;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String version() {
        return inner.version();
    }

    @Override
    public String dialect() {
        return inner.dialect();
    }

    @Override
    public boolean supportsGuests() {
        return inner.supportsGuests();
    }

    @Override
    public String sandboxRoot() {
        return inner.sandboxRoot();
    }

    @Override
    public SutConnection openPrivileged() {
        return inner.openPrivileged();
    }

    @Override
    public SutConnection openGuest(int domid) {
        return inner.openGuest(domid);
    }

    @Override
    public void killDomain(int domid) {
        inner.killDomain(domid);
    }

    @Override
    public Health health() {
        return inner.health();
    }

    @Override
    public String logTail(int lines) {
        return inner.logTail(lines);
    }

    @Override
    public void close() {
        inner.close();
    }
}
