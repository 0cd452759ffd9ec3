package run.codetether.contracts.cognition;


import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code POST /v1/swarm/personas}; name, role and charter are required. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record CreatePersonaRequest(
        String personaId,
        String name,
        String role,
        String charter,
        String swarmId,
        String parentId,
        PersonaPolicy policy) {
    public CreatePersonaRequest {
        Text.require(name, "name");
        Text.require(role, "role");
        Text.require(charter, "charter");
        if (personaId != null && personaId.isBlank()) {
            throw new IllegalArgumentException("persona_id must not be blank when given");
        }
    }
}
