package run.codetether.tools.infra;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import run.codetether.tools.config.ToolsConfig;
import run.codetether.tools.domain.DurableResultStore;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolExecutor;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.net.EgressPolicy;
import run.codetether.tools.domain.search.GrepEngine;
import run.codetether.tools.domain.tool.ApplyPatchTool;
import run.codetether.tools.domain.tool.BashTool;
import run.codetether.tools.domain.tool.BatchTool;
import run.codetether.tools.domain.tool.CodeSearchTool;
import run.codetether.tools.domain.tool.ConfirmEditTool;
import run.codetether.tools.domain.tool.ConfirmMultiEditTool;
import run.codetether.tools.domain.tool.EditSupport;
import run.codetether.tools.domain.tool.EditTool;
import run.codetether.tools.domain.tool.GlobTool;
import run.codetether.tools.domain.tool.GrepTool;
import run.codetether.tools.domain.tool.ImageTool;
import run.codetether.tools.domain.tool.ListDirTool;
import run.codetether.tools.domain.tool.LspTool;
import run.codetether.tools.domain.tool.MultiEditTool;
import run.codetether.tools.domain.tool.ReadFileTool;
import run.codetether.tools.domain.tool.ToolRegistry;
import run.codetether.tools.domain.tool.UndoTool;
import run.codetether.tools.domain.tool.WebFetchTool;
import run.codetether.tools.domain.tool.WebSearchTool;
import run.codetether.tools.domain.tool.WriteFileTool;
import run.codetether.tools.domain.workspace.FileStore;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.MissingBwrapSandbox;
import run.codetether.tools.infra.sandbox.PidsCgroup;
import run.codetether.tools.infra.sandbox.SandboxLimits;
import run.codetether.tools.infra.sandbox.UnsandboxedRunner;

/** Wires the plain-Java domain (tools, sessions, store) and the sandbox chosen by config. */
@ApplicationScoped
public class ToolsProducer {

    private static final Logger LOG = Logger.getLogger(ToolsProducer.class);

    @Produces
    @Singleton
    Sandbox sandbox(ToolsConfig cfg) {
        var s = cfg.sandbox();
        SandboxLimits limits = new SandboxLimits(s.cpuSeconds(), s.memoryBytes(), s.maxProcesses(),
                s.fileSizeBytes(), s.openFiles(), s.outputKillBytes());
        if (!s.enabled()) {
            return new UnsandboxedRunner(limits);
        }
        Optional<Path> bwrap = findExecutable(s.bwrapPath());
        if (bwrap.isEmpty()) {
            return new MissingBwrapSandbox(s.bwrapPath());
        }
        return new BwrapSandbox(bwrap.get().toString(), cfg.workspaceRoot(), limits,
                PidsCgroup.parent().map(p -> new PidsCgroup.Pool(p, s.cgroupPoolSize())),
                Optional.of(WorkspaceProducer.bridge(cfg)));
    }

    @Produces
    @Singleton
    SessionRegistry sessions(ToolsConfig cfg) {
        return new SessionRegistry(cfg.workspaceRoot(), cfg.historySize(),
                SessionRegistry.defaultStateRoot(cfg.workspaceRoot()));
    }

    @Produces
    @Singleton
    ToolExecutor executor(ToolsConfig cfg, SessionRegistry sessions, Sandbox sandbox, io.vertx.core.Vertx vertx,
            SandboxContext context) {
        ToolRegistry registry = new ToolRegistry();
        ToolExecutor executor = new ToolExecutor(registry, sessions, new DurableResultStore(
                SessionRegistry.defaultStateRoot(cfg.workspaceRoot()), cfg.idempotencyMaxPerSession()), cfg.defaultTimeout(), cfg.maxTimeout());
        EditSupport edits = new EditSupport(new FileStore(cfg.maxTextBytes()));
        GrepEngine grep = new GrepEngine(cfg.grepMaxFileBytes(), cfg.grepThreads().orElse(GrepEngine.defaultThreads()));
        registry.register(new ReadFileTool(cfg.readMaxChars()))
                .register(new WriteFileTool(edits))
                .register(new ListDirTool())
                .register(new GlobTool())
                .register(new GrepTool(grep))
                .register(new CodeSearchTool(grep))
                .register(new EditTool(edits))
                .register(new MultiEditTool(edits))
                .register(new ApplyPatchTool(edits))
                .register(new UndoTool(edits))
                .register(new ConfirmEditTool(edits))
                .register(new ConfirmMultiEditTool(edits))
                .register(new BashTool(sandbox, cfg.defaultTimeout(), cfg.maxTimeout(), cfg.outputCapBytes(), context))
                .register(new BatchTool(executor))
                .register(new ImageTool(cfg.imageMaxBytes()));
        var web = cfg.web();
        EgressPolicy egress = new EgressPolicy(web.enabled(), web.allowlist().orElse(List.of()),
                InetAddress::getAllByName);
        WebFetchTool fetch = new WebFetchTool(egress, new PinnedHttpFetcher(vertx), web.maxBytes(), web.timeout());
        registry.register(fetch).register(new WebSearchTool(fetch, web.searchUrl()));
        registry.register(new LspTool(sandbox, cfg.lsp().servers(), cfg.lsp().extraPath().orElse(List.of()),
                cfg.lsp().timeout(), new FileStore(cfg.maxTextBytes())));
        return executor;
    }

    void onStart(@Observes StartupEvent ev, ToolsConfig cfg, Sandbox sandbox) {
        if (!cfg.sandbox().enabled()) {
            LOG.error("!!!!!!!! SANDBOX DISABLED (codetether.tools.sandbox.enabled=false): bash and language servers"
                    + " run ON THE HOST with the host network and filesystem. Never run this way with untrusted"
                    + " models or users. !!!!!!!!");
        } else if (sandbox instanceof MissingBwrapSandbox) {
            LOG.errorf("bubblewrap not found (%s): bash and lsp calls will be refused. Install it with"
                    + " `apt-get install bubblewrap`.", cfg.sandbox().bwrapPath());
        } else {
            LOG.infof("tools sandbox: %s; workspaces under %s", sandbox.describe(), cfg.workspaceRoot());
            if (PidsCgroup.parent().isEmpty() && BwrapSandbox.runsAsRoot()) {
                LOG.warn("no writable pids cgroup and the service runs as root: the per-command process limit is not"
                        + " enforced (RLIMIT_NPROC does not bind root; a fork bomb is stopped only by the wall-clock"
                        + " limit). Run as a non-root user or give the service a writable pids cgroup.");
            } else if (PidsCgroup.parent().isEmpty()) {
                LOG.infof("no writable pids cgroup: the process limit (%d) is RLIMIT_NPROC inside each sandbox's own"
                        + " user namespace", cfg.sandbox().maxProcesses());
            }
        }
    }

    static Optional<Path> findExecutable(String name) {
        if (name.contains("/")) {
            Path p = Path.of(name);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin:/bin");
        for (String dir : path.split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
