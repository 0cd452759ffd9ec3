package run.codetether.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Display;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.command.RunFastPath;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.render.Ansi;
import run.codetether.cli.render.RunPrinter;
import run.codetether.cli.tui.Key;
import run.codetether.cli.tui.ScreenRenderer;
import run.codetether.cli.tui.TuiActions;
import run.codetether.cli.tui.TuiController;
import run.codetether.cli.tui.TuiState;
import run.codetether.cli.tui.TuiUpdates;
import run.codetether.cli.turn.Turn;
import run.codetether.platform.json.Json;

/**
 * The training runs behind the launcher's AOT caches ({@code -XX:AOTCacheOutput}, JDK 25), one per start-up path.
 * A JDK 25 AOT cache loads and links every class it holds when the JVM starts, so one cache trained on every command
 * made {@code --version} load the TUI, Jackson and the HTTP stack too (measured: 4,043 classes against 1,442
 * without it, and more CPU than no cache at all). Each path therefore gets its own cache, trained on what that path
 * loads and no more:
 * <ul>
 *   <li>{@code version}: {@code --version} as {@link Main} answers it;</li>
 *   <li>{@code run}: the real {@code run} command through its fast path ({@link RunFastPath}) against a loopback stand-in for the gateway (one
 *       streamed task with a tool call, text and usage), once as in a script and once as on a terminal;</li>
 *   <li>{@code tui}: the TUI's own path to its first frame when the launcher could give the training a
 *       pseudo-terminal, else frames on an offscreen terminal; the gateway client, built after the first frame, is
 *       left out;</li>
 *   <li>{@code all}: everything else (the command tree, help, a streamed run's rendering, the TUI, the client).</li>
 * </ul>
 * Writes nothing outside a temporary directory and talks to nothing but 127.0.0.1.
 */
final class AotTraining {
    /** The hidden command the launcher runs: {@code __aot-train PROFILE}. */
    static final String COMMAND = "__aot-train";
    static final String ALL = "all";

    private AotTraining() {}

