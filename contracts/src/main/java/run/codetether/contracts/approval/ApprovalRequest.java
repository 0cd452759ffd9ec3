package run.codetether.contracts.approval;

import java.util.LinkedHashMap;
import java.util.Map;
import run.codetether.contracts.a2a.MetadataKeys;

/**
 * What the agent asks before a call runs: the payload of the {@code approval_request} DataPart of an input-required
 * status message ({@code {"approval_request": {"call_id", "tool", "arguments", "preview", "reason"}}}).
 *
 * @param preview a unified diff of what an edit would change, or null (no preview for this tool, or none could be
 *     made: the call itself will then say what is wrong)
 */
public record ApprovalRequest(String callId, String tool, Map<String, Object> arguments, String preview,
        String reason) {
    public static final String CALL_ID = "call_id";
    public static final String TOOL = "tool";
    public static final String ARGUMENTS = "arguments";
    public static final String PREVIEW = "preview";
    public static final String REASON = "reason";

    public ApprovalRequest {
        if (callId == null || callId.isBlank() || tool == null || tool.isBlank()) {
            throw new IllegalArgumentException("an approval request needs a call id and a tool");
        }
        arguments = arguments == null ? Map.of() : Map.copyOf(arguments);
    }

    /** The DataPart's data: {@code {"approval_request": {...}}} (preview null when there is none). */
    public Map<String, Object> toData() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(CALL_ID, callId);
        body.put(TOOL, tool);
        body.put(ARGUMENTS, arguments);
        body.put(PREVIEW, preview);
        body.put(REASON, reason);
        Map<String, Object> data = new LinkedHashMap<>();
        data.put(MetadataKeys.APPROVAL_REQUEST, body);
        return data;
    }

    /** Reads the payload back (a client, the CLI), or null when {@code data} is not an approval request. */
    @SuppressWarnings("unchecked")
    public static ApprovalRequest fromData(Object data) {
        if (!(data instanceof Map<?, ?> m) || !(m.get(MetadataKeys.APPROVAL_REQUEST) instanceof Map<?, ?> body)) {
            return null;
        }
        Object id = body.get(CALL_ID);
        Object tool = body.get(TOOL);
        if (!(id instanceof String) || !(tool instanceof String)) {
            return null;
        }
        Object args = body.get(ARGUMENTS);
        return new ApprovalRequest((String) id, (String) tool,
                args instanceof Map<?, ?> a ? (Map<String, Object>) a : Map.of(),
                body.get(PREVIEW) instanceof String p ? p : null,
                body.get(REASON) instanceof String r ? r : null);
    }
}
