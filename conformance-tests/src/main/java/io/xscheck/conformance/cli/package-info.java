/**
 * The {@code ./xscheck} command line: {@code run}, {@code gate}, {@code replay}, {@code explain},
 * {@code serve}. Exit codes: 0 clean, 1 divergence or failed expectation, 2 usage or environment
 * error. May depend on everything in the project.
 */
package io.xscheck.conformance.cli;
