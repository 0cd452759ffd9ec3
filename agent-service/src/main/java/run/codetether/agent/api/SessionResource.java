package run.codetether.agent.api;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import run.codetether.agent.domain.session.Session;
import run.codetether.agent.infra.kafka.KafkaSessionStore;

/**
 * Sessions for the CLI's {@code /sessions} and {@code /resume}: list them, read one with its full history (the
 * compacted part included). Resuming is sending a new message with the session's contextId through the gateway.
 */
@Path("/sessions")
@Produces(MediaType.APPLICATION_JSON)
public class SessionResource {

    public record Summary(String contextId, Instant updatedAt, int messages, boolean compacted,
            List<Map<String, Object>> tasks) {}

    @Inject
    KafkaSessionStore store;

    @GET
    public List<Summary> list() {
        return store.list().stream()
                .sorted(Comparator.comparing((Session s) -> s.updatedAt).reversed())
                .map(s -> new Summary(s.contextId, s.updatedAt, s.messages.size(), s.summary != null,
                        s.tasks.values().stream().map(t -> Map.<String, Object>of("taskId", t.taskId,
                                "state", t.state.name().toLowerCase(), "steps", t.steps)).toList()))
                .toList();
    }

    @GET
    @Path("/{contextId}")
    public Response get(@PathParam("contextId") String contextId) {
        return store.load(contextId)
                .map(s -> Response.ok(s).build())
                .orElse(Response.status(404).entity(Map.of("error", "no session " + contextId)).build());
    }
}
