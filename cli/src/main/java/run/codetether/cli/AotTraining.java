package run.codetether.cli;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.Display;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.a2a.Outgoing;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.render.Ansi;
import run.codetether.cli.render.RunPrinter;
import run.codetether.cli.tui.Key;
import run.codetether.cli.tui.ScreenRenderer;
import run.codetether.cli.tui.TuiActions;
import run.codetether.cli.tui.TuiController;
import run.codetether.cli.tui.TuiState;
import run.codetether.cli.turn.Turn;

/**
 * The training run behind the launcher's AOT cache ({@code -XX:AOTCacheOutput}, JDK 25): walks the start-up paths
 * of the common commands (the command tree, a streamed run, config, the TUI's first frames on an offscreen
 * terminal, the HTTP client against a closed loopback port) so their classes are loaded and linked ahead of time.
 * Talks to nothing but 127.0.0.1.
 */
final class AotTraining {
    private AotTraining() {}

    static void run() throws Exception {
        StringWriter sink = new StringWriter();
        picocli.CommandLine cli = CodetetherCli.commandLine();
        cli.setOut(new PrintWriter(sink));
        cli.setErr(new PrintWriter(sink));
        cli.execute("--help");
        cli.execute("run", "--help");
        cli.execute("--version");
        Path tmp = Files.createTempDirectory("codetether-aot");
        try {
            Path config = tmp.resolve("config.toml");
            Files.writeString(config, "[default]\nprovider = \"local\"\nmodel = \"m\"\n[ui]\ntheme = \"marketing\"\n");
            CliConfig.loadOrDefaults(config);
            Turn turn = new Turn(System.nanoTime());
            RunPrinter printer = new RunPrinter(new PrintWriter(sink), new Ansi(true), true);
            for (String e : List.of(
                    "{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_SUBMITTED\"}}}",
                    "{\"statusUpdate\":{\"taskId\":\"t\",\"status\":{\"state\":\"TASK_STATE_WORKING\"},\"metadata\":{\"tool\":\"bash\",\"callId\":\"x\"}}}",
                    "{\"statusUpdate\":{\"taskId\":\"t\",\"status\":{\"state\":\"TASK_STATE_WORKING\",\"message\":{\"parts\":[{\"text\":\"# Hi\\n```java\\nint a = 1;\\n```\"}]}},\"metadata\":{\"partial\":true,\"step\":2}}}",
                    "{\"statusUpdate\":{\"taskId\":\"t\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"},\"metadata\":{\"usage\":{\"tokens_in\":1,\"tokens_out\":2,\"cost_usd\":0.1,\"priced\":true}}}}")) {
                turn.apply(A2aClient.JSON.readTree(e), System.nanoTime());
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
        } finally {
            try (var files = Files.walk(tmp)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void tui(Turn turn) throws Exception {
        // the system terminal's provider classes (the training run has no terminal: JLine falls back to a dumb one)
        try (Terminal system = TerminalBuilder.builder().system(true).dumb(true)
                .providers(System.getProperty(TerminalBuilder.PROP_PROVIDERS, "jni,ffm,exec")).build()) {
            system.getSize();
        } catch (Exception | LinkageError e) {
            // nothing to train on this machine
        }
        TuiState state = new TuiState();
        TuiController c = new TuiController(state, new TuiActions() {
            @Override public void send(Outgoing message, Turn t) { }
            @Override public void cancel(String taskId) { }
            @Override public void loadModels() { }
            @Override public void loadSessions() { }
            @Override public void loadTranscript(String contextId) { }
            @Override public void remember(String contextId, String firstText, String model, String taskId) { }
        }, Path.of("."));
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
            c.onEvent(turn, A2aClient.JSON.readTree("{\"task\":{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"TASK_STATE_COMPLETED\"}}}"), now);
            display.update(renderer.render(state, 100, 30, now).lines(), 0);
        }
    }
}
