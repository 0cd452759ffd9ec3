package run.codetether.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/** A minimal A2A 1.0 JSON-RPC client for the end-to-end tests: the wire a real client sends, nothing more. */
final class A2aHttp {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final ServiceProcess gateway;

    A2aHttp(ServiceProcess gateway) {
        this.gateway = gateway;
    }

    HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(gateway.url(path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Non-blocking SendMessage of one text part; answers the created task. A refusal that says when to retry (the
     * broker did not take the task within the gateway's send timeout on an overloaded machine: nothing was started)
     * is retried as a client would ({@link #rpcRetrying}); a test of the refusal itself sends with {@link #raw}.
     */
    JsonNode send(String contextId, String text, Map<String, Object> metadata) throws Exception {
        return rpcRetrying("SendMessage", sendParams(contextId, text, false, metadata), null).path("task");
    }

    /** Polls GetTask until the task is terminal or waits for input. */
    JsonNode awaitFinal(String taskId, Duration timeout, ServiceProcess... logsOnFailure) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode task = null;
        while (System.nanoTime() < deadline) {
            task = rpc("GetTask", JSON.createObjectNode().put("id", taskId));
            String state = task.path("status").path("state").asText();
            if (state.endsWith("COMPLETED") || state.endsWith("FAILED") || state.endsWith("CANCELED")
                    || state.endsWith("REJECTED") || state.endsWith("INPUT_REQUIRED")) {
                return task;
            }
            Thread.sleep(100);
        }
        StringBuilder logs = new StringBuilder();
        for (ServiceProcess p : logsOnFailure) {
            logs.append("\n--- ").append(p.name).append(" log:\n").append(p.tail());
        }
        throw new AssertionError("task did not finish in " + timeout + ": " + task + logs);
    }

    JsonNode rpc(String method, JsonNode params) throws Exception {
        return rpc(method, params, null);
    }

    /** @param apiKey sent as a bearer token, or null on an open gateway */
    JsonNode rpc(String method, JsonNode params, String apiKey) throws Exception {
        JsonNode answer = call(method, params, apiKey);
        if (answer.has("error")) {
            throw new AssertionError(method + " failed: " + answer + "\ngateway log:\n" + gateway.tail());
        }
        return answer.path("result");
    }

    /**
     * As a well-behaved client does: a refusal that says when to retry (overload, a broker that did not answer in
     * time: {@code error.data.retryAfterSeconds}) is retried after that delay, a few times.
     */
    JsonNode rpcRetrying(String method, JsonNode params, String apiKey) throws Exception {
        for (int attempt = 1;; attempt++) {
            JsonNode answer = call(method, params, apiKey);
            JsonNode retryAfter = answer.path("error").path("data").path("retryAfterSeconds");
            if (!answer.has("error")) {
                return answer.path("result");
            }
            if (!retryAfter.isNumber() || attempt == 5) {
                throw new AssertionError(method + " failed after " + attempt + " attempts: " + answer
                        + "\ngateway log:\n" + gateway.tail());
            }
            Thread.sleep(Math.max(100, retryAfter.asLong() * 1000));
        }
    }

    private JsonNode call(String method, JsonNode params, String apiKey) throws Exception {
        return JSON.readTree(raw(method, params, apiKey).body());
    }

    /** One JSON-RPC call as sent, answered with the whole HTTP response (status, Retry-After, body). */
    HttpResponse<String> raw(String method, JsonNode params, String apiKey) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("jsonrpc", "2.0").put("id", 1).put("method", method);
        body.set("params", params);
        HttpRequest.Builder request = HttpRequest.newBuilder(gateway.url("/"))
                .header("Content-Type", "application/json").header("A2A-Version", "1.0")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString()));
        if (apiKey != null) {
            request.header("Authorization", "Bearer " + apiKey);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The params of a SendMessage of one text part (returnImmediately unless {@code blocking}). */
    /**
     * Params of a non-blocking SendMessage answering an approval request on {@code taskId}: the decision as text and
     * as the {@code approval} DataPart the agent reads.
     */
    static ObjectNode approvalParams(String contextId, String taskId, String callId, String decision) {
        ObjectNode params = JSON.createObjectNode();
        ObjectNode message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString()).put("role", "ROLE_USER").put("contextId", contextId)
                .put("taskId", taskId);
        var parts = message.putArray("parts");
        parts.addObject().put("text", decision);
        parts.addObject().putObject("data").putObject("approval").put("call_id", callId).put("decision", decision);
        params.putObject("configuration").put("returnImmediately", true);
        return params;
    }

    static ObjectNode sendParams(String contextId, String text, boolean blocking, Map<String, Object> metadata) {
        ObjectNode params = JSON.createObjectNode();
        ObjectNode message = params.putObject("message");
        message.put("messageId", UUID.randomUUID().toString());
        message.put("role", "ROLE_USER");
        message.put("contextId", contextId);
        message.putArray("parts").addObject().put("text", text);
        params.putObject("configuration").put("returnImmediately", !blocking);
        params.set("metadata", JSON.valueToTree(metadata));
        return params;
    }
}
