package run.codetether.gateway.api.a2a.conformance;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.Await;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Bindings;
import run.codetether.gateway.support.binding.Params;
import run.codetether.gateway.support.binding.Result;

/**
 * Shared by the conformance suite: one parameterised suite, split by behaviour, that runs every A2A operation with
 * the same assertions against JSON-RPC 1.0, JSON-RPC 0.3, HTTP+JSON and gRPC (the per-binding encode/decode
 * adapters live in {@code support.binding}). Everything runs against the real application, the in-process broker
 * and the scripted worker.
 */
final class Conformance {
    private Conformance() {}

    static Stream<Binding> all() {
        return Bindings.all().stream();
    }

    static Stream<Binding> withListTasks() {
        return Bindings.supporting(Binding.Feature.LIST_TASKS);
    }

    static Stream<Binding> withTenants() {
        return Bindings.supporting(Binding.Feature.TENANTS);
    }

    static Stream<Binding> overHttp1() {
        return Bindings.supporting(Binding.Feature.HTTP1);
    }

    /** Sends without waiting and returns the submitted task. */
    static JsonNode submit(Binding b, String text) {
        return b.call(Operation.SEND, Params.returnImmediately(Params.send(text))).ok().get("task");
    }

    static JsonNode get(Binding b, String id) {
        return b.call(Operation.GET, Params.id(id)).ok();
    }

    /** A SendMessage whose wire body is about {@code bodyBytes} bytes: padding in its one text part. */
    static Result oversizedSend(Binding b, int bodyBytes) {
        return b.call(Operation.SEND, Params.send("x".repeat(bodyBytes)));
    }

    /**
     * A CancelTask (of a task that does not exist) whose wire body is about {@code bodyBytes} bytes: padding in its
     * metadata. Not a send, so it is held to {@code max-request-bytes} even where a send may be larger.
     */
    static Result oversizedCancel(Binding b, int bodyBytes) {
        return b.call(Operation.CANCEL, Params.id("no-such-task", "metadata", Map.of("pad", "x".repeat(bodyBytes))));
    }

    static JsonNode awaitState(Binding b, String id, String state) {
        return Await.until(() -> get(b, id), t -> t.at("/status/state").asText().equals(state),
                Duration.ofSeconds(20), b + ": task " + id + " in " + state);
    }
}
