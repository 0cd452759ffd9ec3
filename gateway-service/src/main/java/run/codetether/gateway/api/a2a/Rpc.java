package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;

/** JSON-RPC 2.0 response objects. The id is echoed exactly as received (any size of number, any string). */
public final class Rpc {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private Rpc() {}

    public static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode out = F.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? NullNode.instance : id);
        out.set("result", result == null ? NullNode.instance : result);
        return out;
    }

    public static ObjectNode error(JsonNode id, A2AException e) {
        ObjectNode out = F.objectNode();
        out.put("jsonrpc", "2.0");
        out.set("id", id == null ? NullNode.instance : id);
        out.set("error", errorObject(e));
        return out;
    }

    public static ObjectNode error(JsonNode id, A2AError error, String message) {
        return error(id, new A2AException(error, message));
    }

    /** The error member: A2A errors carry a google.rpc.ErrorInfo (spec 9.5), others their details if any. */
    public static ObjectNode errorObject(A2AException e) {
        ObjectNode err = F.objectNode();
        err.put("code", e.error().code());
        err.put("message", e.getMessage());
        if (e.error().isA2aSpecific()) {
            addErrorInfo(err.putArray("data"), e);
        } else if (!e.details().isEmpty()) {
            err.set("data", WireJson.MAPPER.valueToTree(e.details()));
        }
        return err;
    }

    /**
     * Adds the error's google.rpc.ErrorInfo in its ProtoJSON form (spec 9.5: reason, domain, the details as string
     * metadata and a timestamp): JSON-RPC's {@code data} and HTTP+JSON's AIP-193 {@code details} carry the same one.
     */
    public static void addErrorInfo(ArrayNode into, A2AException e) {
        ObjectNode info = into.addObject();
        info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
        info.put("reason", e.error().reason());
        info.put("domain", "a2a-protocol.org");
        ObjectNode md = info.putObject("metadata");
        e.details().forEach((k, v) -> md.put(k, String.valueOf(v)));
        md.put("timestamp", WireJson.timestamp(Instant.now()));
    }
}
