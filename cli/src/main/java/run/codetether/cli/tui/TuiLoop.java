package run.codetether.cli.tui;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jline.terminal.Attributes;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp;
import org.jline.utils.NonBlockingReader;
import run.codetether.cli.config.CliConfig;

/**
 * The TUI on its terminal: raw mode on the alternate screen, a reader thread that decodes keys, SIGWINCH, and one UI
 * thread that applies events and redraws through JLine's {@link Display} (which writes only the cells that changed,
 * so a stream never flickers). Many events that arrive together cost one redraw. config.toml is looked at on the
 * tick ({@link ConfigWatch}) and a change repaints with its theme.
 */
final class TuiLoop {
    private static final long TICK_NANOS = 100_000_000L;
    /** Start-up benchmarks: draw the first frame, then leave. */
    private static final boolean EXIT_AFTER_FIRST_FRAME = Boolean.getBoolean("codetether.tui.exit-after-first-frame")
            || "1".equals(System.getenv("CODETETHER_TUI_EXIT_AFTER_FIRST_FRAME"));

    private final LinkedBlockingQueue<Runnable> events;
    private final ScreenRenderer renderer;
    private final ConfigWatch config;

    /** @param events what the UI thread runs, in order (keys, answers, redraw requests) */
    TuiLoop(LinkedBlockingQueue<Runnable> events, ScreenRenderer renderer, ConfigWatch config) {
        this.events = events;
        this.renderer = renderer;
        this.config = config;
    }

    /**
     * Runs until the user quits; answers the exit code. {@code early}: {@link FirstFrame} drew the first frame and
     * entered the alternate screen already. {@code warmUp} runs after the first frame (not in a start-up
     * measurement).
     */
    int run(Terminal terminal, TuiController controller, TuiUpdates updates, String resumeContext, boolean early,
            Runnable warmUp) throws InterruptedException {
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
            TuiTrace.trace("raw mode");
            if (early) {
                // the Display starts from the top left corner; the early frame left the cursor in the input line.
                // It then writes every cell of the same frame again: nothing changes on the screen
                terminal.writer().write("\u001b[H");
            }
            draw(terminal, display, state);
            TuiTrace.trace("first frame");
            if (!early) {
                TuiTrace.firstFrame();
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
        CliConfig.Loaded loaded = config.changed(now);
        if (loaded != null && (loaded.config().hotReload() || loaded.problem() != null)) {
            updates.applyConfig(loaded, true);
            events.add(() -> { });
        }
    }
}
