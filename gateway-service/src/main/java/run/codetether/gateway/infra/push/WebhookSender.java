package run.codetether.gateway.infra.push;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.jboss.logging.Logger;
import run.codetether.gateway.domain.A2AException;
import run.codetether.gateway.domain.PushConfig;
import run.codetether.gateway.domain.UrlPolicy;

/**
 * One webhook request per call ({@link PushDeliveries} runs each on a virtual thread): the config's URL checked
 * against the policy first, then a POST of the notification with {@value PushDispatcher#DELIVERY_ID_HEADER},
 * {@code Authorization: <scheme> <credentials>} when the config has authentication and
 * {@code X-A2A-Notification-Token} when it has a token. Redirects are not followed.
 */
final class WebhookSender implements PushDeliveries.Sender {
    private static final Logger LOG = Logger.getLogger(WebhookSender.class);

    private final UrlPolicy policy;
    private final Duration timeout;
    private final HttpClient http;

    WebhookSender(UrlPolicy policy, Duration timeout) {
        this.policy = policy;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** @return the HTTP status; 403 when the URL is refused by policy */
    @Override
    public int send(PushConfig config, String deliveryId, String body) throws Exception {
        URI uri;
        try {
            uri = policy.check(config.url());
        } catch (A2AException e) {
            LOG.warnf("push: refusing delivery for task %s config %s: %s", config.taskId(), config.id(),
                    e.getMessage());
            return 403; // settled as refused: a URL the policy forbids never becomes deliverable by retrying
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(PushDispatcher.DELIVERY_ID_HEADER, deliveryId)
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (config.authScheme() != null && config.credentials() != null) {
            b.header("Authorization", config.authScheme() + " " + config.credentials());
        }
        if (config.token() != null) {
            b.header("X-A2A-Notification-Token", config.token());
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }
}
