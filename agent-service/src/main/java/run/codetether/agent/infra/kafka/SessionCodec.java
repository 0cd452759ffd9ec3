package run.codetether.agent.infra.kafka;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import run.codetether.agent.domain.session.Session;
import run.codetether.platform.json.Json;

/** JSON form of a session in agent.sessions (the platform's contract mapper: ISO instants, unknown fields ignored). */
final class SessionCodec {
    private static final ObjectMapper JSON = Json.mapper();

    private SessionCodec() {}

    static byte[] encode(Session s) {
        try {
            return JSON.writeValueAsBytes(s);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode session " + s.contextId, e);
        }
    }

    static Session decode(byte[] bytes) {
        try {
            return JSON.readValue(bytes, Session.class);
        } catch (IOException e) {
            throw new IllegalStateException("stored session is unreadable: " + e.getMessage(), e);
        }
    }
}
