package run.codetether.agent.infra.llm;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

/**
 * LangChain4j transport on the JDK HTTP client that keeps what the stock one drops: the {@code Retry-After} of a
 * 429/503 (carried in {@link ProviderHttpException}). Streams are read on the calling thread, so a streaming call
 * is as blocking and as interruptible as a plain one. HTTP/1.1 only: some OpenAI-compatible servers refuse the
 * h2c upgrade the JDK client would otherwise offer on plain http.
 */
final class HeaderAwareHttpClient implements HttpClient {
    private final java.net.http.HttpClient http;
    /** The client for https URLs (the same as {@link #http} unless {@link #create} made two). */
    private final java.net.http.HttpClient tls;
    private final Duration readTimeout;
    private final java.util.function.Function<String, java.util.Map<String, String>> extraHeaders;

    HeaderAwareHttpClient(java.net.http.HttpClient http, Duration readTimeout) {
        this(http, readTimeout, body -> java.util.Map.of());
    }

    /** @param extraHeaders headers set on each request from its body (a provider's per-request headers) */
    HeaderAwareHttpClient(java.net.http.HttpClient http, Duration readTimeout,
            java.util.function.Function<String, java.util.Map<String, String>> extraHeaders) {
        this(http, http, readTimeout, extraHeaders);
    }

    private HeaderAwareHttpClient(java.net.http.HttpClient http, java.net.http.HttpClient tls, Duration readTimeout,
            java.util.function.Function<String, java.util.Map<String, String>> extraHeaders) {
        this.http = http;
        this.tls = tls;
        this.readTimeout = readTimeout;
        this.extraHeaders = extraHeaders;
    }

    /**
     * The client's dependent tasks (reading the response, completing the exchange, handing body buffers to the
     * stream) run where they are triggered, on its selector thread or the caller's, instead of being passed to a
     * pool thread each: nothing we give the client blocks (the byte-array and input-stream handlers only queue
     * buffers; the stream is read and parsed on the calling thread), and each hand-off cost a thread wake-up per
     * step of every model call. Measured with {@code AgentBench model} (bench/README.md, issue 18). Only for plain
     * http (a local or in-cluster model server): over https the JDK would run TLS handshakes, certificate checks and
     * decryption inline too, on the one selector thread of every call of this client; https keeps the client's pool.
     */
    static HeaderAwareHttpClient create(Duration connectTimeout, Duration readTimeout,
            java.util.function.Function<String, java.util.Map<String, String>> extraHeaders) {
        return new HeaderAwareHttpClient(java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .executor(Runnable::run)
                .build(), java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1)
                .connectTimeout(connectTimeout)
                .build(), readTimeout, extraHeaders);
    }

    @Override
    public SuccessfulHttpResponse execute(HttpRequest request) {
        HttpResponse<byte[]> r = send(request, HttpResponse.BodyHandlers.ofByteArray());
        String body = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() >= 400) {
            throw new ProviderHttpException(r.statusCode(), body, retryAfter(r));
        }
        return SuccessfulHttpResponse.builder().statusCode(r.statusCode()).headers(r.headers().map()).body(body).build();
    }

    @Override
    public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
        HttpResponse<InputStream> r;
        try {
            r = send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (RuntimeException e) {
            listener.onError(e);
            return;
        }
        try (InputStream in = r.body()) {
            if (r.statusCode() >= 400) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                listener.onError(new ProviderHttpException(r.statusCode(), body, retryAfter(r)));
                return;
            }
            listener.onOpen(SuccessfulHttpResponse.builder().statusCode(r.statusCode()).headers(r.headers().map()).build());
            parser.parse(in, listener);
            listener.onClose();
        } catch (IOException | RuntimeException e) {
            listener.onError(e);
        }
    }

    private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
        java.net.http.HttpRequest.Builder b = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
        if (readTimeout != null) {
            b.timeout(readTimeout);
        }
        String body = request.body();
        java.util.Map<String, String> extra = extraHeaders.apply(body);
        request.headers().forEach((k, values) -> {
            // most providers set no extra header: no per-header scan of an empty set on every model call
            if (extra.isEmpty() || extra.keySet().stream().noneMatch(k::equalsIgnoreCase)) {
                values.forEach(v -> b.header(k, v));
            }
        });
        extra.forEach(b::setHeader);
        b.method(request.method().name(), body == null ? java.net.http.HttpRequest.BodyPublishers.noBody()
                : java.net.http.HttpRequest.BodyPublishers.ofString(body));
        try {
            return clientFor(request.url()).send(b.build(), handler);
        } catch (HttpTimeoutException e) {
            throw new dev.langchain4j.exception.TimeoutException(e);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderCallInterrupted();
        }
    }

    /** The JDK client that sends to {@code url}: the pooled one for https ({@link #create}). */
    java.net.http.HttpClient clientFor(String url) {
        return url.regionMatches(true, 0, "https:", 0, 6) ? tls : http;
    }

    /** Seconds or an HTTP date, as RFC 9110 allows; null when absent or unreadable. */
    static Duration retryAfter(HttpResponse<?> r) {
        String v = r.headers().firstValue("retry-after").orElse(null);
        if (v == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Long.parseLong(v.trim()));
        } catch (NumberFormatException e) {
            try {
                Duration d = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException e2) {
                return null;
            }
        }
    }

    /** The calling thread was interrupted (task canceled). */
    static final class ProviderCallInterrupted extends RuntimeException {
        ProviderCallInterrupted() {
            super("provider call interrupted", null, false, false);
        }
    }
}
