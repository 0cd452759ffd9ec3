package run.codetether.swarm.domain;

/**
 * One chat completion against a provider's OpenAI-compatible endpoint. Implementations throw
 * {@link ChatException} with a message that never contains a secret.
 */
public interface ChatPort {

    /**
     * @param provider provider name (null for the default); selects endpoint, model and rate bucket
     * @param model model id, or null for the provider's default
     * @param jsonSchema when not null, the answer must be a JSON object of this schema (sent as response_format)
     */
    String complete(String provider, String model, String system, String user, String jsonSchema);

    class ChatException extends RuntimeException {
        public ChatException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
