package run.codetether.agent.infra.llm;

import dev.langchain4j.model.anthropic.AnthropicTokenUsage;
import dev.langchain4j.model.bedrock.BedrockTokenUsage;
import dev.langchain4j.model.googleai.GoogleAiGeminiTokenUsage;
import dev.langchain4j.model.openai.OpenAiTokenUsage;
import dev.langchain4j.model.output.TokenUsage;
import run.codetether.agent.domain.model.Usage;

/**
 * A provider's reported usage as the domain's four disjoint parts, so no token is charged twice. The providers
 * disagree on what their prompt count holds: OpenAI (and every OpenAI-compatible provider) and Gemini count the
 * cached tokens inside it ({@code prompt_tokens_details.cached_tokens}, {@code cachedContentTokenCount}) and report
 * no cache writes; Anthropic's {@code input_tokens} and Bedrock Converse's {@code inputTokens} exclude cache reads
 * and writes, which come beside them.
 */
final class ProviderUsage {
    private ProviderUsage() {}

    static Usage of(TokenUsage u) {
        if (u == null) {
            return Usage.ZERO;
        }
        long prompt = n(u.inputTokenCount());
        long out = n(u.outputTokenCount());
        return switch (u) {
            case OpenAiTokenUsage o -> {
                long cached = o.inputTokensDetails() == null ? 0 : n(o.inputTokensDetails().cachedTokens());
                yield included(prompt, out, cached);
            }
            case GoogleAiGeminiTokenUsage g -> included(prompt, out, n(g.cachedContentTokenCount()));
            case AnthropicTokenUsage a -> new Usage(prompt, out, n(a.cacheReadInputTokens()),
                    n(a.cacheCreationInputTokens()));
            case BedrockTokenUsage b -> new Usage(prompt, out, n(b.cacheReadInputTokens()),
                    n(b.cacheWriteInputTokens()));
            default -> new Usage(prompt, out);
        };
    }

    /** A prompt count that includes {@code cached} read tokens (a provider never reports more cached than sent). */
    private static Usage included(long prompt, long out, long cached) {
        long read = Math.min(cached, prompt);
        return new Usage(prompt - read, out, read, 0);
    }

    private static long n(Integer v) {
        return v == null || v < 0 ? 0 : v;
    }
}
