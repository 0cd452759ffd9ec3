package run.codetether.contracts.cognition;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import java.time.Instant;

/**
 * A cognition API call forwarded by a gateway replica on {@code cognition.commands} (one partition, so one
 * swarm-service replica owns the persona runtime). The owner answers with a {@link CognitionRecord.Reply} carrying
 * the same {@code requestId} on {@code cognition.events}.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = CognitionCommand.Start.class, name = "start"),
    @JsonSubTypes.Type(value = CognitionCommand.Stop.class, name = "stop"),
    @JsonSubTypes.Type(value = CognitionCommand.CreatePersona.class, name = "create_persona"),
    @JsonSubTypes.Type(value = CognitionCommand.SpawnPersona.class, name = "spawn_persona"),
    @JsonSubTypes.Type(value = CognitionCommand.ReapPersona.class, name = "reap_persona")
})
public sealed interface CognitionCommand {

    String requestId();

    Instant requestedAt();

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Start(String requestId, StartCognitionRequest request, Instant requestedAt) implements CognitionCommand {
        public Start {
            Text.require(requestId, "request_id");
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record Stop(String requestId, StopCognitionRequest request, Instant requestedAt) implements CognitionCommand {
        public Stop {
            Text.require(requestId, "request_id");
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record CreatePersona(String requestId, CreatePersonaRequest request, Instant requestedAt)
            implements CognitionCommand {
        public CreatePersona {
            Text.require(requestId, "request_id");
            if (request == null) {
                throw new IllegalArgumentException("request is required");
            }
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record SpawnPersona(String requestId, String parentId, SpawnPersonaRequest request, Instant requestedAt)
            implements CognitionCommand {
        public SpawnPersona {
            Text.require(requestId, "request_id");
            Text.require(parentId, "parent_id");
            if (request == null) {
                throw new IllegalArgumentException("request is required");
            }
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }

    @JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
    record ReapPersona(String requestId, String personaId, ReapPersonaRequest request, Instant requestedAt)
            implements CognitionCommand {
        public ReapPersona {
            Text.require(requestId, "request_id");
            Text.require(personaId, "persona_id");
            requestedAt = requestedAt == null ? Instant.now() : requestedAt;
        }
    }
}
