package run.codetether.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import run.codetether.cli.a2a.A2aClient;
import run.codetether.cli.config.CliConfig;
import run.codetether.cli.tui.TuiApp;

/**
 * {@code codetether} and {@code codetether tui} with the plain options go straight to the TUI, without building the
 * picocli model (reflection over the command classes would delay the first frame) or loading any picocli class. Anything else, including
 * {@code --help} and any option it does not know, answers null and goes through the full command tree, which parses
 * the same options the same way.
 */
final class TuiFastPath {
    private TuiFastPath() {}

    /** The TUI's exit code, or null when this command line is not one for the fast path. */
    static Integer launch(String[] args) throws Exception {
        Integer code = tui(args);
        // the launcher keys its cached first frame on the command line, so this is rare (a project directory that
        // is gone since): the command tree's output must not land on the TUI's screen in raw mode
        if (code == null && System.getProperty("codetether.tui.frame-shown") != null) {
            run.codetether.cli.tui.FrameCache.withdraw();
        }
        return code;
    }

    private static Integer tui(String[] args) throws Exception {
        String url = null;
        String apiKey = System.getenv("CODETETHER_API_KEY");
        String model = null;
        String session = null;
        String project = null;
        String access = null;
        boolean noWorkspace = false;
        boolean worker = false;
        boolean tui = args.length == 0;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (a) {
                case "tui" -> {
                    if (tui) {
                        return null;
                    }
                    tui = true;
                }
                // global options (picocli's INHERIT scope): before or after "tui", as the full tree takes them
                case "--url" -> {
                    if (!hasValue) {
                        return null;
                    }
                    url = args[++i];
                }
                case "--api-key" -> {
                    if (!hasValue) {
                        return null;
                    }
                    apiKey = args[++i];
                }
                case "-m", "--model", "-s", "--session" -> {
                    if (!hasValue || !tui) {
                        return null;
                    }
                    if (a.endsWith("m") || a.endsWith("model")) {
                        model = args[++i];
                    } else {
                        session = args[++i];
                    }
                }
                case "--no-workspace" -> {
                    if (!tui) {
                        return null;
                    }
                    noWorkspace = true;
                }
                case "--worker" -> {
                    if (!tui || worker) {
                        return null;
                    }
                    worker = true;
                }
                case "--access" -> {
                    if (!hasValue || !tui) {
                        return null;
                    }
                    try {
                        access = run.codetether.contracts.approval.AccessMode.parse(args[++i]).wire();
                    } catch (IllegalArgumentException bad) {
                        return null; // the full tree refuses it with its usage message
                    }
                }
                default -> {
                    if (a.startsWith("-") || !tui || project != null || !Files.isDirectory(Path.of(a))) {
                        return null;
                    }
                    project = a;
                }
            }
        }
        if (!tui || !Tty.interactive() || worker && noWorkspace) {
            return null; // the tree says that --worker and --no-workspace contradict each other
        }
        // what TuiCommand.launch does, without CodetetherCli: loading it links picocli (whose Java 5 class files a
        // JDK 25 AOT cache cannot hold), which cost the first frame more than everything else before it
        Path dir = (project == null ? Path.of("") : Path.of(project)).toAbsolutePath().normalize();
        String gateway = GatewayUrl.resolve(url);
        String key = apiKey;
        return new TuiApp(CliConfig.defaultPath()).noWorkspace(noWorkspace).accessMode(access).worker(worker, key).run(() -> new A2aClient(URI.create(gateway), key), gateway, session,
                null, model, dir);
    }
}
