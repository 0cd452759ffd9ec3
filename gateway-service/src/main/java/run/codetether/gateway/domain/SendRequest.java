package run.codetether.gateway.domain;

import java.util.List;
import java.util.Map;
import run.codetether.contracts.a2a.Message;

/**
 * A SendMessage / SendStreamingMessage request in the version-neutral form the bindings produce.
 *
 * @param tenant A2A 1.0 tenant, or null
 * @param historyLength how much history the answer carries (null: all)
 * @param returnImmediately answer with the submitted task instead of waiting for a final state
 * @param acceptedOutputModes media types the client accepts (empty: any)
 * @param pushConfig a push notification config to register for the new task, or null
 */
public record SendRequest(
        Message message,
        String tenant,
        Integer historyLength,
        boolean returnImmediately,
        List<String> acceptedOutputModes,
        PushConfig pushConfig,
        Map<String, Object> metadata) implements TenantScoped<SendRequest> {
    public SendRequest {
        if (message == null) {
            throw A2AException.invalidParams("message is required");
        }
        acceptedOutputModes = acceptedOutputModes == null ? List.of() : List.copyOf(acceptedOutputModes);
        metadata = metadata == null ? Map.of() : metadata;
    }

    /** Whether the message continues an existing task (names its id) rather than starting one. */
    public boolean continuesTask() {
        return message.taskId() != null && !message.taskId().isBlank();
    }

    @Override
    public SendRequest withTenant(String newTenant) {
        return new SendRequest(message, newTenant, historyLength, returnImmediately, acceptedOutputModes, pushConfig,
                metadata);
    }
}
