package run.codetether.gateway.support.binding;

import java.util.Map;

/**
 * What each binding must answer for each error reason (A2A 1.0 section 5.4), written down independently of the
 * gateway's own table: the JSON-RPC code, the HTTP status of the HTTP+JSON binding, the gRPC status. The
 * JSON-RPC binding keeps HTTP 200 except for refusals of the request itself (401, 403, 429, 413).
 */
public final class ErrorTable {
    public record Entry(int jsonRpcCode, int httpStatus, String grpcStatus, int jsonRpcHttpStatus) {}

    public static final Map<String, Entry> ENTRIES = Map.ofEntries(
            Map.entry("PARSE_ERROR", new Entry(-32700, 400, "INVALID_ARGUMENT", 200)),
            Map.entry("INVALID_REQUEST", new Entry(-32600, 400, "INVALID_ARGUMENT", 200)),
            Map.entry("METHOD_NOT_FOUND", new Entry(-32601, 404, "UNIMPLEMENTED", 200)),
            Map.entry("INVALID_PARAMS", new Entry(-32602, 400, "INVALID_ARGUMENT", 200)),
            Map.entry("INTERNAL", new Entry(-32603, 500, "INTERNAL", 200)),
            Map.entry("TASK_NOT_FOUND", new Entry(-32001, 404, "NOT_FOUND", 200)),
            Map.entry("TASK_NOT_CANCELABLE", new Entry(-32002, 409, "FAILED_PRECONDITION", 200)),
            Map.entry("PUSH_NOTIFICATION_NOT_SUPPORTED", new Entry(-32003, 400, "UNIMPLEMENTED", 200)),
            Map.entry("UNSUPPORTED_OPERATION", new Entry(-32004, 400, "UNIMPLEMENTED", 200)),
            Map.entry("CONTENT_TYPE_NOT_SUPPORTED", new Entry(-32005, 415, "INVALID_ARGUMENT", 200)),
            Map.entry("VERSION_NOT_SUPPORTED", new Entry(-32009, 400, "UNIMPLEMENTED", 200)),
            Map.entry("UNAUTHENTICATED", new Entry(-31001, 401, "UNAUTHENTICATED", 401)),
            Map.entry("PERMISSION_DENIED", new Entry(-31003, 403, "PERMISSION_DENIED", 403)),
            Map.entry("RATE_LIMITED", new Entry(-31002, 429, "RESOURCE_EXHAUSTED", 429)),
            Map.entry("TOO_MANY_TASKS", new Entry(-31005, 429, "RESOURCE_EXHAUSTED", 429)),
            Map.entry("PAYLOAD_TOO_LARGE", new Entry(-32600, 413, "RESOURCE_EXHAUSTED", 413)),
            Map.entry("UNAVAILABLE", new Entry(-31004, 503, "UNAVAILABLE", 200)));

    private ErrorTable() {}

    public static Entry of(String reason) {
        Entry e = ENTRIES.get(reason);
        if (e == null) {
            throw new AssertionError("no such error reason in the spec table: " + reason);
        }
        return e;
    }

    /** The reason a JSON-RPC error code means (-32600 is PAYLOAD_TOO_LARGE when the HTTP status says 413). */
    public static String reasonOfJsonRpc(int code, int httpStatus) {
        if (code == -32600 && httpStatus == 413) {
            return "PAYLOAD_TOO_LARGE";
        }
        return ENTRIES.entrySet().stream()
                .filter(e -> e.getValue().jsonRpcCode() == code && !e.getKey().equals("PAYLOAD_TOO_LARGE"))
                .map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> new AssertionError("JSON-RPC error code outside the spec table: " + code));
    }
}
