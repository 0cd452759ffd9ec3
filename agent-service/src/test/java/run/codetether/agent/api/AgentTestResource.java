package run.codetether.agent.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import run.codetether.fixtures.vault.VaultTestServer;

/**
 * The app's surroundings for the one Quarkus boot of this module: a Vault (KV v2, token auth) holding the
 * moonshotai key, and the ports where the test starts the scripted LLM and the gRPC tools server. Ports and the
 * Vault address travel in system properties, because tests and resources may live in different class loaders.
 */
public class AgentTestResource implements QuarkusTestResourceLifecycleManager {
    public static final String VAULT_TOKEN = "it-root-token";
    public static final String VAULT_KEY = "sk-vault-held-key-0123456789";
    private VaultTestServer vault;

    @Override
    public Map<String, String> start() {
        vault = VaultTestServer.start(VAULT_TOKEN).put("secret", "codetether/providers/moonshotai", Map.of("api_key", VAULT_KEY));
        int llmPort = freePort();
        int toolsPort = freePort();
        System.setProperty("ct.it.llm.port", Integer.toString(llmPort));
        System.setProperty("ct.it.tools.port", Integer.toString(toolsPort));
        System.setProperty("ct.it.vault.addr", vault.address());
        try {
            return Map.of(
                    "quarkus.vault.url", vault.address(),
                    "quarkus.vault.authentication.client-token", VAULT_TOKEN,
                    "codetether.providers.moonshotai.base-url", "http://127.0.0.1:" + llmPort + "/openai/v1",
                    "codetether.agent.tools.host", "127.0.0.1",
                    "codetether.agent.tools.port", Integer.toString(toolsPort),
                    "codetether.agent.router.enabled", "false",
                    "codetether.agent.instance-id", "quarkus-test-worker",
                    "codetether.agent.secrets-file", Files.createTempDirectory("ct-secrets").resolve("none.json").toString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        return run.codetether.fixtures.net.LoopbackPorts.freeUnchecked();
    }

    @Override
    public void stop() {
        vault.close();
    }
}
