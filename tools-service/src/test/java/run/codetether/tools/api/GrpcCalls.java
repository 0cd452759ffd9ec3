package run.codetether.tools.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.UUID;
import run.codetether.contracts.tools.v1.ExecuteRequest;
import run.codetether.contracts.tools.v1.ExecuteResponse;
import run.codetether.contracts.tools.v1.ToolServiceGrpc;
import run.codetether.platform.json.Json;

/** Test helper: one session, fresh call ids, JSON args in, ExecuteResponse out. */
final class GrpcCalls {

    static final ObjectMapper JSON = Json.mapper();

    final ToolServiceGrpc.ToolServiceBlockingStub stub;
    final String session = "t-" + UUID.randomUUID();

    GrpcCalls(ToolServiceGrpc.ToolServiceBlockingStub stub) {
        this.stub = stub;
    }

    ExecuteResponse call(String tool, String argsJson) {
        return callWithId(UUID.randomUUID().toString(), tool, argsJson);
    }

    ExecuteResponse callWithId(String callId, String tool, String argsJson) {
        return stub.execute(request(callId, tool, argsJson));
    }

    ExecuteRequest request(String callId, String tool, String argsJson) {
        return ExecuteRequest.newBuilder().setSessionId(session).setCallId(callId).setToolName(tool)
                .setArgumentsJson(argsJson).build();
    }

    static String json(Object... kv) {
        var n = JSON.createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            n.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
        }
        return n.toString();
    }

    static JsonNode meta(ExecuteResponse r) {
        try {
            return JSON.readTree(r.getMetadataJson());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
