package run.codetether.agent.infra.llm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.Consumer;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.model.ToolCall;
import run.codetether.agent.domain.port.ChatProvider;
import run.codetether.agent.domain.provider.ProviderException;
import run.codetether.platform.json.Json;
import software.amazon.awssdk.awscore.exception.AwsServiceException;

/**
 * A provider through LangChain4j: maps the neutral conversation to LangChain4j messages, streams when a streaming
 * model is given, and turns every failure into a {@link ProviderException} whose text is scrubbed of the key.
 */
final class LangChain4jChatProvider implements ChatProvider {
    private static final ObjectMapper JSON = Json.mapper();
    /** Shared by every provider: the same catalogs are offered whichever model a task uses. */
    private static final ToolSpecifications SPECS = new ToolSpecifications();

    private final String provider;
    private final String endpoint;
    private final ChatModel sync;
    private final StreamingChatModel streaming;
    private final Set<String> secrets;
    private final LangChain4jMessages.Images images;

    LangChain4jChatProvider(String provider, String endpoint, ChatModel sync, StreamingChatModel streaming,
            Set<String> secrets, LangChain4jMessages.Images images) {
        this.images = images;
        this.provider = provider;
        this.endpoint = endpoint;
        this.sync = sync;
        this.streaming = streaming;
        this.secrets = secrets;
    }

    @Override
    public ModelReply chat(ModelRequest request, Consumer<String> partialText) throws ProviderException, InterruptedException {
        ChatRequest.Builder b = ChatRequest.builder().messages(LangChain4jMessages.of(request, images));
        if (!request.tools().isEmpty()) {
            b.toolSpecifications(SPECS.of(request.tools()));
        }
        ChatRequest chatRequest = b.build();
        ChatResponse response;
        try {
            response = streaming != null ? stream(chatRequest, partialText) : sync.chat(chatRequest);
        } catch (InterruptedException e) {
            throw e;
        } catch (RuntimeException e) {
            throw map(e);
        }
        AiMessage ai = response.aiMessage();
        List<ToolCall> calls = new ArrayList<>();
        if (ai.hasToolExecutionRequests()) {
            for (ToolExecutionRequest t : ai.toolExecutionRequests()) {
                calls.add(new ToolCall(t.id(), t.name(), t.arguments()));
            }
        }
        return new ModelReply(ai.text(), calls, ProviderUsage.of(response.tokenUsage()));
    }

    private ChatResponse stream(ChatRequest request, Consumer<String> partialText) throws InterruptedException {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        streaming.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
                partialText.accept(partial);
            }

            @Override
            public void onCompleteResponse(ChatResponse r) {
                done.complete(r);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        try {
            return done.get();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof RuntimeException re ? re : new IllegalStateException(c);
        }
    }

    private ProviderException map(Throwable e) throws InterruptedException {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof HeaderAwareHttpClient.ProviderCallInterrupted) {
                throw new InterruptedException("provider call interrupted");
            }
            if (c instanceof ProviderHttpException h) {
                return byStatus(h.statusCode(), errorText(h.getMessage()), h.retryAfter());
            }
            if (c instanceof AwsServiceException aws) {
                String msg = aws.awsErrorDetails() == null ? aws.getMessage() : aws.awsErrorDetails().errorMessage();
                return byStatus(aws.statusCode(), msg, null);
            }
            if (c instanceof ConnectException || c instanceof dev.langchain4j.exception.TimeoutException
                    || c instanceof java.net.http.HttpTimeoutException) {
                return new ProviderException(ProviderException.Kind.TRANSPORT,
                        "cannot reach provider " + provider + " at " + endpoint + ": " + safe(String.valueOf(c.getMessage())));
            }
            if (c instanceof IOException || c instanceof java.io.UncheckedIOException) {
                return new ProviderException(ProviderException.Kind.TRANSPORT,
                        "connection to provider " + provider + " failed: " + safe(String.valueOf(c.getMessage())));
            }
        }
        return new ProviderException(ProviderException.Kind.BAD_REQUEST,
                "provider " + provider + " call failed: " + e.getClass().getSimpleName() + ": " + safe(String.valueOf(e.getMessage())));
    }

    private ProviderException byStatus(int status, String text, Duration retryAfter) {
        String detail = safe(text);
        return switch (status) {
            case 401, 403 -> new ProviderException(ProviderException.Kind.AUTH, "provider " + provider
                    + " rejected the API key (HTTP " + status + ": " + detail + "). Update the key in Vault at "
                    + "secret/codetether/providers/" + provider + " (field api_key) or run `codetether auth add "
                    + provider + "`.");
            case 429 -> new ProviderException(ProviderException.Kind.RATE_LIMITED, "provider " + provider
                    + " rate-limited the request (HTTP 429: " + detail + ")", retryAfter);
            default -> status >= 500
                    ? new ProviderException(ProviderException.Kind.SERVER, "provider " + provider + " failed (HTTP "
                            + status + ": " + detail + ")", retryAfter)
                    : new ProviderException(ProviderException.Kind.BAD_REQUEST, "provider " + provider
                            + " refused the request (HTTP " + status + ": " + detail + ")");
        };
    }

    /** The provider's own error message out of its JSON body (OpenAI, Anthropic, Gemini, Bedrock shapes). */
    private static String errorText(String body) {
        if (body == null) {
            return "";
        }
        try {
            JsonNode n = JSON.readTree(body);
            for (String p : List.of("/error/message", "/message", "/error")) {
                JsonNode v = n.at(p);
                if (v.isTextual()) {
                    return v.asText();
                }
            }
        } catch (Exception e) {
            // not JSON: use the text as is
        }
        return body;
    }

    private String safe(String text) {
        String r = Redactor.redact(text, secrets);
        return r.length() > 300 ? r.substring(0, 300) + "..." : r;
    }
}
