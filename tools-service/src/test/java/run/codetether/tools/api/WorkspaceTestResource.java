package run.codetether.tools.api;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import run.codetether.fixtures.vault.VaultTestServer;
import run.codetether.fixtures.git.Git;
import run.codetether.fixtures.git.GitDaemon;
import run.codetether.fixtures.git.GitHttpsServer;

/**
 * Servers on loopback for the module's one Quarkus boot: a git daemon (git://, pushes on) and an HTTPS git server
 * that needs a token, both serving the same small project; a Vault holding that token at
 * secret/codetether/git/127.0.0.1 (and two MCP servers' secrets below secret/codetether/mcp); a fake package registry the egress allowlist names by exact address and port.
 * Tests find them through system properties (test resources and tests may use different class loaders).
 */
public class WorkspaceTestResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOKEN = "tok_" + UUID.randomUUID().toString().replace("-", "");

    private GitDaemon daemon;
    private GitHttpsServer https;
    private VaultTestServer vault;
    private com.sun.net.httpserver.HttpServer registry;

    @Override
    public Map<String, String> start() {
        try {
            Path servers = Files.createTempDirectory("ct-tools-it-git");
            Git.project(servers, "project");
            daemon = GitDaemon.start(servers);
            https = GitHttpsServer.start(servers, Files.createDirectories(servers.resolve("tls")), "localhost", "ci-bot",
                    TOKEN);
            vault = VaultTestServer.start("tools-it-root").put("secret", "codetether/git/127.0.0.1",
                    Map.of("token", TOKEN, "username", "ci-bot"));
            // MCP servers' secrets (McpGrpcTest): an env value for a stdio server, a header for an HTTP one
            String mcpEnv = "mcp-env-" + UUID.randomUUID();
            String mcpHeader = "Bearer mcp-hdr-" + UUID.randomUUID();
            vault.put("secret", "codetether/mcp/vault-stdio", Map.of("MCP_TOKEN", mcpEnv));
            vault.put("secret", "codetether/mcp/vault-http", Map.of("Authorization", mcpHeader));
            System.setProperty("ct.tools.it.mcp.env", mcpEnv);
            System.setProperty("ct.tools.it.mcp.header", mcpHeader);
            registry = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress(
                    java.net.InetAddress.getLoopbackAddress(), 0), 0);
            registry.createContext("/", ex -> {
                byte[] b = ("registry-ok " + ex.getRequestURI() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, b.length);
                ex.getResponseBody().write(b);
                ex.close();
            });
            registry.start();
            System.setProperty("ct.tools.it.servers", servers.toString());
            System.setProperty("ct.tools.it.git", daemon.url("project.git"));
            System.setProperty("ct.tools.it.https", "https://127.0.0.1:" + https.port() + "/project.git");
            System.setProperty("ct.tools.it.registry", "127.0.0.1:" + registry.getAddress().getPort());
            System.setProperty("ct.tools.it.token", TOKEN);
            return Map.of("quarkus.vault.url", vault.address(),
                    "quarkus.vault.authentication.client-token", "tools-it-root",
                    "codetether.tools.git.ca-file", https.caPem().toString(),
                    "codetether.tools.egress.allowed-hosts", "127.0.0.1:" + registry.getAddress().getPort());
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the workspace test servers", e);
        }
    }

    @Override
    public void stop() {
        if (daemon != null) {
            daemon.close();
        }
        if (https != null) {
            https.close();
        }
        if (vault != null) {
            vault.close();
        }
        if (registry != null) {
            registry.stop(0);
        }
    }
}
