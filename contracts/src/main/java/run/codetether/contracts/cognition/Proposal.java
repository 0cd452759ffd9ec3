package run.codetether.contracts.cognition;

import java.time.Instant;
import java.util.List;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** A suggested change; cognition only proposes, it never acts. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record Proposal(
        String id,
        String personaId,
        String title,
        String rationale,
        List<String> evidenceRefs,
        ProposalRisk risk,
        ProposalStatus status,
        Instant createdAt) {
    public Proposal {
        evidenceRefs = evidenceRefs == null ? List.of() : List.copyOf(evidenceRefs);
    }
}
