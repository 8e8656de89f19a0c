/**
 * The reference model of xenstore: a pure, readable executable specification, with the places
 * where the real implementations differ made explicit as {@link io.xscheck.model.Dialect} knobs.
 *
 * <p><b>Entry points.</b> {@link io.xscheck.model.Model#step} maps (state, connection,
 * transaction, request) to an {@link io.xscheck.model.Outcome}: the set of
 * {@link io.xscheck.model.Allowed} results (reply, next {@link io.xscheck.model.ModelState}, watch
 * events as a multiset of {@link io.xscheck.model.Delivery}) and the deciding {@link io.xscheck.model.Rule}.
 * {@link io.xscheck.model.Snapshot} turns a state into bytes and back.
 *
 * <p><b>Reading the model.</b> Each area is one small class whose Javadoc is the page of the spec
 * and whose rules are {@link io.xscheck.model.Rule} values, each with its room, one sentence and its
 * {@link io.xscheck.model.Evidence} per dialect (xenstore.txt, a daemon source function at a tag, or a
 * probe transcript under {@code model/src/test/resources/probes/}); {@link io.xscheck.model.RuleScope}
 * says which knob values each rule needs:
 * <ul>
 * <li>{@link io.xscheck.model.Paths}: syntax, relative paths, length limits, special names;</li>
 * <li>{@link io.xscheck.model.Permissions} and {@link io.xscheck.model.Acl}: who may do what, canonical ACLs;</li>
 * <li>{@link io.xscheck.model.TreeOps}: READ, WRITE, MKDIR, RM, DIRECTORY(_PART), GET/SET_PERMS;</li>
 * <li>{@link io.xscheck.model.Watches}: registration, which watches fire, filtering, duplicates;</li>
 * <li>{@link io.xscheck.model.Transactions}: isolation, commit, the three conflict rules;</li>
 * <li>{@link io.xscheck.model.Domains}: INTRODUCE, RELEASE, domain death, GET_DOMAIN_PATH, SET_TARGET;</li>
 * <li>{@link io.xscheck.model.Quotas}: limits, their defaults per dialect and whom they bind;</li>
 * <li>{@link io.xscheck.model.Dialect}: a dialect's row of each room's knob table ({@link io.xscheck.model.PathKnobs},
 * {@link io.xscheck.model.AclKnobs}, {@link io.xscheck.model.SetPermsKnobs}, {@link io.xscheck.model.TreeKnobs},
 * {@link io.xscheck.model.WatchKnobs}, {@link io.xscheck.model.TransactionKnobs}, {@link io.xscheck.model.DomainKnobs},
 * {@link io.xscheck.model.RequestKnobs}, {@link io.xscheck.model.Quotas}, {@link io.xscheck.model.RestartKnobs}):
 * every knob, named for its behaviour, with its evidence.</li>
 * </ul>
 * The state: {@link io.xscheck.model.Tree} (path to {@link io.xscheck.model.Node}, on the
 * structurally shared {@link io.xscheck.model.PersistentMap}), connections with their watches and
 * {@link io.xscheck.model.Transaction}s, introduced {@link io.xscheck.model.Domain}s.
 *
 * <p><b>Rules of the package.</b> Pure: no I/O, no clocks, no randomness, no mutable shared state;
 * every state is an immutable value. Depends only on the protocol module's value types
 * ({@code Request}, {@code Reply}, {@code Perm}, {@code Bytes}, {@code WatchEvent}, {@code XsError},
 * {@code Op}) and Guava.
 */
package io.xscheck.model;
