package run.codetether.tools.infra;

import io.quarkus.vault.VaultKVSecretEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;
import run.codetether.platform.secrets.FileSecretSource;
import run.codetether.platform.secrets.KvLayout;
import run.codetether.platform.secrets.KvSecretSource;
import run.codetether.platform.secrets.SecretName;
import run.codetether.platform.secrets.SecretSource;
import run.codetether.platform.secrets.SecretsPath;
import run.codetether.tools.config.ToolsConfig;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolExecutor;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.mcp.McpPool;
import run.codetether.tools.domain.mcp.McpSecrets;
import run.codetether.tools.domain.mcp.McpService;
import run.codetether.tools.infra.egress.EgressProxy;
import run.codetether.tools.infra.mcp.SdkMcpConnector;
import run.codetether.tools.infra.mcp.StoredMcpSecrets;

/** Wires the MCP client side: secrets, the SDK connector, the per-session pool and its idle reaper. */
@ApplicationScoped
public class McpProducer {

    private static final Logger LOG = Logger.getLogger(McpProducer.class);

    @ConfigProperty(name = "quarkus.vault.url")
    Optional<String> vaultUrl;

    @ConfigProperty(name = "quarkus.vault.kv-secret-engine-mount-path", defaultValue = "secret")
    String vaultMount;

    @ConfigProperty(name = "quarkus.application.version", defaultValue = "dev")
    String version;

    private final ScheduledExecutorService reaper = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mcp-idle-reaper");
        t.setDaemon(true);
        return t;
    });

    @Produces
    @Singleton
    McpSecrets mcpSecrets(ToolsConfig cfg, Instance<VaultKVSecretEngine> kv) {
        List<SecretSource> stores = new ArrayList<>();
        KvLayout layout = new KvLayout(KvLayout.DEFAULT_PROVIDERS_PATH).withPath(SecretName.MCP, cfg.mcp().vaultPath());
        // Quarkus Vault fails on first use without a URL: only wire it when there is one
        boolean vault = vaultUrl.isPresent() && !vaultUrl.get().isBlank();
        if (vault) {
            stores.add(new KvSecretSource(path -> kv.get().readSecret(path), layout,
                    vaultUrl.get() + " mount " + vaultMount));
        }
        var file = SecretsPath.resolve(cfg.git().secretsFile());
        stores.add(new FileSecretSource(file));
        return new StoredMcpSecrets(SecretSource.firstOf(stores), key -> (vault ? "Vault " + vaultUrl.get() + " at "
                + vaultMount + "/" + layout.path(SecretName.mcp(key)) + " or " : "") + "the secrets file " + file
                + " (entry mcp:" + key + ")");
    }

    @Produces
    @Singleton
    McpService mcp(ToolsConfig cfg, Sandbox sandbox, SessionRegistry sessions, SandboxContext context,
            EgressProxy proxy, McpSecrets secrets, ToolExecutor executor) {
        var m = cfg.mcp();
        SdkMcpConnector connector = new SdkMcpConnector(sandbox, sessions, context, proxy, InetAddress::getAllByName,
                secrets, new SdkMcpConnector.Settings(m.maxLifetime(), cfg.maxTimeout().plusMinutes(1),
                        m.maxMessageChars(), version));
        McpPool pool = new McpPool(connector, Clock.systemUTC(), m.idleTimeout(), m.maxServersPerSession(),
                m.maxServers());
        long every = Math.max(1, Math.min(30, m.idleTimeout().toSeconds() / 2));
        reaper.scheduleWithFixedDelay(() -> {
            try {
                pool.reapIdle();
            } catch (RuntimeException e) {
                LOG.warnf("closing idle MCP servers failed: %s", e.toString());
            }
        }, every, every, TimeUnit.SECONDS);
        LOG.infof("MCP servers: %s; idle timeout %s, at most %d per session and %d in all; secrets from %s",
                m.enabled() ? "on" : "OFF (codetether.tools.mcp.enabled=false)", m.idleTimeout(),
                m.maxServersPerSession(), m.maxServers(), secrets.describe());
        return new McpService(pool, executor.store(), new McpService.Settings(m.enabled(), m.callTimeout(),
                cfg.maxTimeout(), m.startTimeout(), m.maxResultChars()));
    }

    void close(@Disposes McpService service) {
        reaper.shutdownNow();
        service.pool().close();
    }
}
