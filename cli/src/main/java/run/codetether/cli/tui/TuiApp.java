package run.codetether.cli.tui;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.LinkedBlockingQueue;
import org.jline.terminal.Terminal;
import org.jline.utils.InfoCmp;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.session.SessionIndex;

/**
 * The TUI: wires its state, controller and updates to the gateway's actions, draws the first frame (early, before
 * JLine, when it can: {@link FirstFrame}), builds the terminal ({@link TerminalSetup}) and runs the {@link TuiLoop}
 * on it. The gateway client and the workspace's mode are set up on other threads after the first frame; a worker it
 * started ({@code --worker}) stops when it quits.
 */
public final class TuiApp {
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final ScreenRenderer renderer = new ScreenRenderer();
    private final Path configPath;
    private final ConfigWatch configWatch;
    private Runnable warmUp = () -> { };
    private boolean noWorkspace;
    private String accessMode;
    private boolean startWorker;
    private String apiKey;
    private final java.util.concurrent.atomic.AtomicReference<run.codetether.cli.worker.LocalWorker> worker =
            new java.util.concurrent.atomic.AtomicReference<>();

    public TuiApp(Path configPath) {
        this.configPath = configPath;
        this.configWatch = new ConfigWatch(configPath);
    }

    /** {@code --no-workspace}: the tasks carry no workspace, even inside a git checkout. */
    public TuiApp noWorkspace(boolean none) {
        this.noWorkspace = none;
        return this;
    }

    /** {@code --access full|approve|ask}: sent with every task, over config.toml's {@code [agent] access_mode}. */
    public TuiApp accessMode(String mode) {
        this.accessMode = mode;
        return this;
    }

    /**
     * {@code --worker}: when no worker serves the directory, start one for it (a child process, stopped when the TUI
     * quits), so tasks run in place; {@code apiKey} goes to it in its environment.
     */
    public TuiApp worker(boolean start, String key) {
        this.startWorker = start;
        this.apiKey = key;
        return this;
    }

    /** Runs until the user quits; answers the exit code. */
    public int run(java.util.function.Supplier<A2aClient> clientFactory, String gateway, String resumeContext,
            String provider, String model, Path workdir) throws IOException, InterruptedException {
        // the client (Jackson, the HTTP stack) is built after the first frame, on another thread
        java.util.concurrent.CompletableFuture<A2aClient> clientReady = new java.util.concurrent.CompletableFuture<>();
        java.util.function.Supplier<A2aClient> client = () -> {
            try {
                return clientReady.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while setting up the gateway client", e);
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("could not set up the gateway client: " + e.getCause(), e.getCause());
            }
        };
        java.util.concurrent.CompletableFuture<WorkspaceMode> modeReady = new java.util.concurrent.CompletableFuture<>();
        TuiState state = new TuiState();
        state.gateway = gateway;
        state.directory = workdir.toString();
        TuiUpdates[] holder = new TuiUpdates[1]; // the actions answer into the updates, which ask the actions
        warmUp = () -> {
            Thread.ofPlatform().daemon().name("client-init").start(() -> {
                try {
                    clientReady.complete(clientFactory.get());
                } catch (RuntimeException | Error e) {
                    clientReady.completeExceptionally(e);
                }
            });
            String access = state.accessMode;
            Thread.ofVirtual().name("workspace-mode").start(() -> detect(client, workdir, access, modeReady, holder[0]));
        };
        SessionIndex index = new SessionIndex(SessionIndex.defaultPath());
        TuiActions actions = new LazyActions(() -> new GatewayActions(client.get(), events::add, holder[0], index,
                workdir.toString(), gateway, modeReady));
        TuiUpdates updates = new TuiUpdates(state, actions, workdir);
        holder[0] = updates;
        TuiController controller = new TuiController(state, actions, workdir);
        TuiTrace.trace("controller");
        state.workspaceOff = noWorkspace;
        if (accessMode != null) {
            state.accessMode = accessMode;
            state.accessFromFlag = true;
        }
        updates.applyConfig(CliConfig.loadOrDefaults(configPath), false);
        TuiTrace.trace("config");
        configWatch.stamp();
        if (model != null) {
            int slash = model.indexOf('/');
            state.provider = slash > 0 ? model.substring(0, slash) : provider;
            state.model = slash > 0 ? model.substring(slash + 1) : model;
        }
        boolean early = FirstFrame.draw(state, renderer, configPath);
        if (early) {
            TuiTrace.trace("early frame");
            TuiTrace.firstFrame();
        }
        TerminalSetup.terminalStartup();
        Terminal built;
        try {
            built = TerminalSetup.systemTerminal();
        } catch (IOException | RuntimeException | Error e) {
            if (early) { // back to the normal screen and mode, so the error is seen
                FirstFrame.restore();
                System.out.print("\u001b[?1049l");
                System.out.flush();
            }
            throw e;
        }
        try (Terminal terminal = built) {
            TuiTrace.trace("terminal");
            Integer colors = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
            Theme.terminalColors(colors == null ? 0 : colors);
            if (early) {
                FirstFrame.handOver(terminal);
            }
            return new TuiLoop(events, renderer, configWatch).run(terminal, controller, updates, resumeContext, early,
                    warmUp);
        } finally {
            FirstFrame.restore();
            stopWorker();
        }
    }

    private void detect(java.util.function.Supplier<A2aClient> client, Path workdir, String access,
            java.util.concurrent.CompletableFuture<WorkspaceMode> modeReady, TuiUpdates updates) {
        WorkspaceDetector.Detected d;
        try {
            d = WorkspaceDetector.detect(client.get(), workdir, noWorkspace, startWorker, access, apiKey, System.getenv());
        } catch (RuntimeException e) {
            d = new WorkspaceDetector.Detected(new WorkspaceMode.None(TuiText.describe(e)), null, null);
        }
        run.codetether.cli.worker.LocalWorker started = d.started();
        String note = null;
        if (started != null) {
            worker.set(started);
            Runtime.getRuntime().addShutdownHook(new Thread(this::stopWorker, "tui-worker-stop"));
            note = "worker started for " + workdir + " (codebase " + started.served().codebase() + ", log "
                    + started.log() + "): tasks run there and their edits land in place; it stops when the TUI quits";
        }
        WorkspaceDetector.Detected found = d;
        String startedNote = note;
        modeReady.complete(found.mode());
        events.add(() -> updates.onWorkspaceMode(found.mode(), found.problem(), startedNote));
    }

    /** The worker this TUI started, stopped (SIGTERM: it deregisters). */
    private void stopWorker() {
        run.codetether.cli.worker.LocalWorker w = worker.getAndSet(null);
        if (w != null) {
            w.close();
        }
    }
}
