package run.codetether.platform.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.models.ModelCatalog;
import run.codetether.platform.secrets.Secret;
import run.codetether.platform.secrets.SecretName;

class ProviderCatalogTest {
    final ProviderCatalog catalog = ProviderCatalog.builtIn();

    /** name -> protocol, default base URL, default model: today's providers exactly, in preference order. */
    @Test
    void theOriginalsEightProvidersAndTheAddedOnes() {
        assertEquals(List.of("moonshotai", "github-copilot", "openrouter", "google", "anthropic", "stepfun", "bedrock",
                "local", "openai", "azure-openai", "deepseek", "groq", "mistral", "xai", "ollama", "together",
                "fireworks", "cerebras", "zai", "openai-compatible"), catalog.names());
        Map<String, String> expected = new java.util.HashMap<>(Map.of(
                "moonshotai", "openai-compatible https://api.moonshot.ai/v1 kimi-k2.5",
                "github-copilot", "openai-compatible https://api.githubcopilot.com gpt-4o",
                "openrouter", "openai-compatible https://openrouter.ai/api/v1 moonshotai/kimi-k2",
                "google", "gemini https://generativelanguage.googleapis.com/v1beta gemini-2.5-pro",
                "anthropic", "anthropic https://api.anthropic.com/v1/ claude-sonnet-4-20250514",
                "stepfun", "openai-compatible https://api.stepfun.com/v1 step-2-16k",
                "bedrock", "bedrock - anthropic.claude-sonnet-4-20250514-v1:0",
                "local", "openai-compatible - -"));
        expected.putAll(Map.of(
                "openai", "openai-compatible https://api.openai.com/v1 gpt-5",
                "azure-openai", "azure-openai - gpt-4.1",
                "deepseek", "openai-compatible https://api.deepseek.com/v1 deepseek-chat",
                "groq", "openai-compatible https://api.groq.com/openai/v1 llama-3.3-70b-versatile",
                "mistral", "openai-compatible https://api.mistral.ai/v1 mistral-large-latest",
                "xai", "openai-compatible https://api.x.ai/v1 grok-4",
                "ollama", "openai-compatible http://127.0.0.1:11434/v1 qwen2.5-coder:7b",
                "together", "openai-compatible https://api.together.xyz/v1 Qwen/Qwen3-Coder-480B-A35B-Instruct-FP8",
                "fireworks", "openai-compatible https://api.fireworks.ai/inference/v1 accounts/fireworks/models/kimi-k2-instruct",
                "cerebras", "openai-compatible https://api.cerebras.ai/v1 gpt-oss-120b"));
        expected.putAll(Map.of(
                "zai", "openai-compatible https://api.z.ai/api/paas/v4 glm-4.6",
                "openai-compatible", "openai-compatible - -"));
        for (ProviderSpec s : catalog.all()) {
            assertEquals(expected.get(s.name()), s.protocol().wire() + " " + s.defaultBaseUrl().orElse("-") + " "
                    + s.defaultModel().orElse("-"), s.name());
            assertEquals(SecretName.provider(s.name()), s.secret());
            assertEquals(!List.of("local", "ollama", "openai-compatible").contains(s.name()), s.keyRequired(), s.name());
        }
        ProviderSpec local = catalog.require("local");
        assertEquals(Optional.of("CODETETHER_LOCAL_BASE_URL"), local.baseUrlEnv());
        assertEquals(Optional.of("CODETETHER_LOCAL_MODEL"), local.modelEnv());
        assertEquals("codetether.providers.local.base-url", local.configKey("base-url"));
    }

    @Test
    void endpointsTakeTheCallsModelThenTheOverrideThenTheDefault() {
        ProviderEndpoint e = catalog.endpoint("anthropic", ProviderOverride.NONE, Optional.empty());
        assertEquals(Optional.of("https://api.anthropic.com/v1/"), e.baseUrl());
        assertEquals("claude-sonnet-4-20250514", e.model());
        e = catalog.endpoint("openrouter", ProviderOverride.of("http://127.0.0.1:9/v1", "m1"), Optional.of("m2"));
        assertEquals(Optional.of("http://127.0.0.1:9/v1"), e.baseUrl());
        assertEquals("m2", e.model());
        assertEquals("m1", catalog.endpoint("openrouter", ProviderOverride.of(null, "m1"), Optional.of(" ")).model());
        assertTrue(catalog.endpoint("bedrock", ProviderOverride.NONE, Optional.empty()).baseUrl().isEmpty(),
                "bedrock's endpoint is its region's");
    }

