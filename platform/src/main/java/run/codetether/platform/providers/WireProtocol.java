package run.codetether.platform.providers;

import java.util.List;
import run.codetether.platform.secrets.Secret;

/** How a provider is spoken to; each protocol is one adapter in the services (LangChain4j modules in the agent). */
public enum WireProtocol {
    /** OpenAI chat completions ({@code baseUrl + "/chat/completions"}); the key is {@code api_key}. */
    OPENAI_COMPATIBLE("openai-compatible", List.of("api_key")),
    /** Anthropic Messages ({@code baseUrl + "messages"}, trailing slash kept); the key is {@code api_key}. */
    ANTHROPIC("anthropic", List.of("api_key")),
    /** Gemini generateContent, key in {@code x-goog-api-key}; the key is {@code api_key}. */
    GEMINI("gemini", List.of("api_key")),
    /**
     * Amazon Bedrock Converse (AWS SDK): {@code aws_access_key_id} + {@code aws_secret_access_key} (+
     * {@code aws_region}), or {@code api_key} written as {@code AKID:SECRET}.
     */
    BEDROCK("bedrock", List.of("aws_access_key_id", "api_key")),
    /**
     * Azure OpenAI: chat completions on {@code <resource>/openai/deployments/<deployment>} with an
     * {@code api-version} query and the key in an {@code api-key} header; the key is {@code api_key}.
     */
    AZURE_OPENAI("azure-openai", List.of("api_key"));

    private final String wire;
    private final List<String> keyFields;

    WireProtocol(String wire, List<String> keyFields) {
        this.wire = wire;
        this.keyFields = keyFields;
    }

    /** The name in docs and the catalog API ({@code openai-compatible}). */
    public String wire() {
        return wire;
    }

    /** The protocol of a catalog entry's {@code protocol} name. */
    public static WireProtocol fromWire(String wire, String provider) {
        for (WireProtocol p : values()) {
            if (p.wire.equals(wire)) {
                return p;
            }
        }
        throw new IllegalArgumentException("provider " + provider + " in the model catalog has protocol '" + wire
                + "'; known protocols: openai-compatible, anthropic, gemini, bedrock, azure-openai");
    }

    /** Whether a stored secret holds a usable key for this protocol (any one of its key fields). */
    public boolean hasKey(Secret secret) {
        return keyFields.stream().anyMatch(f -> secret.field(f).isPresent());
    }
}
