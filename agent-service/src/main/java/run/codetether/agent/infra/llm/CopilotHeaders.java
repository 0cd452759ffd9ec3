package run.codetether.agent.infra.llm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import run.codetether.platform.json.Json;

/**
 * The headers GitHub Copilot's chat completions API reads beside the Bearer token, as the original agent sends them:
 * {@code Openai-Intent: conversation-edits}, {@code X-Initiator} ({@code agent} when the request's last non-system
 * message is not the user's, i.e. the model continues after tool results: Copilot bills premium requests only for
 * user-initiated ones), {@code Copilot-Vision-Request: true} when a message carries an image (Copilot refuses image
 * parts without it) and a {@code User-Agent} naming the agent.
 */
final class CopilotHeaders {

    static final String USER_AGENT = "codetether-agent/" + version();

    private CopilotHeaders() {}

    /** The headers for one request body (the chat completions JSON). */
    static Map<String, String> of(String body) {
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Openai-Intent", "conversation-edits");
        h.put("User-Agent", USER_AGENT);
        JsonNode messages = read(body).path("messages");
        String lastRole = null;
        boolean image = false;
        for (JsonNode m : messages) {
            String role = m.path("role").asText();
            if (!role.equals("system") && !role.equals("developer")) {
                lastRole = role;
            }
            for (JsonNode part : m.path("content")) {
                image |= "image_url".equals(part.path("type").asText());
            }
        }
        h.put("X-Initiator", "user".equals(lastRole) && !lastIsToolImages(messages) ? "user" : "agent");
        if (image) {
            h.put("Copilot-Vision-Request", "true");
        }
        return h;
    }

    /**
     * A user message that only carries the images of the tool results before it (LangChain4jMessages) continues the
     * agent's turn: the agent, not the user, initiated that request.
     */
    private static boolean lastIsToolImages(JsonNode messages) {
        return messages.size() >= 2 && "tool".equals(messages.get(messages.size() - 2).path("role").asText());
    }

    private static JsonNode read(String body) {
        try {
            return body == null ? Json.mapper().createObjectNode() : Json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            return Json.mapper().createObjectNode();
        }
    }

    private static String version() {
        String v = CopilotHeaders.class.getPackage().getImplementationVersion();
        return v == null ? "dev" : v;
    }
}