    static void run(String profile) throws Exception {
        Path tmp = Files.createTempDirectory("codetether-aot");
        // a training run never touches the user's sessions or config
        System.setProperty("codetether.sessions-file", tmp.resolve("sessions.json").toString());
        System.setProperty("codetether.config", tmp.resolve("config.toml").toString());
        Files.writeString(tmp.resolve("config.toml"), "[default]\nprovider = \"local\"\nmodel = \"m\"\n[ui]\ntheme = \"marketing\"\n");
        try {
            switch (profile) {
                case "version" -> Main.main(new String[] {"--version"});
                case "run" -> runCommand();
                case "tui" -> {
                    if (Tty.interactive()) {
                        // the launcher runs this in a pseudo-terminal (script(1)) where it can: the real path to the
                        // first frame, JLine's system terminal included, and nothing else (an offscreen terminal
                        // would bring JLine's FFM provider and Jackson into the cache: loaded by every start)
                        System.setProperty("codetether.tui.exit-after-first-frame", "true");
                        TuiFastPath.launch(new String[] {"tui", "--url", "http://127.0.0.1:9/"});
                    } else {
                        CliConfig.loadOrDefaults(CliConfig.defaultPath());
                        tui(null);
                    }
                }
                default -> all();
            }
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** {@code codetether --url URL run --no-workspace hi} as a script and as a terminal run it, against a loopback gateway. */
    private static void runCommand() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 4, InetAddress.getLoopbackAddress())) {
            Thread.ofPlatform().daemon().name("aot-gateway").start(() -> serve(server));
            String url = "http://127.0.0.1:" + server.getLocalPort() + "/";
            for (String tty : List.of("false", "true")) {
                System.setProperty("codetether.tty", tty);
                // --no-workspace: the training runs wherever the user first ran `run`, perhaps in a large checkout
                String[] args = {"--url", url, "run", "--no-workspace", "hi"};
                if (TuiFastPath.launch(args) != null) {
                    throw new IllegalStateException("run took the TUI's path");
                }
                if (RunFastPath.launch(args) == null) {
                    throw new IllegalStateException("run did not take its fast path (RunFastPath)");
                }
            }
        }
    }

    /** Answers each request with one streamed task, chunked as the gateway sends it; then closes the connection. */
    private static void serve(ServerSocket server) {
        String[] events = {
            "{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\"}}}",
            "{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\"},\"metadata\":{\"tool\":\"bash\",\"callId\":\"x\",\"arguments\":{\"command\":\"ls\"}}}}",
            "{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_WORKING\",\"message\":{\"parts\":[{\"text\":\"Done.\"}]}},\"metadata\":{\"partial\":true,\"step\":2}}}",
            "{\"statusUpdate\":{\"taskId\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\",\"message\":{\"parts\":[{\"text\":\"Done.\"}]}},\"metadata\":{\"usage\":{\"tokens_in\":1,\"tokens_out\":2,\"cost_usd\":0.1,\"priced\":true}}}}"};
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                var in = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                int length = 0;
                for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).trim());
                    }
                }
                in.skip(length);
                OutputStream out = s.getOutputStream();
                out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                for (String e : events) {
                    byte[] chunk = ("data: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + e + "}\n\n").getBytes(StandardCharsets.UTF_8);
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException | RuntimeException e) {
                // the training run ended, or a client went away: nothing to serve
            }
        }
    }

    /** The whole tree: what a command not trained on its own path may load. */
    private static void all() throws Exception {
        StringWriter sink = new StringWriter();
        picocli.CommandLine cli = CodetetherCli.commandLine();
        cli.setOut(new PrintWriter(sink));
        cli.setErr(new PrintWriter(sink));
        cli.execute("--help");
        cli.execute("run", "--help");
        cli.execute("--version");
        CliConfig.loadOrDefaults(CliConfig.defaultPath());
        Turn turn = new Turn(System.nanoTime());
        RunPrinter printer = new RunPrinter(new PrintWriter(sink), new Ansi(true), true);
        for (String e : List.of(
                "{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}",
                "{\"statusUpdate\":{\"taskId\":\"t\",\"status\":{\"state\":\"TASK_STATE_WORKING\"},\"metadata\":{\"tool\":\"bash\",\"callId\":\"x\"}}}",
                "{\"statusUpdate\":{\"taskId\":\"t\",\"status\":{\"state\":\"TASK_STATE_WORKING\",\"message\":{\"parts\":[{\"text\":\"# Hi\\n```java\\nint a = 1;\\n```\"}]}},\"metadata\":{\"partial\":true,\"step\":2}}}",
                "{\"statusUpdate\":{\"taskId\":\"t\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"},\"metadata\":{\"usage\":{\"tokens_in\":1,\"tokens_out\":2,\"cost_usd\":0.1,\"priced\":true}}}}")) {
            turn.apply(Json.mapper().readTree(e), System.nanoTime());
            printer.sync(turn, System.nanoTime());
        }
        printer.finish(turn, System.nanoTime());
        new Outgoing("hi").context("c").model("local", "m").params().toString();
        tui(turn);
        try {
            new A2aClient(URI.create("http://127.0.0.1:1/"), null).getJson("v1/models");
        } catch (Exception expected) {
            // no gateway here: only the client's classes were wanted
        }
    }

    /** The TUI's first frames; with a turn also an event applied (which needs Jackson: not on the TUI's own path). */
    private static void tui(Turn turn) throws Exception {
        if (!Tty.interactive()) {
            // no terminal here: at least the JNI provider's classes (JLine falls back to a dumb terminal); JNI only,
            // since FFM's classes in the cache would be loaded by every start
            try (Terminal system = TerminalBuilder.builder().system(true).dumb(true).providers("jni").build()) {
                system.getSize();
            } catch (Exception | LinkageError e) {
                // nothing to train on this machine
            }
        }
        TuiState state = new TuiState();
        TuiActions actions = new TuiActions() {
            @Override public void send(Outgoing message, Turn t, Path workspace, String skill) { }
            @Override public void loadChanges(String taskId, Path root) { }
            @Override public void applyChange(run.codetether.cli.tui.ChangeOffer offer, byte[] previous) { }
            @Override public void cancel(String taskId) { }
            @Override public void loadModels() { }
            @Override public void loadSessions() { }
            @Override public void loadTranscript(String contextId) { }
            @Override public void remember(String contextId, String firstText, String model, String taskId) { }
        };
        TuiController c = new TuiController(state, actions, Path.of("."));
        TuiUpdates updates = new TuiUpdates(state, actions, Path.of("."));
        ScreenRenderer renderer = new ScreenRenderer();
        try (Terminal t = TerminalBuilder.builder().system(false).type("xterm-256color")
                .streams(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream()).size(new org.jline.terminal.Size(80, 24))
                .build()) {
            Display display = new Display(t, true);
            display.resize(24, 80);
            long now = System.nanoTime();
            display.update(renderer.render(state, 80, 24, now).lines(), 0);
            for (String k : List.of("h", "i", "?", "Esc", "C-b", "F2", "Esc", "C-m", "Esc")) {
                c.onKey(Key.of(k), now);
                display.update(renderer.render(state, 80, 24, now).lines(), 0);
            }
            if (turn != null) {
                updates.onEvent(turn, Json.mapper().readTree("{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"), now);
            }
            display.update(renderer.render(state, 100, 30, now).lines(), 0);
        }
    }
}
