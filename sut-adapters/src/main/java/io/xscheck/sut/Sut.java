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

    /**
     * What this target can take (see {@link Capability}); what it lacks is never generated or
     * replayed. Own targets take everything their {@link #supportsGuests()} allows.
     */
    default java.util.Set<Capability> capabilities() {
        return supportsGuests() ? Capability.all() : Capability.allButGuests();
    }

    /**
     * A fresh subtree for one test case on a target whose whole tree is not the engine's (no
     * {@link Capability#WHOLE_TREE}): an absent path below {@link #sandboxRoot()}, from now on
     * writable by the engine's connections, of the same length as every other case root of its
     * kind (so a trace moved from one case root to another keeps its path lengths). The caller
     * creates it with a request and hands it back with {@link #releaseCaseRoot}.
     *
     * @throws UnsupportedOperationException on a target the engine owns whole
     */
    default String claimCaseRoot() {
        throw new UnsupportedOperationException(name() + " is the engine's whole; cases use /");
    }

    /** Removes a case root from {@link #claimCaseRoot} with everything below it; never throws. */
    default void releaseCaseRoot(String root) {
    }

    /** A privileged (dom0) connection. */
    SutConnection openPrivileged();

    /**
     * A privileged connection for reading the tree back between a case's steps, which sends no
     * watch and no transaction. It may be one the target keeps open across cases (its close then
     * does nothing); by default a new {@link #openPrivileged()} one.
     */
    default SutConnection openInspector() {
        return openPrivileged();
    }

    /**
     * A connection speaking as guest {@code domid}: creates the domain's state and ring, introduces
     * the domain if it is not yet introduced, and returns its connection.
     *
     * @throws UnsupportedOperationException when {@link #supportsGuests()} is false
     */
    SutConnection openGuest(int domid);

    /** Marks the domain dying and fires the domain-exception VIRQ (@releaseDomain, cleanup). */
    void killDomain(int domid);

    /**
     * {@link #killDomain(int)} for a domain the caller does not expect the daemon to release (a
     * known bug): the wait for the release is at most {@code releaseBound}, a hang reported as
     * {@link #killDomain(int)} reports it. Targets that do not wait for a release ignore the bound.
     */
    default void killDomain(int domid, java.time.Duration releaseBound) {
        killDomain(domid);
    }

    /**
     * Live update ({@link Capability#LIVE_UPDATE}): asks the daemon, through the privileged
     * connection {@code via}, to replace itself with the same binary keeping its state, and waits
     * until it has (or has refused). {@code force} lets it go ahead despite open transactions.
     * Returns the daemon's final answer to the client, as it came.
     */
    default io.xscheck.protocol.Reply liveUpdate(SutConnection via, boolean force) {
        throw new UnsupportedOperationException(name() + " cannot live-update");
    }

    /**
     * {@link #liveUpdate(SutConnection, boolean)}, where {@code heldBackExpected} says that the caller's model
     * expects the daemon to hold the update back (oxenstored's "BUSY" while a transaction is open or a domain has a
     * target): a target that polls until a pending update ends need not poll long for one that is not going to.
     */
    default io.xscheck.protocol.Reply liveUpdate(SutConnection via, boolean force, boolean heldBackExpected) {
        return liveUpdate(via, force);
    }

    /**
     * Migration ({@link Capability#MIGRATE}): the store is serialized, a new one created and the
     * serialized state loaded into it, through {@code via}. Returns the answer to the client.
     */
    default io.xscheck.protocol.Reply migrate(SutConnection via) {
        throw new UnsupportedOperationException(name() + " cannot migrate");
    }

    /**
     * How much longer than a local daemon's microseconds a request of domain {@code domid} may take
     * by the target's own design (a rate limit), before the engine looks into it as a hang.
     */
    default java.time.Duration mayDelay(int domid) {
        return java.time.Duration.ZERO;
    }

    /** Checks the target now; a running process that does not answer within 5 s is {@link Health.Hung}. */
    Health health();

    /** The last {@code lines} lines of the target's output and logs. */
    String logTail(int lines);

    /**
     * Returns the target to the state it started in, so that the next test case can use it
     * instead of a new one: tree, domains, watches and transactions as a fresh start has them. The
     * caller closes every connection it opened first. Returns false, never throws, when the
     * target cannot be brought back or this kind of target cannot be reset at all; the caller then
     * closes it. A state that no client request can read (a quota counter) may still differ from
     * a fresh start's, which is why the engine confirms on a fresh target whatever a reset one
     * showed.
     */
    default boolean reset(java.util.Set<Integer> guests) {
        return false;
    }

    /**
     * {@link #reset(java.util.Set)}, where the guest domains of {@code keep} (introduced by
     * {@link #openCaseGuest} and named by no domain operation of the case: never killed, released,
     * re-introduced or targeted) may stay introduced, and the connections {@link #openCasePrivileged}
     * and {@link #openCaseGuest} lent may stay open, each cleared to a fresh connection's state: no
     * watch, no transaction, no event queued. By default the plain reset.
     */
    default boolean reset(java.util.Set<Integer> guests, java.util.Set<Integer> keep) {
        return reset(guests);
    }

    /**
     * {@link #reset(java.util.Set, java.util.Set)}, given the whole tree as a privileged client read it after the
     * case's last step ({@code seen}, read from {@code /}; null when not read): a target that would read its tree
     * again to know what to restore may use it instead. Its reset still checks the result.
     */
    default boolean reset(java.util.Set<Integer> guests, java.util.Set<Integer> keep, TreeImage seen) {
        return reset(guests, keep);
    }

    /**
     * dom0's own accounting as the target's last {@link #reset} left it, next to a fresh start's (see
     * {@link AccountingAtReset}); empty when the target was not reset since its start, or reads no such figures.
     */
    default java.util.Optional<AccountingAtReset> accountingAtReset() {
        return java.util.Optional.empty();
    }

    /**
     * A privileged connection for one test case: by default a new one; a target that resets may
     * lend one an earlier case used, cleared by {@link #reset(java.util.Set, java.util.Set)} (its
     * close then hands it back).
     */
    default SutConnection openCasePrivileged() {
        return openPrivileged();
    }

    /**
     * Readies the guest domains a test case is about to open with {@link #openCaseGuest}, all at
     * once where the target can (their introductions in one round trip); by default nothing.
     */
    default void prepareCaseGuests(java.util.Set<Integer> domids) {
    }

    /** {@link #openGuest}, for one test case: a target that resets may lend the domain it kept. */
    default SutConnection openCaseGuest(int domid) {
        return openGuest(domid);
    }

    /** Whether {@link #reset} can work on this kind of target at all. */
    default boolean resettable() {
        return false;
    }

    /**
     * Whether {@link #reset} makes the target's state anew, as its start makes it, instead of
     * undoing what a case did request by request: then no state of a case, read by a request or
     * not, outlives its reset, and what a reset target shows needs no confirmation on a fresh one.
     */
    default boolean resetRenewsState() {
        return false;
    }

    /** Stops the target, reaps it and deletes its temp directory; idempotent; never throws. */
    @Override
    void close();
}
