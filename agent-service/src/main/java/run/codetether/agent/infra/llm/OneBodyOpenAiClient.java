package run.codetether.agent.infra.llm;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.langchain4j.model.openai.internal.DefaultOpenAiClient;
import dev.langchain4j.model.openai.internal.SyncOrAsyncOrStreaming;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionRequest;
import dev.langchain4j.model.openai.internal.chat.ChatCompletionResponse;
import java.io.IOException;
import java.util.concurrent.atomic.AtomicLong;
import run.codetether.contracts.events.SerializerFront;

/**
 * LangChain4j's OpenAI client (1.19.0) with one request body per chat call instead of two. The stock client encodes
 * the whole request twice on every call, once with {@code "stream":false} and once with {@code "stream":true}, and
 * sends one of them: a streaming model the second, a plain one the first. With a 20-tool catalog a body is ~19 KB and
 * its encoding the largest part of the model call's request side (JFR, issue 18). This client is the stock one
 * ({@link DefaultOpenAiClient}: same headers, URL, query, transport, response handling); during its
 * {@code chatCompletion} the request serializer ({@link #module}) writes only the body the caller's model sends,
 * which the model says itself: the streaming model sets {@code stream=true} on its request, the plain one leaves it
 * unset. The other body is a short JSON object that no provider accepts ({@link #UNSENT}), so a library change that
 * sent it would fail the call loudly rather than send something else.
 *
 * <p>LangChain4j picks this client through its {@code OpenAiClientBuilderFactory} service (META-INF/services). The
 * serializer comes with the request mapper's other settings ({@link OpenAiWireJson}); without them both bodies are
 * written in full, as before.
 */
public final class OneBodyOpenAiClient extends DefaultOpenAiClient {
    /** What the body that is never sent holds instead of the request. */
    static final String UNSENT = "{\"unsent\":\"the OpenAI client's other request body, never sent\"}";
    /** The {@code stream} value of the body the current chat call sends; null outside {@link #chatCompletion}. */
    private static final ThreadLocal<Boolean> SENT_STREAM = new ThreadLocal<>();
    private static final AtomicLong SKIPPED = new AtomicLong();

    OneBodyOpenAiClient(Builder builder) {
        super(builder);
    }

    @Override
    public SyncOrAsyncOrStreaming<ChatCompletionResponse> chatCompletion(ChatCompletionRequest request) {
        Boolean outer = SENT_STREAM.get();
        SENT_STREAM.set(Boolean.TRUE.equals(request.stream()));
        try {
            return super.chatCompletion(request);
        } finally {
            if (outer == null) {
                SENT_STREAM.remove();
            } else {
                SENT_STREAM.set(outer);
            }
        }
    }

    /** How many request bodies were not encoded (the unsent one of a chat call), for tests. */
    static long skipped() {
        return SKIPPED.get();
    }

    /** The builder LangChain4j's OpenAI models get through the service below. */
    public static final class Builder extends DefaultOpenAiClient.Builder {
        @Override
        public DefaultOpenAiClient build() {
            return new OneBodyOpenAiClient(this);
        }
    }

    /** The {@code OpenAiClientBuilderFactory} service: every OpenAI-wire model of the agent gets this client. */
    public static final class Factory implements dev.langchain4j.model.openai.internal.spi.OpenAiClientBuilderFactory {
        @Override
        public DefaultOpenAiClient.Builder get() {
            return new Builder();
        }
    }

    /** The module that makes the request mapper write only the sent body of a chat call through this client. */
    static SimpleModule module() {
        return SerializerFront.module("codetether-openai-one-body-per-call", ChatCompletionRequest.class,
                SentOnly::new);
    }

    private static final class SentOnly extends SerializerFront<ChatCompletionRequest> {
        SentOnly(JsonSerializer<Object> library) {
            super(library);
        }

        @Override
        public void serialize(ChatCompletionRequest request, JsonGenerator gen, SerializerProvider provider)
                throws IOException {
            Boolean sent = SENT_STREAM.get();
            if (sent != null && sent != Boolean.TRUE.equals(request.stream())) {
                SKIPPED.incrementAndGet();
                gen.writeRawValue(UNSENT);
                return;
            }
            usual.serialize(request, gen, provider);
        }

        @Override
        protected SentOnly before(JsonSerializer<Object> other) {
            return new SentOnly(other);
        }
    }
}
