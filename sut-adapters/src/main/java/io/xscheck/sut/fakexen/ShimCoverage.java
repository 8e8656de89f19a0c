package io.xscheck.sut.fakexen;

import io.xscheck.sut.process.ElfDynamic;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * Which hypervisor calls a daemon imports that the fake-Xen shim does not answer. Such a call goes
 * to the real Xen library, which finds no hypervisor: the daemon dies or hangs at start. Naming
 * the calls turns "exited(1)" into what the shim would need.
 */
final class ShimCoverage {

    /** The libraries whose functions talk to the hypervisor or its drivers. */
    private static final List<String> HYPERVISOR_PREFIXES = List.of("xc_", "xenevtchn_", "xengnttab_",
            "xenforeignmemory_", "xenmanage_", "xencall_");

    /**
     * Functions oxenstored imports but never calls: the OCaml Xenctrl bindings
     * (tools/ocaml/libs/xc/xenctrl_stubs.c) are linked whole, while xenstored's code calls only
     * interface_open/close, domain_getinfo(list) and map_foreign_range (tools/ocaml/xenstored
     * domains.ml, domain.ml; 4.17.7 and 4.20.4). Read from Debian's 4.17 and 4.20 oxenstored.
     */
    private static final Set<String> LINKED_NEVER_CALLED = Set.of("xc_assign_device", "xc_cpumap_alloc",
            "xc_deassign_device", "xc_domain_create", "xc_domain_destroy", "xc_domain_increase_reservation_exact",
            "xc_domain_iomem_permission", "xc_domain_ioport_permission", "xc_domain_irq_permission",
            "xc_domain_max_vcpus", "xc_domain_pause", "xc_domain_resume", "xc_domain_set_memmap_limit",
            "xc_domain_sethandle", "xc_domain_setmaxmem", "xc_domain_shutdown", "xc_domain_unpause",
            "xc_evtchn_alloc_unbound", "xc_evtchn_reset", "xc_evtchn_status", "xc_get_cpu_featureset",
            "xc_get_max_cpus", "xc_getcpuinfo", "xc_hvm_param_get", "xc_hvm_param_set", "xc_physinfo",
            "xc_readconsolering", "xc_sched_credit_domain_get", "xc_sched_credit_domain_set", "xc_sched_id",
            "xc_send_debug_keys", "xc_shadow_control", "xc_test_assign_device", "xc_vcpu_getaffinity",
            "xc_vcpu_getcontext", "xc_vcpu_getinfo", "xc_vcpu_setaffinity", "xc_version", "xc_watchdog",
            "xc_xenver_capabilities", "xc_xenver_changeset", "xc_xenver_extraversion");

    private ShimCoverage() {
    }

    /**
     * The hypervisor calls {@code binaries} import (the daemon, and the plugins it loads) that
     * {@code shim} does not define, leaving out those oxenstored links but never calls. Empty when
     * a file cannot be read: this only sharpens an error message.
     */
    static SortedSet<String> unanswered(List<Path> binaries, Path shim) {
        SortedSet<String> out = new TreeSet<>();
        try {
            Set<String> answered = ElfDynamic.read(shim).exported();
            for (Path b : binaries) {
                for (String s : ElfDynamic.read(b).imported()) {
                    if (HYPERVISOR_PREFIXES.stream().anyMatch(s::startsWith) && !answered.contains(s)
                            && !LINKED_NEVER_CALLED.contains(s)) {
                        out.add(s);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            return new TreeSet<>();
        }
        return out;
    }

    /** The daemon and every shared object below the directories its path map reads from. */
    static List<Path> filesOf(XenDaemon daemon) {
        List<Path> files = new java.util.ArrayList<>(List.of(daemon.binary()));
        for (Path dir : daemon.pathMap().values()) {
            try (Stream<Path> s = Files.walk(dir, 6)) {
                s.filter(f -> f.getFileName().toString().matches(".*\\.(so|cmxs)") && Files.isRegularFile(f)
                        && !f.equals(daemon.binary())).forEach(files::add);
            } catch (IOException e) {
                // a missing plugin directory is the daemon's own error to report
            }
        }
        return files;
    }

    /** The sentence added to a start failure, or "" when every hypervisor call it imports is answered. */
    static String explain(XenDaemon daemon, Path shim) {
        SortedSet<String> missing = unanswered(filesOf(daemon), shim);
        if (missing.isEmpty()) {
            return "";
        }
        return "; it imports hypervisor calls the fake-Xen shim does not answer (the real Xen library "
                + "then finds no hypervisor): " + String.join(", ", missing);
    }
}
