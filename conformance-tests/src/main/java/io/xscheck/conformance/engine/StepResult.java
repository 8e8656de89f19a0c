package io.xscheck.conformance.engine;

import io.xscheck.conformance.trace.TraceLine;
import io.xscheck.protocol.Reply;
import io.xscheck.protocol.WatchEvent;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one step did on each side.
 *
 * @param modelReplies every reply the model allows (the first is its own choice)
 * @param followed the reply of the outcome the model followed
 * @param target the target's reply; empty without a target or for {@code events}
 * @param modelEvents events the model delivered in this step, per connection
 * @param targetEvents events the target delivered in this step, per connection
 * @param eventsCheck for an {@code events} step: the events the connection got since its last one
 * @param expectationFailed a {@code => EXPECT} that the answer did not satisfy
 */
public record StepResult(int index, TraceLine.Step step, String rule, List<Reply> modelReplies, Reply followed,
                         Optional<Reply> target, Map<String, List<WatchEvent>> modelEvents,
                         Map<String, List<WatchEvent>> targetEvents, Optional<List<WatchEvent>> eventsCheck,
                         Optional<Divergence> divergence, boolean expectationFailed) {
}
