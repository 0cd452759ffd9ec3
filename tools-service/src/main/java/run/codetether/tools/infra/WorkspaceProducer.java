package run.codetether.tools.infra;

import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vault.VaultKVSecretEngine;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
import run.codetether.tools.domain.egress.EgressRecorder;
import run.codetether.tools.domain.git.ArchiveStage;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.net.EgressPresets;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;
import run.codetether.tools.infra.egress.BridgeLauncher;
import run.codetether.tools.infra.egress.EgressLog;
import run.codetether.tools.infra.egress.EgressProxy;
import run.codetether.tools.infra.egress.SessionSandboxContext;
import run.codetether.tools.infra.git.DiskArchiveStage;
import run.codetether.tools.infra.git.GitCli;
import run.codetether.tools.infra.git.GitWorkspaces;
import run.codetether.tools.infra.git.StoredGitCredentials;
import run.codetether.tools.infra.git.TarballUnpacker;
import run.codetether.tools.kit.Sandboxes;

/** Wires git workspaces, git credentials (Vault, then the local secrets file) and the sandbox's egress proxy. */
@ApplicationScoped
public class WorkspaceProducer {

    private static final Logger LOG = Logger.getLogger(WorkspaceProducer.class);

    @ConfigProperty(name = "quarkus.vault.url")
    Optional<String> vaultUrl;

    @ConfigProperty(name = "quarkus.vault.kv-secret-engine-mount-path", defaultValue = "secret")
    String vaultMount;

    @Produces
    @Singleton
    GitWorkspaces workspaces(ToolsConfig cfg, SessionRegistry sessions, Instance<VaultKVSecretEngine> kv) {
        var g = cfg.git();
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"), "codetether-git-" + ProcessHandle.current().pid());
        GitCli cli = new GitCli(g.path(), tmp.resolve("home"), g.timeout());
        HostGate gate = new HostGate(HostAllowlist.of(g.allowedHosts().orElse(List.of())), g.allowLoopback(),
                InetAddress::getAllByName, "CODETETHER_TOOLS_GIT_ALLOWED_HOSTS");
        // Quarkus Vault fails on first use without a URL: only wire it when there is one
        boolean vault = vaultUrl.isPresent() && !vaultUrl.get().isBlank();
        List<SecretSource> stores = new ArrayList<>();
        if (vault) {
            stores.add(new KvSecretSource(path -> kv.get().readSecret(path),
                    new KvLayout(KvLayout.DEFAULT_PROVIDERS_PATH).withPath(SecretName.GIT, g.vaultPath()),
                    vaultUrl.get() + " mount " + vaultMount));
        }
        stores.add(new FileSecretSource(SecretsPath.resolve(g.secretsFile())));
        var credentials = new StoredGitCredentials(SecretSource.firstOf(stores));
        var a = cfg.archive();
        LOG.infof("git workspaces: allowed hosts %s%s, credentials from %s then %s", gate.allowlist(),
                g.allowLoopback() ? " plus loopback" : "", vault ? "Vault " + vaultUrl.get() : "(no Vault)",
                "the secrets file");
        return new GitWorkspaces(sessions, SessionRegistry.defaultStateRoot(cfg.workspaceRoot()), cli, gate, credentials,
                new TarballUnpacker(a.maxUnpackedBytes(), a.maxEntries()),
                new GitWorkspaces.Settings(g.defaultDepth(), g.authorName(), g.authorEmail(), a.maxBytes(),
                        g.maxDiffBytes(), g.caFile(), g.knownHostsFile(), tmp.resolve("keys"),
                        cfg.egress().defaultOn()));
    }

    @Produces
    @Singleton
    ArchiveStage archiveStage(ToolsConfig cfg) {
        return new DiskArchiveStage(SessionRegistry.defaultStateRoot(cfg.workspaceRoot()), cfg.archive().maxBytes(),
                cfg.archive().stagedTtl(), java.time.Clock.systemUTC());
    }

    @Produces
    @Singleton
    EgressRecorder egressRecorder(ToolsConfig cfg, Instance<MeterRegistry> registry) {
        return new EgressLog(registry.isResolvable() ? registry.get() : null, cfg.egress().historyPerSession());
    }

    @Produces
    @Singleton
    EgressProxy egressProxy(ToolsConfig cfg, EgressRecorder recorder) {
        var e = cfg.egress();
        List<String> entries = new ArrayList<>(e.allowedHosts().orElse(List.of()));
        entries.addAll(EgressPresets.expand(e.presets().orElse(List.of())));
        HostGate gate = new HostGate(HostAllowlist.of(entries), false, InetAddress::getAllByName,
                "CODETETHER_TOOLS_EGRESS_ALLOWED_HOSTS");
        Path dir = e.socketDir().orElse(Path.of(System.getProperty("java.io.tmpdir"),
                "codetether-egress-" + ProcessHandle.current().pid()));
        LOG.infof("egress proxy: %s for %s; allowlist %s", e.defaultOn() ? "on" : "opt-in per session",
                e.defaultOn() ? "every session" : "sessions that ask", gate.allowlist().isEmpty() ? "EMPTY (nothing gets out)"
                        : gate.allowlist());
        return new EgressProxy(dir, gate, recorder, e.connectTimeout(), e.idleTimeout());
    }

    void closeProxy(@Disposes EgressProxy proxy) {
        proxy.close();
    }

    @Produces
    @Singleton
    SandboxContext sandboxContext(ToolsConfig cfg, GitWorkspaces workspaces, EgressProxy proxy, EgressRecorder recorder) {
        return new SessionSandboxContext(workspaces, Optional.of(proxy), recorder, cfg.egress().defaultOn());
    }

    /** The bridge for the sandbox, by {@code codetether.tools.egress.bridge}. */
    static BridgeLauncher bridge(ToolsConfig cfg) {
        Path dir = cfg.egress().socketDir().orElse(Path.of(System.getProperty("java.io.tmpdir"),
                "codetether-egress-" + ProcessHandle.current().pid())).resolve("assets");
        try {
            return Sandboxes.bridge(cfg.egress().bridge(), dir);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("codetether.tools.egress.bridge: " + e.getMessage(), e);
        }
    }
}
