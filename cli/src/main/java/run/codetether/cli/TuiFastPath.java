package run.codetether.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import run.codetether.cli.command.TuiCommand;

/**
 * {@code codetether} and {@code codetether tui} with the plain options go straight to the TUI, without building the
 * picocli model (reflection over the command classes would delay the first frame). Anything else, including
 * {@code --help} and any option it does not know, answers null and goes through the full command tree, which parses
 * the same options the same way.
 */
final class TuiFastPath {
    private TuiFastPath() {}

    /** The TUI's exit code, or null when this command line is not one for the fast path. */
    static Integer launch(String[] args) throws Exception {
        String url = null;
        String apiKey = System.getenv("CODETETHER_API_KEY");
        String model = null;
        String session = null;
        String project = null;
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
                case "--url" -> {
                    if (!hasValue || tui) {
                        return null;
                    }
                    url = args[++i];
                }
                case "--api-key" -> {
                    if (!hasValue || tui) {
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
                default -> {
                    if (a.startsWith("-") || !tui || project != null || !Files.isDirectory(Path.of(a))) {
                        return null;
                    }
                    project = a;
                }
            }
        }
        if (!tui || !Tty.interactive()) {
            return null;
        }
        CodetetherCli root = new CodetetherCli();
        root.set(url, apiKey);
        root.streams(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        return new TuiCommand().launch(root, session, model, project == null ? null : Path.of(project));
    }
}
