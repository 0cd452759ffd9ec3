package run.codetether.cli.tui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.session.SessionIndex;

/**
 * The TUI's terminal side: raw mode on the alternate screen, a reader thread that decodes keys, SIGWINCH, and one
 * UI thread that applies events and redraws through JLine's {@link Display} (which writes only the cells that
 * changed, so a stream never flickers). Many events that arrive together cost one redraw. config.toml is watched
 * (by modification time, so editors that replace the file are seen too) and a change repaints with its theme.
 */
public final class TuiApp {
    private static final long TICK_NANOS = 100_000_000L;
    /** Start-up benchmarks: draw the first frame, then leave. */
    private static final boolean EXIT_AFTER_FIRST_FRAME = Boolean.getBoolean("codetether.tui.exit-after-first-frame")
            || "1".equals(System.getenv("CODETETHER_TUI_EXIT_AFTER_FIRST_FRAME"));

    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final ScreenRenderer renderer = new ScreenRenderer();
    private final Path configPath;
    private FileTime configStamp;
    private long configSize = -1;
    private long lastConfigCheck;
    private Runnable warmUp = () -> { };
    private boolean noWorkspace;
    private String accessMode;
    private boolean startWorker;
    private String apiKey;
    private final java.util.concurrent.atomic.AtomicReference<run.codetether.cli.worker.LocalWorker> worker =
            new java.util.concurrent.atomic.AtomicReference<>();

