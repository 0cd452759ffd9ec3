package run.codetether.gateway.api.cognition;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.sse.Sse;
import jakarta.ws.rs.sse.SseEventSink;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import run.codetether.contracts.cognition.CognitionCommand;
import run.codetether.contracts.cognition.CognitionRecord;
import run.codetether.contracts.cognition.CognitionStatus;
import run.codetether.contracts.cognition.CreatePersonaRequest;
import run.codetether.contracts.cognition.LineageGraph;
import run.codetether.contracts.cognition.ReapPersonaRequest;
import run.codetether.contracts.cognition.SpawnPersonaRequest;
import run.codetether.contracts.cognition.StartCognitionRequest;
import run.codetether.contracts.cognition.StopCognitionRequest;
import run.codetether.contracts.events.ContractJson;

/**
 * The original's cognition and persona-swarm HTTP API. Reads are answered from this replica's {@link CognitionFeed};
 * writes go to swarm-service on {@code cognition.commands} and answer with its reply (404 unknown persona, 409
 * conflict, 422 past a spawn limit, 504 when no swarm-service answers in time). Bodies are snake_case JSON written
 * with the contract codec, so the wire shape does not depend on the gateway's global Jackson settings.
 */
@Path("/v1")
public class CognitionResource {
    private final CognitionFeed feed;

    public CognitionResource(CognitionFeed feed) {
        this.feed = feed;
    }

    @POST
    @Path("/cognition/start")
    public CompletionStage<Response> start(String body) {
        return parse(body, StartCognitionRequest.class, req -> ask(new CognitionCommand.Start(id(), req, null)));
    }

    @POST
    @Path("/cognition/stop")
    public CompletionStage<Response> stop(String body) {
        return parse(body, StopCognitionRequest.class, req -> ask(new CognitionCommand.Stop(id(), req, null)));
    }

    @GET
    @Path("/cognition/status")
    public Response status() {
        CognitionStatus status = feed.view().map(CognitionRecord.View::status)
                .map(s -> new CognitionStatus(s.enabled(), s.running(), s.loopIntervalMs(), s.startedAt(), s.lastTickAt(),
                        s.personaCount(), s.activePersonaCount(), feed.eventsBuffered(), feed.snapshotsBuffered()))
                .orElseGet(() -> new CognitionStatus(feed.config().enabled(), false, feed.config().loopIntervalMs(), null,
                        null, 0, 0, feed.eventsBuffered(), feed.snapshotsBuffered()));
        return json(200, status);
    }

    @GET
    @Path("/cognition/snapshots/latest")
    public Response latestSnapshot() {
        return feed.latestSnapshot().map(s -> json(200, s))
                .orElseGet(() -> json(404, new ErrorBody("No snapshots available", 404)));
    }

    @GET
    @Path("/cognition/stream")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    public void stream(@Context SseEventSink sink, @Context Sse sse, @HeaderParam("Last-Event-ID") String lastEventId) {
        Long resumeFrom = null;
        if (lastEventId != null && !lastEventId.isBlank()) {
            try {
                resumeFrom = Long.parseLong(lastEventId.strip());
            } catch (NumberFormatException e) {
                // an id this API never issued: stream live, and say so with a lag event
                resumeFrom = null;
            }
        }
        Subscription subscription = feed.subscribe(resumeFrom);
        if (resumeFrom == null && lastEventId != null && !lastEventId.isBlank()) {
            subscription.lost(1);
        }
        // the first write happens on the request's own thread: it commits the SSE response (headers) before the
        // writer thread sends anything, and tells the client at once that it is subscribed
        sink.send(sse.newEventBuilder().comment("connected").build()).whenComplete((ok, error) -> {
            if (error != null) {
                feed.unsubscribe(subscription);
            } else {
                Thread.ofVirtual().name("cognition-sse").start(new CognitionStreamWriter(feed, subscription, sink, sse));
            }
        });
    }

    @POST
    @Path("/swarm/personas")
    public CompletionStage<Response> createPersona(String body) {
        if (body == null || body.isBlank()) {
            return done(json(400, new ErrorBody("a CreatePersonaRequest body is required (name, role, charter)", 400)));
        }
        return parse(body, CreatePersonaRequest.class, req -> ask(new CognitionCommand.CreatePersona(id(), req, null)));
    }

    @POST
    @Path("/swarm/personas/{id}/spawn")
    public CompletionStage<Response> spawn(@PathParam("id") String parentId, String body) {
        if (body == null || body.isBlank()) {
            return done(json(400, new ErrorBody("a SpawnPersonaRequest body is required (name, role, charter)", 400)));
        }
        return parse(body, SpawnPersonaRequest.class,
                req -> ask(new CognitionCommand.SpawnPersona(id(), parentId, req, null)));
    }

    @POST
    @Path("/swarm/personas/{id}/reap")
    public CompletionStage<Response> reap(@PathParam("id") String personaId, String body) {
        return parse(body, ReapPersonaRequest.class,
                req -> ask(new CognitionCommand.ReapPersona(id(), personaId, req, null)));
    }

    @GET
    @Path("/swarm/lineage")
    public Response lineage() {
        return json(200, feed.view().map(CognitionRecord.View::lineage)
                .orElseGet(() -> new LineageGraph(null, null, 0)));
    }

    private CompletionStage<Response> ask(CognitionCommand command) {
        return feed.send(command).handle((reply, error) -> {
            if (error != null) {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                if (cause instanceof TimeoutException) {
                    String msg = "no swarm-service answered within " + feed.config().replyTimeout().toMillis()
                            + " ms (is swarm-service running with CODETETHER_COGNITION_ENABLED=true?)";
                    return json(504, new ErrorBody(msg, 504));
                }
                return json(502, new ErrorBody("cannot reach swarm-service over Kafka: " + cause.getMessage(), 502));
            }
            if (reply.httpStatus() != 200) {
                return json(reply.httpStatus(), new ErrorBody(reply.error(), reply.httpStatus()));
            }
            Object answer = reply.status() != null ? reply.status() : reply.persona() != null ? reply.persona() : reply.reap();
            return json(200, answer);
        });
    }

    /** An empty body is the request's absence (every optional body); anything else must parse. */
    private static <T> CompletionStage<Response> parse(String body, Class<T> type,
            Function<T, CompletionStage<Response>> then) {
        if (body == null || body.isBlank()) {
            return then.apply(null);
        }
        T request;
        try {
            request = ContractJson.mapper().readValue(body, type);
        } catch (Exception e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String why = root instanceof IllegalArgumentException ? root.getMessage()
                    : e instanceof com.fasterxml.jackson.core.JsonProcessingException j ? j.getOriginalMessage()
                    : e.getMessage();
            return done(json(400, new ErrorBody("invalid " + type.getSimpleName() + ": " + why, 400)));
        }
        if (request == null) {
            return then.apply(null);
        }
        return then.apply(request);
    }

    private static CompletionStage<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }

    static Response json(int status, Object body) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(ContractJson.write(body)).build();
    }

    private static String id() {
        return UUID.randomUUID().toString();
    }
}
