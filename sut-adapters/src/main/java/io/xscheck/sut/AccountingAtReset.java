package io.xscheck.sut;

import io.xscheck.protocol.Reply;

/**
 * What a target's own accounting of dom0 ({@code XS_CONTROL quota 0}) answered when the target was fresh, and what
 * it answered at the end of its last reset, when its tree was the fresh one again. The two differ where the target
 * keeps counts that its requests do not keep in step with its tree: a reset puts the tree back, not such counts
 * (oxenstored: an RM of {@code /} takes one entry more from dom0 than the restore gives back, and its next live update
 * counts the entries anew from the tree; sut-adapters AccountingAtResetTest).
 *
 * <p>The figure after a reset is asked in the reset's last round trip, behind its other requests: C's figures of
 * outstanding requests and of memory then count those requests too; the figures that count nodes (oxenstored's
 * entries, C's nodes) count the tree alone.
 *
 * @param fresh the answer right after the start, as the target came up
 * @param afterReset the answer once the last reset had put the tree back
 */
public record AccountingAtReset(Reply fresh, Reply afterReset) {
}
