package run.codetether.agent.infra.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;

/** Hands {@link HeaderAwareHttpClient} to LangChain4j model builders. */
final class HeaderAwareHttpClientBuilder implements HttpClientBuilder {
    private Duration connectTimeout = Duration.ofSeconds(10);
    private Duration readTimeout = Duration.ofMinutes(5);
    private final java.util.function.Function<String, java.util.Map<String, String>> extraHeaders;

    HeaderAwareHttpClientBuilder() {
        this(body -> java.util.Map.of());
    }

    /** @param extraHeaders headers set on each request from its body (Copilot's {@link CopilotHeaders}) */
    HeaderAwareHttpClientBuilder(java.util.function.Function<String, java.util.Map<String, String>> extraHeaders) {
        this.extraHeaders = extraHeaders;
    }

    @Override
    public Duration connectTimeout() {
        return connectTimeout;
    }

    @Override
    public HttpClientBuilder connectTimeout(Duration d) {
        if (d != null) {
            connectTimeout = d;
        }
        return this;
    }

    @Override
    public Duration readTimeout() {
        return readTimeout;
    }

    @Override
    public HttpClientBuilder readTimeout(Duration d) {
        if (d != null) {
            readTimeout = d;
        }
        return this;
    }

    @Override
    public HttpClient build() {
        return HeaderAwareHttpClient.create(connectTimeout, readTimeout, extraHeaders);
    }
}
