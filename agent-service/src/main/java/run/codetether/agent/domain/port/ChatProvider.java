package run.codetether.agent.domain.port;

import java.util.function.Consumer;
import run.codetether.agent.domain.model.ModelReply;
import run.codetether.agent.domain.model.ModelRequest;
import run.codetether.agent.domain.provider.ProviderException;

/**
 * One language-model backend. Blocking (callers run on virtual threads) and interruptible: an interrupt ends the
 * call promptly. Failures are {@link ProviderException}s whose messages never contain credentials.
 */
public interface ChatProvider {

    /**
     * @param partialText receives text deltas as they stream in (may never be called by non-streaming backends)
     */
    ModelReply chat(ModelRequest request, Consumer<String> partialText) throws ProviderException, InterruptedException;
}
