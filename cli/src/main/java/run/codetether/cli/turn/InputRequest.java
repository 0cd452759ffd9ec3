package run.codetether.cli.turn;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.approval.ApprovalRequest;

/** Why a task waits (input-required): the agent's {@code question} tool, or an approval of a tool call. */
public sealed interface InputRequest {
    String text();

    record Question(String text, List<String> options, String defaultAnswer) implements InputRequest {}

    /** {@code approval_request} DataPart of the status message (INTERFACES.md: Approvals). */
    record Approval(String text, String callId, String tool, String arguments, String preview, String reason)
            implements InputRequest {}

    /** Reads the request from an input-required status (its message and the update's metadata). */
    static InputRequest from(JsonNode status, JsonNode metadata) {
        String text = Turn.text(status.path("message"));
        for (JsonNode part : status.path("message").path("parts")) {
            JsonNode a = part.path("data").path(MetadataKeys.APPROVAL_REQUEST);
            if (a.isObject()) {
                JsonNode preview = a.get(ApprovalRequest.PREVIEW);
                return new Approval(text, a.path(ApprovalRequest.CALL_ID).asText(""),
                        a.path(ApprovalRequest.TOOL).asText("tool"), Args.shortForm(a.get(ApprovalRequest.ARGUMENTS), 400),
                        preview == null || preview.isNull() ? null : preview.asText(),
                        a.path(ApprovalRequest.REASON).asText(""));
            }
        }
        JsonNode q = metadata.path(MetadataKeys.QUESTION);
        List<String> options = new ArrayList<>();
        q.path("options").forEach(o -> options.add(o.isTextual() ? o.asText() : o.path("label").asText(o.toString())));
        String question = q.path("question").asText(text);
        return new Question(question.isBlank() ? text : question, options, q.path("default").asText(null));
    }
}
