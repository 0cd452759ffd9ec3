package run.codetether.gateway.domain;

/**
 * Where and how to deliver a task's updates by webhook.
 *
 * @param id unique per task (assigned by the gateway when the client gives none)
 * @param token opaque value the receiver may check (sent as X-A2A-Notification-Token)
 * @param authScheme e.g. Bearer or Basic; null for no Authorization header
 * @param credentials the Authorization value after the scheme; never logged
 */
public record PushConfig(String taskId, String id, String url, String token, String authScheme, String credentials) {
    public PushConfig {
        if (url == null || url.isBlank()) {
            throw A2AException.invalidParams("push notification config needs a url");
        }
    }

    public PushConfig withIds(String newTaskId, String newId) {
        return new PushConfig(newTaskId, newId, url, token, authScheme, credentials);
    }

    @Override
    public String toString() {
        return "PushConfig[taskId=" + taskId + ", id=" + id + ", url=" + url + "]";
    }
}
