package run.codetether.agent.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import com.fasterxml.jackson.databind.ObjectMapper;
import run.codetether.agent.infra.llm.LangChain4jProviders;
import run.codetether.agent.infra.llm.ProviderSettings;
import run.codetether.platform.secrets.CachingSecretSource;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.fixtures.llm.ScriptedLlmServer;

/** Real provider wiring pointed at a scripted LLM server, keys in a real 0600 secrets file. */
public final class Providers {
    public static final String OPENAI_KEY = "sk-test-openai-0123456789abcdef";
    public static final String ANTHROPIC_KEY = "sk-ant-test-0123456789abcdef";
    public static final String GOOGLE_KEY = "AIzaTest0123456789abcdef";
    public static final String BEDROCK_ID = "AKIATESTKEYID0000001";
    public static final String BEDROCK_SECRET = "bedrock-secret-0123456789";

    private Providers() {}

    public static Path secretsFile(Path dir, Map<String, Map<String, String>> providers) throws IOException {
        Path f = dir.resolve("secrets.json");
        write(f, providers);
        return f;
    }

    public static void write(Path f, Map<String, Map<String, String>> providers) throws IOException {
        Files.writeString(f, new ObjectMapper().writeValueAsString(Map.of("providers", providers)));
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    public static Map<String, Map<String, String>> allKeys() {
        return Map.of(
                "moonshotai", Map.of("api_key", OPENAI_KEY),
                "anthropic", Map.of("api_key", ANTHROPIC_KEY),
                "google", Map.of("api_key", GOOGLE_KEY),
                "bedrock", Map.of("aws_access_key_id", BEDROCK_ID, "aws_secret_access_key", BEDROCK_SECRET, "aws_region", "us-east-1"));
    }

    /** Every provider's base URL on the scripted server. */
    public static LangChain4jProviders resolver(ScriptedLlmServer llm, Path secrets, Duration cacheTtl) {
        Map<String, ProviderSettings> s = new HashMap<>();
        for (String openAi : new String[] {"moonshotai", "github-copilot", "openrouter", "stepfun"}) {
            s.put(openAi, ProviderSettings.defaults().withBaseUrl(llm.openAiBaseUrl()));
        }
        s.put("local", ProviderSettings.defaults().withBaseUrl(llm.openAiBaseUrl()).withModel("qwen2.5-coder").withStreaming(false));
        s.put("anthropic", ProviderSettings.defaults().withBaseUrl(llm.anthropicBaseUrl()));
        s.put("google", ProviderSettings.defaults().withBaseUrl(llm.geminiBaseUrl()));
        s.put("bedrock", ProviderSettings.defaults().withBaseUrl(llm.bedrockEndpoint()));
        return new LangChain4jProviders(s, Optional.empty(),
                new CachingSecretSource(java.util.List.of(new FileSecretSource(secrets)), cacheTtl, java.time.Clock.systemUTC()),
                3, Duration.ofSeconds(2));
    }
}
