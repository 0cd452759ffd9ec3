package run.codetether.agent.infra.llm;

import dev.langchain4j.exception.HttpException;
import java.time.Duration;

/** An HTTP error from a provider with the Retry-After it sent (LangChain4j's own HttpException drops headers). */
final class ProviderHttpException extends HttpException {
    private final Duration retryAfter;

    ProviderHttpException(int status, String body, Duration retryAfter) {
        super(status, body);
        this.retryAfter = retryAfter;
    }

    Duration retryAfter() {
        return retryAfter;
    }
}
