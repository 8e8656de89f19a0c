/**
 * The text trace format that {@code ./xscheck replay} reads and every divergence report writes: one
 * connection declaration or one request per line, requests optionally followed by
 * {@code => EXPECT}. Transactions are named ({@code tx T1}), never numbered. Depends on
 * {@code io.xscheck.protocol} value types only.
 */
package io.xscheck.conformance.trace;
