/**
 * Wire and ring robustness ({@code ./xscheck fuzz}): hostile traffic from one attacker connection
 * (dom0's socket or a guest's ring), and after every step the robustness property: the daemon
 * lives, every bystander connection answers within the hang bound, and nothing but the attacker's
 * own connection is dropped. No model is involved; violations are shrunk to replayable traces.
 */
package io.xscheck.conformance.fuzz;
