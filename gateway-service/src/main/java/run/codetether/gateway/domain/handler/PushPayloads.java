package run.codetether.gateway.domain.handler;

/**
 * Port: the body of a push notification in the wire shape its config was created with. Push delivery hands over
 * the typed item; the bindings own the shapes (A2A 1.0 StreamResponse, 0.3 event objects).
 */
public interface PushPayloads {

    /**
     * @param protocolVersion the version the config was created over ({@link CallContext#protocolVersion()})
     * @return the JSON body to POST
     */
    String serialize(StreamEvent event, String protocolVersion);
}
