package io.xscheck.model;

import com.google.common.collect.ImmutableSet;

/**
 * Where a reader can check a rule, and for which dialects: a daemon's source at a tag, a probe
 * transcript in this repository (model/src/test/resources/probes/), or a section of
 * docs/misc/xenstore.txt. {@code EvidenceTest} checks that every probe reference resolves.
 */
public sealed interface Evidence permits Evidence.Source, Evidence.Probe, Evidence.Spec {

    /** The dialects this evidence speaks for. */
    ImmutableSet<String> dialects();

    /** One line a reader can follow. */
    String cite();

    /** A function in a daemon's source file at a release tag. */
    record Source(String project, String tag, String file, String function, ImmutableSet<String> dialects)
            implements Evidence {
        @Override
        public String cite() {
            return project + " " + tag + " " + file + " " + function;
        }
    }

    /**
     * A transcript of a real run: {@code file} under model/src/test/resources/probes/, and
     * {@code title}, text of the line (or section heading) that shows the behaviour.
     */
    record Probe(String file, String title, ImmutableSet<String> dialects) implements Evidence {
        @Override
        public String cite() {
            return "probe " + file + " \"" + title + "\"";
        }
    }

    /** A section of docs/misc/xenstore.txt: the text a line of it starts with (a request name or a sentence). */
    record Spec(String section, ImmutableSet<String> dialects) implements Evidence {
        @Override
        public String cite() {
            return "xenstore.txt \"" + section + "\"";
        }
    }

    ImmutableSet<String> C = ImmutableSet.of(Dialect.CXENSTORED, Dialect.CXENSTORED_420);
    ImmutableSet<String> O = ImmutableSet.of(Dialect.OXENSTORED, Dialect.OXENSTORED_420);
    ImmutableSet<String> Q = ImmutableSet.of(Dialect.QEMU);
    ImmutableSet<String> C420 = ImmutableSet.of(Dialect.CXENSTORED_420);
    ImmutableSet<String> O420 = ImmutableSet.of(Dialect.OXENSTORED_420);
    ImmutableSet<String> C417 = ImmutableSet.of(Dialect.CXENSTORED);
    ImmutableSet<String> O417 = ImmutableSet.of(Dialect.OXENSTORED);
    ImmutableSet<String> ALL = ImmutableSet.of(Dialect.CXENSTORED, Dialect.OXENSTORED, Dialect.CXENSTORED_420,
            Dialect.OXENSTORED_420, Dialect.QEMU, Dialect.SPEC);

    /** C xenstored at RELEASE-4.17.7 (tools/xenstore/); the 4.20 row keeps it unless its own evidence says otherwise. */
    static Evidence c(String file, String function) {
        return new Source("xen", "RELEASE-4.17.7", "tools/xenstore/" + file, function, C);
    }

    /** C xenstored at RELEASE-4.20.4 (tools/xenstored/). */
    static Evidence c420(String file, String function) {
        return new Source("xen", "RELEASE-4.20.4", "tools/xenstored/" + file, function, C420);
    }

    /** oxenstored at RELEASE-4.17.7 (tools/ocaml/xenstored/). */
    static Evidence o(String file, String function) {
        return new Source("xen", "RELEASE-4.17.7", "tools/ocaml/xenstored/" + file, function, O);
    }

    /** QEMU 10.0's Xen-on-KVM store (hw/i386/kvm/). */
    static Evidence q(String file, String function) {
        return new Source("qemu", "v10.0.0", "hw/i386/kvm/" + file, function, Q);
    }

    static Evidence probe(String file, String title, ImmutableSet<String> dialects) {
        return new Probe(file, title, dialects);
    }

    /** xenstore.txt: the spec dialect's only evidence. */
    static Evidence spec(String section) {
        return new Spec(section, ImmutableSet.of(Dialect.SPEC));
    }

    /** xenstore.txt where it binds other dialects too (a limit of the protocol itself). */
    static Evidence spec(String section, ImmutableSet<String> dialects) {
        return new Spec(section, dialects);
    }
}
