package run.codetether.gateway.api.a2a;

import java.util.Map;

/** The A2A operations, and their JSON-RPC method names in 1.0 (0.3's are in {@code v03.V03Operations}). */
public enum Operation {
    SEND,
    STREAM,
    GET,
    LIST,
    CANCEL,
    SUBSCRIBE,
    PUSH_CREATE,
    PUSH_GET,
    PUSH_LIST,
    PUSH_DELETE,
    EXTENDED_CARD;

    public static final Map<String, Operation> V10 = Map.ofEntries(
            Map.entry("SendMessage", SEND),
            Map.entry("SendStreamingMessage", STREAM),
            Map.entry("GetTask", GET),
            Map.entry("ListTasks", LIST),
            Map.entry("CancelTask", CANCEL),
            Map.entry("SubscribeToTask", SUBSCRIBE),
            Map.entry("CreateTaskPushNotificationConfig", PUSH_CREATE),
            Map.entry("GetTaskPushNotificationConfig", PUSH_GET),
            Map.entry("ListTaskPushNotificationConfigs", PUSH_LIST),
            // the singular spelling appears in drafts and in SDKs; accept both
            Map.entry("ListTaskPushNotificationConfig", PUSH_LIST),
            Map.entry("DeleteTaskPushNotificationConfig", PUSH_DELETE),
            Map.entry("GetExtendedAgentCard", EXTENDED_CARD));

    public boolean streaming() {
        return this == STREAM || this == SUBSCRIBE;
    }
}
