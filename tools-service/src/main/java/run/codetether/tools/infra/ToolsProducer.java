package run.codetether.tools.infra;

import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;
import run.codetether.tools.config.ToolsConfig;
import run.codetether.tools.domain.DurableResultStore;
import run.codetether.tools.domain.ResultStore;
import run.codetether.tools.domain.StartMarkingResultStore;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.ToolExecutor;
import run.codetether.tools.domain.exec.Sandbox;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.net.EgressPolicy;
import run.codetether.tools.domain.tool.WebFetchTool;
import run.codetether.tools.kit.Sandboxes;
import run.codetether.tools.kit.ToolKit;
import io.micrometer.core.instrument.MeterRegistry;
import run.codetether.tools.infra.metrics.MeteredSandbox;
import run.codetether.tools.infra.sandbox.BwrapSandbox;
import run.codetether.tools.infra.sandbox.MissingBwrapSandbox;
import run.codetether.tools.infra.sandbox.PidsCgroup;
import run.codetether.tools.infra.sandbox.SandboxLimits;

/** Wires the plain-Java domain (tools, sessions, store) and the sandbox chosen by config. */
@ApplicationScoped
public class ToolsProducer {

    private static final Logger LOG = Logger.getLogger(ToolsProducer.class);

    @Produces
    @Singleton
    Sandbox sandbox(ToolsConfig cfg, MeterRegistry registry) {
        var s = cfg.sandbox();
        SandboxLimits limits = new SandboxLimits(s.cpuSeconds(), s.memoryBytes(), s.maxProcesses(),
                s.fileSizeBytes(), s.openFiles(), s.outputKillBytes());
        return new MeteredSandbox(Sandboxes.create(s.enabled(), s.bwrapPath(), cfg.workspaceRoot(), limits,
                s.cgroupPoolSize(), WorkspaceProducer.bridge(cfg)), registry);
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
        var web = cfg.web();
        EgressPolicy egress = new EgressPolicy(web.enabled(), web.allowlist().orElse(List.of()),
                InetAddress::getAllByName);
        WebFetchTool fetch = new WebFetchTool(egress, new PinnedHttpFetcher(vertx), web.maxBytes(), web.timeout());
        ToolKit.Limits limits = new ToolKit.Limits(cfg.defaultTimeout(), cfg.maxTimeout(), cfg.outputCapBytes(),
                cfg.maxTextBytes(), cfg.readMaxChars(), cfg.grepMaxFileBytes(),
                cfg.grepThreads().isPresent() ? Optional.of(cfg.grepThreads().getAsInt()) : Optional.empty(),
                cfg.imageMaxBytes(), cfg.lsp().servers(), cfg.lsp().extraPath().orElse(List.of()), cfg.lsp().timeout());
        // a mutating call cut off by a restart (kill -9, OOM kill) is answered INTERRUPTED on its repeat, never run a
        // second time: the agent retries under the same call id once tools-service is back (issue 19)
        Path state = SessionRegistry.defaultStateRoot(cfg.workspaceRoot());
        ResultStore store = new StartMarkingResultStore(new DurableResultStore(state, cfg.idempotencyMaxPerSession()),
                state.resolve(".started"), "tools-service");
        return ToolKit.executor(sessions, store, sandbox, context, limits,
                Optional.of(new ToolKit.Web(fetch, web.searchUrl())));
    }

    void onStart(@Observes StartupEvent ev, ToolsConfig cfg, Sandbox sandbox) {
        if (!cfg.sandbox().enabled()) {
            LOG.error("!!!!!!!! SANDBOX DISABLED (codetether.tools.sandbox.enabled=false): bash and language servers"
                    + " run ON THE HOST with the host network and filesystem. Never run this way with untrusted"
                    + " models or users. !!!!!!!!");
        } else if (MeteredSandbox.unwrap(sandbox) instanceof MissingBwrapSandbox) {
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

}
