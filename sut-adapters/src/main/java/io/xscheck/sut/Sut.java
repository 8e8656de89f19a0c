package io.xscheck.sut;

/**
 * A system under test: one running xenstore implementation the engine may talk to. Targets the
 * project started itself are owned entirely (sandbox {@code /}); an external daemon given by path
 * is confined to a sandbox subtree.
 */
public interface Sut extends AutoCloseable {

    /** e.g. {@code cxenstored}, {@code oxenstored}, {@code qemu}, {@code model}, {@code socket:/path}. */
    String name();

    /** The implementation's version, e.g. the Debian package version of the daemon. */
    String version();

    /** The model dialect to compare this target with (see {@code Dialect.named}). */
    String dialect();

    /** Whether {@link #openGuest(int)} and {@link #killDomain(int)} work on this target. */
    boolean supportsGuests();

    /** The subtree the engine may write: {@code /} for own targets, a sandbox path otherwise. */
    String sandboxRoot();

    /** A privileged (dom0) connection. */
    SutConnection openPrivileged();

    /**
     * A connection speaking as guest {@code domid}: creates the domain's state and ring, introduces
     * the domain if it is not yet introduced, and returns its connection.
     *
     * @throws UnsupportedOperationException when {@link #supportsGuests()} is false
     */
    SutConnection openGuest(int domid);

    /** Marks the domain dying and fires the domain-exception VIRQ (@releaseDomain, cleanup). */
    void killDomain(int domid);

    /** Checks the target now; a running process that does not answer within 5 s is {@link Health.Hung}. */
    Health health();

    /** The last {@code lines} lines of the target's output and logs. */
    String logTail(int lines);

    /** Stops the target, reaps it and deletes its temp directory; idempotent; never throws. */
    @Override
    void close();
}
