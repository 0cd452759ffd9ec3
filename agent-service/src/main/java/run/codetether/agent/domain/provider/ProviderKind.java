package run.codetether.agent.domain.provider;

import java.util.List;
import java.util.Optional;

/**
 * Every provider a task may name in its {@code provider} metadata, with the wire protocol it speaks, its public
 * endpoint and its default model. Most speak OpenAI chat completions, so one adapter serves them; the list is
 * closed so that a typo is refused with the full set of names instead of reaching a wrong endpoint.
 *
 * @param name the name tasks, config ({@code codetether.providers.<name>.*}) and the secret store use
 * @param protocol the wire protocol
 * @param defaultUrl public endpoint; empty when the deployment must set one (local, azure-openai, openai-compatible)
 * @param defaultModel model used when the task names none; empty when the deployment must set one
 * @param needsKey false for servers usually run without auth (local, ollama, openai-compatible)
 */
public record ProviderKind(String name, Protocol protocol, Optional<String> defaultUrl, Optional<String> defaultModel,
        boolean needsKey) {

    /** The wire protocols LangChain4j speaks for us. */
    public enum Protocol { OPENAI, AZURE_OPENAI, ANTHROPIC, GEMINI, BEDROCK }

    public static final List<ProviderKind> ALL = List.of(
            hosted("moonshotai", Protocol.OPENAI, "https://api.moonshot.ai/v1", "kimi-k2.5"),
            hosted("github-copilot", Protocol.OPENAI, "https://api.githubcopilot.com", "gpt-4o"),
            hosted("openrouter", Protocol.OPENAI, "https://openrouter.ai/api/v1", "moonshotai/kimi-k2"),
            hosted("google", Protocol.GEMINI, "https://generativelanguage.googleapis.com/v1beta", "gemini-2.5-pro"),
            hosted("anthropic", Protocol.ANTHROPIC, "https://api.anthropic.com/v1/", "claude-sonnet-4-20250514"),
            hosted("stepfun", Protocol.OPENAI, "https://api.stepfun.com/v1", "step-2-16k"),
            new ProviderKind("bedrock", Protocol.BEDROCK, Optional.empty(),
                    Optional.of("anthropic.claude-sonnet-4-20250514-v1:0"), true),
            new ProviderKind("local", Protocol.OPENAI, Optional.empty(), Optional.empty(), false),
            hosted("openai", Protocol.OPENAI, "https://api.openai.com/v1", "gpt-5"),
            // the deployment name is the model; the resource URL is the tenant's own
            new ProviderKind("azure-openai", Protocol.AZURE_OPENAI, Optional.empty(), Optional.of("gpt-4.1"), true),
            hosted("deepseek", Protocol.OPENAI, "https://api.deepseek.com/v1", "deepseek-chat"),
            hosted("groq", Protocol.OPENAI, "https://api.groq.com/openai/v1", "llama-3.3-70b-versatile"),
            hosted("mistral", Protocol.OPENAI, "https://api.mistral.ai/v1", "mistral-large-latest"),
            hosted("xai", Protocol.OPENAI, "https://api.x.ai/v1", "grok-4"),
            new ProviderKind("ollama", Protocol.OPENAI, Optional.of("http://127.0.0.1:11434/v1"),
                    Optional.of("qwen2.5-coder:7b"), false),
            hosted("together", Protocol.OPENAI, "https://api.together.xyz/v1", "Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8"),
            hosted("fireworks", Protocol.OPENAI, "https://api.fireworks.ai/inference/v1",
                    "accounts/fireworks/models/kimi-k2-instruct"),
            hosted("cerebras", Protocol.OPENAI, "https://api.cerebras.ai/v1", "gpt-oss-120b"),
            hosted("zai", Protocol.OPENAI, "https://api.z.ai/api/paas/v4", "glm-4.6"),
            new ProviderKind("openai-compatible", Protocol.OPENAI, Optional.empty(), Optional.empty(), false));

    public static final List<String> NAMES = ALL.stream().map(ProviderKind::name).toList();

    private static ProviderKind hosted(String name, Protocol p, String url, String model) {
        return new ProviderKind(name, p, Optional.of(url), Optional.of(model), true);
    }

    public static Optional<ProviderKind> of(String name) {
        return ALL.stream().filter(k -> k.name.equals(name)).findFirst();
    }
}
