/**
 * What a run leaves behind: the summary table, JSON, JUnit XML and an HTML page with the divergence
 * matrix (under {@code target/xscheck/}), and baselines of known divergences that {@code gate}
 * checks. Depends on the engine's result records only.
 */
package io.xscheck.conformance.report;
