package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import jakarta.enterprise.context.ApplicationScoped;
import run.codetether.gateway.api.a2a.v03.V03Encoder;
import run.codetether.gateway.api.a2a.v03.V03Operations;
import run.codetether.gateway.domain.handler.PushPayloads;
import run.codetether.gateway.domain.handler.StreamEvent;

/**
 * Push notification bodies: a 1.0 StreamResponse ({@code statusUpdate} / {@code artifactUpdate}), or the 0.3 event
 * object ({@code kind: status-update}) for configs created over 0.3.
 */
@ApplicationScoped
public class WirePushPayloads implements PushPayloads {

    @Override
    public String serialize(StreamEvent event, String protocolVersion) {
        JsonNode body = V03Operations.VERSION.equals(protocolVersion) ? V03Encoder.streamItem(event)
                : V10Encoder.streamItem(event);
        try {
            return WireJson.MAPPER.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode a push notification", e);
        }
    }
}
