package io.xscheck.conformance;

import io.xscheck.sut.Sut;
import io.xscheck.sut.SutConnection;

/**
 * A resettable test target whose case connections (privileged and guest) a test wraps to change what they answer;
 * the inspector, which the engine's own checks use, is left alone.
 */
public abstract class ConnectionWrappingSut extends DelegatingSut {
    protected ConnectionWrappingSut(Sut inner) {
        super(inner);
    }

    /** The connection the engine gets in place of {@code conn}. */
    protected abstract SutConnection wrap(SutConnection conn);

    @Override
    public SutConnection openPrivileged() {
        return wrap(inner.openPrivileged());
    }

    @Override
    public SutConnection openGuest(int domid) {
        return wrap(inner.openGuest(domid));
    }

    @Override
    public SutConnection openInspector() {
        return inner.openInspector();
    }

    @Override
    public boolean resettable() {
        return inner.resettable();
    }

    @Override
    public boolean reset(java.util.Set<Integer> guests) {
        return inner.reset(guests);
    }
}
