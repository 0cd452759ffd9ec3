package run.codetether.contracts.cognition;


import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** Body of {@code POST /v1/swarm/personas/{id}/spawn}; name, role and charter are required. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record SpawnPersonaRequest(
        String personaId,
        String name,
        String role,
        String charter,
        String swarmId,
        PersonaPolicy policy) {
    public SpawnPersonaRequest {
        Text.require(name, "name");
        Text.require(role, "role");
        Text.require(charter, "charter");
        if (personaId != null && personaId.isBlank()) {
            throw new IllegalArgumentException("persona_id must not be blank when given");
        }
    }

    public CreatePersonaRequest under(String parentId) {
        return new CreatePersonaRequest(personaId, name, role, charter, swarmId, parentId, policy);
    }
}