    @Test
    void localNeedsAUrlAndAModelAndSaysWhichVariablesToSet() {
        var noUrl = assertThrows(ProviderConfigException.class,
                () -> catalog.endpoint("local", ProviderOverride.NONE, Optional.empty()));
        assertTrue(noUrl.getMessage().contains("CODETETHER_LOCAL_BASE_URL (codetether.providers.local.base-url)"),
                noUrl.getMessage());
        var noModel = assertThrows(ProviderConfigException.class,
                () -> catalog.endpoint("local", ProviderOverride.of("http://127.0.0.1:11434/v1", ""), Optional.empty()));
        assertTrue(noModel.getMessage().contains("CODETETHER_LOCAL_MODEL"), noModel.getMessage());
        var unknown = assertThrows(ProviderConfigException.class, () -> catalog.require("openia"));
        assertTrue(unknown.getMessage().contains("known providers: moonshotai, github-copilot"), unknown.getMessage());
    }

    @Test
    void theDefaultIsExplicitElseLocalElseTheFirstHostedProviderWithAKey() {
        assertEquals("stepfun", catalog.chooseDefault(Optional.of("stepfun"), n -> ProviderOverride.NONE, s -> false,
                "-").name());
        assertEquals("local", catalog.chooseDefault(Optional.empty(),
                n -> n.equals("local") ? ProviderOverride.of("http://127.0.0.1:1/v1", null) : ProviderOverride.NONE,
                s -> true, "-").name());
        Set<String> keyed = Set.of("anthropic", "google");
        assertEquals("google", catalog.chooseDefault(Optional.empty(), n -> ProviderOverride.NONE,
                s -> keyed.contains(s.name()), "-").name(), "catalog order: google before anthropic");
        var none = assertThrows(ProviderConfigException.class, () -> catalog.chooseDefault(Optional.empty(),
                n -> ProviderOverride.NONE, s -> false, "file /x/secrets.json"));
        assertTrue(none.getMessage().contains("CODETETHER_LOCAL_BASE_URL") && none.getMessage().contains("auth add")
                && none.getMessage().contains("Looked in: file /x/secrets.json"), none.getMessage());
    }

    @Test
    void aKeyIsWhatTheProtocolReads() {
        assertTrue(WireProtocol.OPENAI_COMPATIBLE.hasKey(new Secret(Map.of("api_key", "sk"))));
        assertFalse(WireProtocol.ANTHROPIC.hasKey(new Secret(Map.of("token", "sk"))));
        assertTrue(WireProtocol.BEDROCK.hasKey(new Secret(Map.of("aws_access_key_id", "AKIA", "aws_secret_access_key",
                "s"))));
        assertTrue(WireProtocol.BEDROCK.hasKey(new Secret(Map.of("api_key", "AKIA:s"))));
    }

    @Test
    void aProviderIsOneDataEntryAndNamesAreUnique() {
        ProviderSpec extra = ProviderSpec.hosted("example", WireProtocol.OPENAI_COMPATIBLE, "https://x.invalid/v1", "m");
        ProviderCatalog c = new ProviderCatalog(List.of(extra));
        assertEquals("m", c.endpoint("example", ProviderOverride.NONE, Optional.empty()).model());
        assertThrows(IllegalArgumentException.class, () -> new ProviderCatalog(List.of(extra, extra)));
    }

    /** The catalog is read from the contracts' catalog.json, the one provider list: an entry there is a provider. */
    @Test
    void theCatalogIsTheModelCatalogsProviderList() {
        assertEquals(ModelCatalog.builtIn().providers().stream().map(ModelCatalog.Provider::name).toList(),
                catalog.names());
        var doc = new ModelCatalog("t", List.of(
                new ModelCatalog.Provider("example", "anthropic", "https://x.invalid/v1/", "m", null, null, null),
                new ModelCatalog.Provider("free", "openai-compatible", null, null, false, "FREE_URL", "FREE_MODEL")),
                List.of());
        ProviderCatalog c = new ProviderCatalog(ProviderCatalog.fromCatalog(doc));
        assertEquals(WireProtocol.ANTHROPIC, c.require("example").protocol());
        assertTrue(c.require("example").keyRequired(), "key_required absent = a key is required");
        assertFalse(c.require("free").keyRequired());
        assertEquals(Optional.of("FREE_URL"), c.require("free").baseUrlEnv());
        var bad = new ModelCatalog("t", List.of(new ModelCatalog.Provider("odd", "smoke-signals", null, "m", null, null,
                null)), List.of());
        var e = assertThrows(IllegalArgumentException.class, () -> ProviderCatalog.fromCatalog(bad));
        assertTrue(e.getMessage().contains("odd") && e.getMessage().contains("smoke-signals"), e.getMessage());
    }
}
