package run.codetether.contracts.cognition;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;
import java.util.List;

/**
 * What the persona runtime in swarm-service publishes on {@code cognition.events} (one partition, read by every
 * gateway replica from the start, so a restarted gateway rebuilds its buffers).
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CognitionRecord.Thought.class, name = "thought"),
    @JsonSubTypes.Type(value = CognitionRecord.Snapshot.class, name = "snapshot"),
    @JsonSubTypes.Type(value = CognitionRecord.View.class, name = "view"),
    @JsonSubTypes.Type(value = CognitionRecord.Reply.class, name = "reply")
})
public sealed interface CognitionRecord {

    /** A thought event for the SSE stream. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Thought(ThoughtEvent event) implements CognitionRecord {}

    /** A memory snapshot from a compress phase. */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Snapshot(MemorySnapshot snapshot) implements CognitionRecord {}

    /**
     * The runtime's whole state after a change or a tick: what {@code status} and {@code lineage} answer.
     *
     * @param proposals the newest proposals, at most the runtime's bound ({@code max-proposals}), oldest first
     * @param owner instance id of the swarm-service replica that runs the loop
     * @param proposalsDropped how many older proposals the bound dropped since cognition first ran (0 in a View of
     *     a replica that predates the bound)
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record View(
            CognitionStatus status,
            List<PersonaRuntimeState> personas,
            LineageGraph lineage,
            List<Proposal> proposals,
            String owner,
            Instant at,
            long proposalsDropped)
            implements CognitionRecord {
        public View {
            personas = personas == null ? List.of() : List.copyOf(personas);
            proposals = proposals == null ? List.of() : List.copyOf(proposals);
        }

        /** A View with no proposal dropped. */
        public View(CognitionStatus status, List<PersonaRuntimeState> personas, LineageGraph lineage,
                List<Proposal> proposals, String owner, Instant at) {
            this(status, personas, lineage, proposals, owner, at, 0);
        }
    }

    /**
     * The answer to one {@link CognitionCommand}: {@code httpStatus} 200 with exactly one body field set, or a 4xx
     * with {@code error} (404 unknown persona, 409 duplicate id, 422 past a spawn limit).
     */
    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Reply(
            String requestId,
            int httpStatus,
            String error,
            CognitionStatus status,
            PersonaRuntimeState persona,
            ReapPersonaResponse reap)
            implements CognitionRecord {}
}
