package run.codetether.agent.domain.provider;

import java.time.Duration;
import java.util.function.Consumer;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.port.ChatProvider;

/**
 * Retries 429, 5xx and transport failures with exponential backoff, waiting the provider's Retry-After when it
 * sent one (capped by {@code maxWait}). Other failures pass through at once. The wait is interruptible, so a
 * canceled task does not sit out a backoff.
 */
public final class RetryingChatProvider implements ChatProvider {
    private final ChatProvider delegate;
    private final int maxRetries;
    private final Duration initialBackoff;
    private final Duration maxWait;

    public RetryingChatProvider(ChatProvider delegate, int maxRetries, Duration initialBackoff, Duration maxWait) {
        this.delegate = delegate;
        this.maxRetries = maxRetries;
        this.initialBackoff = initialBackoff;
        this.maxWait = maxWait;
    }

    @Override
    public ModelReply chat(ModelRequest request, Consumer<String> partialText)
            throws ProviderException, InterruptedException {
        Duration backoff = initialBackoff;
        for (int attempt = 0; ; attempt++) {
            try {
                return delegate.chat(request, partialText);
            } catch (ProviderException e) {
                if (!e.kind().retriable() || attempt >= maxRetries) {
                    throw e;
                }
                Duration wait = e.retryAfter() != null ? e.retryAfter() : backoff;
                Thread.sleep(wait.compareTo(maxWait) > 0 ? maxWait : wait);
                backoff = backoff.multipliedBy(2);
            }
        }
    }
}