    public TuiApp(Path configPath) {
        this.configPath = configPath;
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
        trace("controller");
        state.workspaceOff = noWorkspace;
        if (accessMode != null) {
            state.accessMode = accessMode;
            state.accessFromFlag = true;
        }
        updates.applyConfig(CliConfig.loadOrDefaults(configPath), false);
        trace("config");
        stamp();
        if (model != null) {
            int slash = model.indexOf('/');
            state.provider = slash > 0 ? model.substring(0, slash) : provider;
            state.model = slash > 0 ? model.substring(slash + 1) : model;
        }
        boolean early = FirstFrame.draw(state, renderer, configPath);
        if (early) {
            trace("early frame");
            traceFirstFrame();
        }
        terminalStartup();
        Terminal built;
        try {
            built = systemTerminal();
        } catch (IOException | RuntimeException | Error e) {
            if (early) { // back to the normal screen and mode, so the error is seen
                FirstFrame.restore();
                System.out.print("\u001b[?1049l");
                System.out.flush();
            }
            throw e;
        }
        try (Terminal terminal = built) {
            trace("terminal");
            Integer colors = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
            Theme.terminalColors(colors == null ? 0 : colors);
            if (early) {
                FirstFrame.handOver(terminal);
            }
            return loop(terminal, controller, updates, resumeContext, early);
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

    /**
     * JLine's system terminal through its JNI provider alone, then FFM, then {@code stty}. JNI was measured cheaper to
     * start than FFM (no method handles to spin up). {@code providers("jni")} alone only orders the providers: JLine
     * still instantiates every provider whose flag is not off, and the FFM provider's constructor sets up the
     * foreign-function linker (downcall stubs, lambda forms spun at run time): measured as most of the TUI's CPU
     * before its first frame. So the providers not asked for are switched off. {@code
     * -Dorg.jline.terminal.providers} overrides (JLine's own rules then).
     */
    private static Terminal systemTerminal() throws IOException {
        String chosen = System.getProperty(TerminalBuilder.PROP_PROVIDERS);
        if (chosen != null) {
            return base().providers(chosen).build();
        }
        try {
            return only(base(), "jni").dumb(false).build();
        } catch (IOException | RuntimeException | LinkageError noJni) {
            return only(base(), "ffm,exec").build();
        }
    }

    private static TerminalBuilder base() {
        // box drawing and spinners need UTF-8; without it JLine falls back to the VT100 line-drawing set
        TerminalBuilder builder = TerminalBuilder.builder().system(true).name("codetether")
                .encoding(java.nio.charset.StandardCharsets.UTF_8);
        return noProbes() ? builder.graphemeCluster(false) : builder;
    }

    /**
     * Whether JLine's terminal is built without its feature probes. JLine 4 probes (kitty keys, DECRQM for every mode it
     * knows, DA1, then the cursor position) only to decide on grapheme-cluster mode 2027: one or more round trips to
     * the terminal before the first frame (over ssh, network round trips), and it reads the answers from the
     * terminal's input, so keys typed meanwhile are consumed with them (which is why the early {@link FirstFrame} needs
     * it off). The price: on the few terminals that support mode 2027 the TUI no longer switches it on, so emoji made
     * of several code points (ZWJ sequences, flags) are placed by JLine's {@code Display} per code point, as on every
     * terminal without that mode (tmux, xterm, ...), while the renderer's {@code columnLength()} counts them as one
     * cluster: such a line can be cut or padded by a column or two, as it already was on those terminals.
     * {@code CODETETHER_TUI_PROBE=1} brings the probes back (and no early frame); {@code
     * -Dorg.jline.terminal.graphemeCluster=true|false} decides without probing (JLine's own rule).
     */
    static boolean noProbes() {
        return System.getProperty(TerminalBuilder.PROP_GRAPHEME_CLUSTER) == null
                && !"1".equals(System.getenv("CODETETHER_TUI_PROBE"));
    }

    /** The builder with exactly {@code providers} (comma-separated, in order) enabled. */
    static TerminalBuilder only(TerminalBuilder builder, String providers) {
        List<String> names = List.of(providers.split(","));
        return builder.providers(providers).jni(names.contains("jni")).ffm(names.contains("ffm"))
                .exec(names.contains("exec"));
    }

    /**
     * Two start-up costs of JLine 4 that a TUI does not need to pay: it runs {@code infocmp} (a process) for the
     * terminal type even when it ships that type's capabilities (xterm, xterm-256color, screen, screen-256color, ...),
     * so those are taken from JLine itself; and its feature probes (DECRQM, DA1, cursor position), when asked for
     * ({@link #noProbes()}), wait up to the probe timeout where nothing answers, so that is capped (a real terminal,
     * tmux or ssh answers within a round trip).
     */
    private static void terminalStartup() {
        String type = System.getenv("TERM");
        if (type != null && org.jline.utils.InfoCmp.getLoadedInfoCmp(type) == null) {
            String bundled = org.jline.utils.InfoCmp.getDefaultInfoCmp(type);
            if (bundled != null) {
                org.jline.utils.InfoCmp.setLoadedInfoCmp(type, bundled);
            }
        }
        if (System.getProperty("org.jline.terminal.probe.timeout") == null) {
            System.setProperty("org.jline.terminal.probe.timeout", "250");
        }
    }

    /** {@code early}: {@link FirstFrame} drew the first frame and entered the alternate screen already. */
    private int loop(Terminal terminal, TuiController controller, TuiUpdates updates, String resumeContext,
            boolean early) throws InterruptedException {
        TuiState state = controller.state();
        Attributes saved = terminal.enterRawMode();
        // Ctrl+C, Ctrl+Z and Ctrl+\ arrive as keys, not signals: Ctrl+C cancels the task, a second one quits
        Attributes raw = terminal.getAttributes();
        raw.setLocalFlag(Attributes.LocalFlag.ISIG, false);
        terminal.setAttributes(raw);
        if (!early) {
            terminal.puts(InfoCmp.Capability.enter_ca_mode);
        }
        terminal.puts(InfoCmp.Capability.keypad_xmit);
        // ask for keys a plain terminal cannot tell apart (Ctrl+M vs Enter): xterm modifyOtherKeys, kitty flags
        terminal.writer().write("\u001b[>4;1m\u001b[>1u");
        terminal.flush();
        Display display = new Display(terminal, true);
        Size size = terminal.getSize();
        display.resize(size.getRows(), size.getColumns());
        terminal.handle(Terminal.Signal.WINCH, sig -> events.add(() -> { }));
        Thread reader = Thread.ofPlatform().daemon().name("tui-keys").start(() -> readKeys(terminal, controller));
        try {
            trace("raw mode");
            if (early) {
                // the Display starts from the top left corner; the early frame left the cursor in the input line.
                // It then writes every cell of the same frame again: nothing changes on the screen
                terminal.writer().write("\u001b[H");
            }
            draw(terminal, display, state);
            trace("first frame");
            if (!early) {
                traceFirstFrame();
            }
            NativeLibrary.keep();
            if (!EXIT_AFTER_FIRST_FRAME) { // a start-up measurement or training run stops at the frame
                warmUp.run();
            }
            if (resumeContext != null) {
                events.add(() -> controller.onKey(Key.of("Esc"), System.nanoTime()));
                events.add(() -> {
                    state.input.clear();
                    state.input.insert("/resume " + resumeContext);
                    controller.onKey(Key.of("Enter"), System.nanoTime());
                });
            }
            long lastTick = System.nanoTime();
            while (!state.quit()) {
                Runnable first = events.poll(TICK_NANOS, TimeUnit.NANOSECONDS);
                if (first != null) {
                    first.run();
                }
                for (Runnable next; (next = events.poll()) != null; ) {
                    next.run();
                }
                long now = System.nanoTime();
                boolean tick = now - lastTick >= TICK_NANOS;
                if (tick) {
                    lastTick = now;
                    checkConfig(updates, now);
                }
                if (first != null || tick && animating(state)) {
                    draw(terminal, display, state);
                }
                if (EXIT_AFTER_FIRST_FRAME) {
                    break;
                }
            }
        } finally {
            reader.interrupt();
            terminal.writer().write("\u001b[<u\u001b[>4;0m");
            terminal.puts(InfoCmp.Capability.keypad_local);
            terminal.puts(InfoCmp.Capability.exit_ca_mode);
            terminal.setAttributes(saved);
            terminal.flush();
        }
        return 0;
    }

    private boolean animating(TuiState state) {
        return state.running() != null && !state.running().ended() && !state.running().waiting() || !state.notice.isEmpty();
    }

    private void draw(Terminal terminal, Display display, TuiState state) {
        Size size = terminal.getSize();
        int rows = Math.max(1, size.getRows());
        int cols = Math.max(1, size.getColumns());
        if (display.getRows() != rows || display.getColumns() != cols) {
            display.resize(rows, cols);
            display.clear();
        }
        long now = System.nanoTime();
        if (!state.notice.isEmpty() && now - state.noticeAt > 5_000_000_000L && state.noticeAt != 0) {
            state.notice = "";
        }
        ScreenRenderer.Frame frame = renderer.render(state, cols, rows, now);
        List<org.jline.utils.AttributedString> lines = frame.lines();
        display.update(lines, size.cursorPos(frame.cursorRow(), frame.cursorCol()));
        terminal.flush();
    }

    private void readKeys(Terminal terminal, TuiController controller) {
        KeyDecoder decoder = new KeyDecoder();
        NonBlockingReader in = terminal.reader();
        try {
            while (!Thread.currentThread().isInterrupted()) {
                int c = in.read(decoder.hasPending() ? 40 : 500);
                if (c == NonBlockingReader.READ_EXPIRED) {
                    post(controller, decoder.flush());
                    continue;
                }
                if (c < 0) {
                    events.add(() -> controller.state().quit = true);
                    return;
                }
                post(controller, decoder.feed((char) c));
            }
        } catch (IOException e) {
            events.add(() -> controller.state().quit = true);
        }
    }

    private void post(TuiController controller, List<Key> keys) {
        if (!keys.isEmpty()) {
            events.add(() -> keys.forEach(k -> controller.onKey(k, System.nanoTime())));
        }
    }

    private void checkConfig(TuiUpdates updates, long now) {
        if (now - lastConfigCheck < 400_000_000L) {
            return;
        }
        lastConfigCheck = now;
        FileTime before = configStamp;
        long sizeBefore = configSize;
        stamp();
        if (!java.util.Objects.equals(before, configStamp) || sizeBefore != configSize) {
            CliConfig.Loaded loaded = CliConfig.loadOrDefaults(configPath);
            if (loaded.config().hotReload() || loaded.problem() != null) {
                updates.applyConfig(loaded, true);
                events.add(() -> { });
            }
        }
    }

    private void stamp() {
        try {
            configStamp = Files.getLastModifiedTime(configPath);
            configSize = Files.size(configPath);
        } catch (IOException missing) {
            configStamp = null;
            configSize = -1;
        }
    }

    private static final String TRACE = System.getenv("CODETETHER_TUI_TRACE");

    /** {@code CODETETHER_TUI_TRACE=file}: start-up phases, in ms since main began. */
    private static void trace(String phase) {
        run.codetether.cli.StartupTrace.mark("tui " + phase);
        if (TRACE == null || TRACE.isBlank()) {
            return;
        }
        try {
            Files.writeString(Path.of(TRACE), String.format("%-12s %6.1f ms%n", phase,
                    (System.nanoTime() - run.codetether.cli.Main.STARTED) / 1e6),
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // tracing is best effort
        }
    }

    /** {@code CODETETHER_TUI_TRACE=file}: appends when the first frame was on screen (the start-up benchmark). */
    private static void traceFirstFrame() {
        String file = System.getenv("CODETETHER_TUI_TRACE");
        if (file == null || file.isBlank()) {
            return;
        }
        try {
            long start = ProcessHandle.current().info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
            Files.writeString(Path.of(file), "first_frame_ms=" + (System.currentTimeMillis() - start) + "\n",
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // tracing is best effort
        }
    }
}
