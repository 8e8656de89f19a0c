/**
 * Test-case generation: {@link io.xscheck.conformance.gen.CommandTemplate} (random choices only),
 * {@link io.xscheck.conformance.gen.Templates} (QuickTheories generators with tunable
 * {@link io.xscheck.conformance.gen.Weights}) and {@link io.xscheck.conformance.gen.Resolver}, which
 * turns a template into a concrete step against what has been seen so far, so that a shrunk
 * sequence stays valid. Depends on the trace format, protocol value types and QuickTheories.
 */
package io.xscheck.conformance.gen;
