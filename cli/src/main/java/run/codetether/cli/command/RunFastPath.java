package run.codetether.cli.command;

import java.io.BufferedWriter;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import run.codetether.cli.GlobalOptions;
import run.codetether.cli.FailureReport;
import run.codetether.cli.GatewayUrl;
import run.codetether.cli.a2a.A2aClient;

/**
 * {@code codetether run "prompt"} (and {@code send}) with its everyday options, without picocli: building picocli's
 * model for the root and {@code run} loaded some 170 picocli classes that a JDK 25 AOT cache cannot hold (picocli's
 * class files are Java 5), about 40 % of {@code run}'s CPU before its first request. It accepts a strict subset of
 * what the picocli tree accepts and parses it the same way; anything else ({@code --help}, {@code --file}, {@code
 * --workspace DIR}, {@code --apply}, {@code --opt=value}, {@code --}, an {@code @argument-file}, a repeated option, an
 * option value that looks like an option, an unknown option) answers null and goes through the tree, which gives
 * the usual help and errors. The command itself is {@link RunCommand}'s, and failures are reported as the tree's
 * {@code Failures} reports them.
 */
public final class RunFastPath {
    private static final Set<String> COMMANDS = Set.of("run", "send");

    private RunFastPath() {}

    /** The command's exit code, or null when this command line is not one for the fast path. */
    public static Integer launch(String[] args) {
        return launch(args, null, null);
    }

    /** As {@link #launch(String[])}, writing to {@code out} and {@code err} (null: standard output and error). */
    static Integer launch(String[] args, PrintWriter out, PrintWriter err) {
        Globals globals = new Globals();
        globals.out = out;
        globals.err = err;
        RunCommand run = parse(args, globals);
        if (run == null) {
            return null;
        }
        try {
            return run.execute(globals);
        } catch (Exception e) {
            return FailureReport.report(e, globals.err(), globals::gatewayUrl);
        } finally {
            globals.out().flush();
            globals.err().flush();
        }
    }

    /** The command with its options set as picocli would set them, or null when the tree must parse these args. */
    static RunCommand parse(String[] args, Globals globals) {
        RunCommand run = null;
        List<String> words = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String value = i + 1 < args.length ? args[i + 1] : null;
            boolean valued = switch (a) {
                case "--url", "--api-key", "-m", "--model", "--provider", "-s", "--session", "--context", "--task",
                        "--skill" -> true;
                default -> false;
            };
            if (valued && (value == null || value.startsWith("-") || value.startsWith("@"))) {
                return null;
            }
            if (a.startsWith("@") || a.startsWith("-") && !seen.add(canonical(a))) {
                return null; // an argument file, or an option given twice: picocli's to expand or refuse
            }
            switch (a) {
                case "--url" -> globals.url(args[++i]);
                case "--api-key" -> globals.apiKey(args[++i]);
                case "--json" -> globals.json(true);
                case "--no-color" -> globals.noColor(true);
                default -> {
                    if (run == null) {
                        if (!COMMANDS.contains(a)) {
                            return null; // another command, or an option of run's before it
                        }
                        run = new RunCommand();
                        continue;
                    }
                    switch (a) {
                        case "-m", "--model" -> run.model = args[++i];
                        case "--provider" -> run.provider = args[++i];
                        case "-s", "--session", "--context" -> run.session = args[++i];
                        case "--task" -> run.taskId = args[++i];
                        case "--skill" -> run.skill = args[++i];
                        case "-c", "--continue" -> run.continueLast = true;
                        case "--no-stream" -> run.noStream = true;
                        case "--detach" -> run.detach = true;
                        case "--no-workspace" -> run.noWorkspace = true;
                        default -> {
                            if (a.startsWith("-")) {
                                return null;
                            }
                            words.add(a);
                        }
                    }
                }
            }
        }
        if (run == null || words.isEmpty()) {
            return null;
        }
        run.words = words;
        globals.streamsFirst = !run.noStream && !run.detach;
        return run;
    }

    /** One name per option, so that {@code -m x --model y} counts as given twice. */
    private static String canonical(String option) {
        return switch (option) {
            case "-m" -> "--model";
            case "-s", "--context" -> "--session";
            case "-c" -> "--continue";
            default -> option;
        };
    }

    /** The root's global options ({@link GlobalOptions}); output as picocli's default writers. */
    static final class Globals extends GlobalOptions {
        /** A streamed run over {@code http://} needs no JDK HTTP client ({@link A2aClient}'s plain-socket stream). */
        boolean streamsFirst;
        private PrintWriter out;
        private PrintWriter err;

        @Override
        protected A2aClient newClient(URI gateway, String key) {
            return new A2aClient(gateway, key, !streamsFirst);
        }

        void url(String value) {
            url = value;
        }

        void apiKey(String value) {
            apiKey = value;
        }

        void json(boolean value) {
            json = value;
        }

        void noColor(boolean value) {
            noColor = value;
        }

        @Override
        public synchronized PrintWriter out() {
            if (out == null) {
                out = writer(System.out, "sun.stdout.encoding");
            }
            return out;
        }

        @Override
        public synchronized PrintWriter err() {
            if (err == null) {
                err = writer(System.err, "sun.stderr.encoding");
            }
            return err;
        }

        /** What picocli's {@code CommandLine.getOut()/getErr()} build: auto-flushing, in the stream's encoding. */
        private static PrintWriter writer(OutputStream stream, String encodingProperty) {
            String name = System.getProperty(encodingProperty);
            Charset charset = Charset.defaultCharset();
            if (name != null) {
                try {
                    charset = Charset.forName("cp65001".equalsIgnoreCase(name) ? "UTF-8" : name);
                } catch (RuntimeException unknown) {
                    // picocli falls back to the default charset too
                }
            }
            return new PrintWriter(new BufferedWriter(new OutputStreamWriter(stream, charset)), true);
        }
    }
}
