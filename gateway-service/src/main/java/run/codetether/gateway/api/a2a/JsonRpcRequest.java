package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import run.codetether.gateway.domain.A2AError;
import run.codetether.gateway.domain.A2AException;

/**
 * A checked JSON-RPC 2.0 request object. Parsing never throws anything but {@link Invalid}, which carries the
 * error and the request id when one could be read (null otherwise, as JSON-RPC wants).
 */
public record JsonRpcRequest(JsonNode id, String method, ObjectNode params) {

    public static final class Invalid extends RuntimeException {
        public final JsonNode id;
        public final A2AException error;

        Invalid(JsonNode id, A2AException error) {
            super(error.getMessage(), null, false, false);
            this.id = id;
            this.error = error;
        }
    }

    public static JsonRpcRequest parse(byte[] body) {
        JsonNode root;
        try {
            root = WireJson.MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw new Invalid(null, new A2AException(A2AError.INVALID_REQUEST,
                    "Request nests deeper than " + WireJson.MAX_DEPTH + " levels or exceeds a size limit"));
        } catch (JsonProcessingException e) {
            String why = e.getOriginalMessage() == null ? "" : ": " + firstLine(e.getOriginalMessage());
            throw new Invalid(null, new A2AException(A2AError.PARSE_ERROR, "Invalid JSON payload" + why));
        } catch (IOException | RuntimeException e) {
            throw new Invalid(null, new A2AException(A2AError.PARSE_ERROR, "Invalid JSON payload"));
        }
        if (root == null || root.isMissingNode()) {
            throw new Invalid(null, new A2AException(A2AError.PARSE_ERROR, "Invalid JSON payload: empty body"));
        }
        return of(root);
    }

    public static JsonRpcRequest of(JsonNode root) {
        if (root.isArray()) {
            throw new Invalid(null, new A2AException(A2AError.INVALID_REQUEST,
                    "Batch requests are not supported by A2A; send one request object"));
        }
        if (!root.isObject()) {
            throw new Invalid(null, new A2AException(A2AError.INVALID_REQUEST, "Request must be a JSON object"));
        }
        JsonNode id = root.get("id");
        if (id == null) {
            throw new Invalid(null, new A2AException(A2AError.INVALID_REQUEST,
                    "Request has no id: A2A methods all answer, so notifications are not accepted"));
        }
        if (!(id.isTextual() || id.isNumber() || id.isNull())) {
            throw new Invalid(null, new A2AException(A2AError.INVALID_REQUEST, "id must be a string, number or null"));
        }
        JsonNode version = root.get("jsonrpc");
        if (version == null || !version.isTextual() || !version.textValue().equals("2.0")) {
            throw new Invalid(id, new A2AException(A2AError.INVALID_REQUEST, "jsonrpc must be \"2.0\""));
        }
        JsonNode method = root.get("method");
        if (method == null || !method.isTextual() || method.textValue().isEmpty()) {
            throw new Invalid(id, new A2AException(A2AError.INVALID_REQUEST, "method must be a non-empty string"));
        }
        JsonNode params = root.get("params");
        ObjectNode p;
        if (params == null || params.isNull()) {
            p = JsonNodeFactory.instance.objectNode();
        } else if (params.isObject()) {
            p = (ObjectNode) params;
        } else if (params.isArray()) {
            throw new Invalid(id, new A2AException(A2AError.INVALID_PARAMS, "params must be an object (by name)"));
        } else {
            throw new Invalid(id, new A2AException(A2AError.INVALID_REQUEST, "params must be a structured value"));
        }
        for (var it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("jsonrpc") && !f.equals("id") && !f.equals("method") && !f.equals("params")) {
                throw new Invalid(id, new A2AException(A2AError.INVALID_REQUEST,
                        "Unknown member '" + truncate(f) + "' in request object"));
            }
        }
        return new JsonRpcRequest(id, method.textValue(), p);
    }

    private static String firstLine(String s) {
        int nl = s.indexOf('\n');
        return truncate(nl < 0 ? s : s.substring(0, nl));
    }

    static String truncate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
