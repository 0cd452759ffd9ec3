package run.codetether.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import run.codetether.cli.a2a.A2aClient;

/**
 * Worker mode for a client that works on one directory (the TUI): which connected worker of the caller serves the
 * directory (the gateway lists codebases with the sha256 of their real path, as {@link CodebaseSpec} registers
 * them), and, when none does and the user asks for one, a {@code codetether worker} child process serving just that
 * directory. The child is this same CLI on this same JVM binary and class path; its output goes to a log file (the
 * TUI owns the terminal); the API key reaches it in its environment, never on its command line. {@link #close}
 * stops it with SIGTERM, so it deregisters at once.
 */
public final class LocalWorker implements AutoCloseable {
    /** A connected worker's codebase that is this directory. */
    public record Served(String codebaseId, String codebase, String worker) {}

    /** How long a started worker may take to show up in the gateway's codebase list. */
    static final long REGISTER_TIMEOUT_MS = 60_000;

    private final Process process;
    private final Path log;
    private final Served served;

    private LocalWorker(Process process, Path log, Served served) {
        this.process = process;
        this.log = log;
        this.served = served;
    }

    public Served served() {
        return served;
    }

    public Path log() {
        return log;
    }

    /** The sha256 of the directory's real path: what a worker registers for it. */
    public static String pathHash(Path dir) throws IOException {
        return CodebaseSpec.sha256(dir.toAbsolutePath().normalize().toRealPath().toString());
    }

    /**
     * The codebase of a connected worker of the caller that serves {@code dir}, or the nearest directory above it (a
     * TUI started in a checkout's subdirectory works on the checkout a worker serves); empty when none does or the
     * gateway has no worker list (an older one answers 404).
     */
    public static Optional<Served> find(A2aClient client, Path dir) throws IOException, InterruptedException {
        JsonNode list;
        try {
            list = client.getJson("v1/codebases");
        } catch (A2aClient.NotServedException old) {
            return Optional.empty();
        }
        for (Path d = dir.toAbsolutePath().normalize().toRealPath(); d != null; d = d.getParent()) {
            String hash = CodebaseSpec.sha256(d.toString());
            for (JsonNode c : list.path("codebases")) {
                if (hash.equals(c.path("path_hash").asText())) {
                    return Optional.of(new Served(c.path("id").asText(), c.path("name").asText(),
                            c.path("worker").asText()));
                }
            }
        }
        return Optional.empty();
    }

    /** The gateway's gRPC endpoint, from its agent card (the worker stream is gRPC; the card names that port). */
    static String grpcUrl(A2aClient client) throws IOException, InterruptedException {
        JsonNode card = client.getJson(".well-known/agent-card.json");
        for (JsonNode i : card.path("supportedInterfaces")) {
            if ("GRPC".equalsIgnoreCase(i.path("protocolBinding").asText()) && !i.path("url").asText().isBlank()) {
                return i.path("url").asText();
            }
        }
        throw new IOException("the gateway's agent card names no gRPC endpoint, so no worker can connect to it "
                + "(start one by hand: codetether worker --server URL --codebases DIR)");
    }

    /**
     * Starts {@code codetether worker} for {@code dir} and waits until the gateway lists it.
     *
     * @param autoApprove the worker's {@code --auto-approve} (none, safe, all)
     * @param apiKey the caller's key (or null), passed in the child's environment
     * @param stateHome where the worker's state and log go ({@code <stateHome>/codetether/worker/<name>})
     */
    public static LocalWorker start(A2aClient client, Path dir, String autoApprove, String apiKey, Path stateHome)
            throws IOException, InterruptedException {
        Path real = dir.toAbsolutePath().normalize().toRealPath();
        if (real.toString().contains(",")) {
            throw new IllegalArgumentException("cannot serve " + real + " with a worker: its path has a comma, which "
                    + "--codebases splits on");
        }
        String hash = pathHash(real);
        String name = "tui-" + hash.substring(0, 12);
        Path state = stateHome.resolve("codetether").resolve("worker").resolve(name);
        Files.createDirectories(state);
        Path log = state.resolveSibling(name + ".log");
        String java = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin",
                "java").toString());
        List<String> cmd = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), "run.codetether.cli.Main", "worker", "--server",
                grpcUrl(client), "--codebases", codebaseName(real) + "=" + real, "--name", name, "--auto-approve",
                autoApprove, "--state-dir", state.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(real.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.to(log.toFile())).redirectInput(ProcessBuilder.Redirect.from(
                        new java.io.File("/dev/null")));
        pb.environment().remove("CODETETHER_API_KEY");
        if (apiKey != null && !apiKey.isBlank()) {
            pb.environment().put("CODETETHER_API_KEY", apiKey);
        }
        Process p = pb.start();
        LocalWorker worker = null;
        try {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(REGISTER_TIMEOUT_MS);
            while (true) {
                Optional<Served> found = find(client, real);
                if (found.isPresent()) {
                    worker = new LocalWorker(p, log, found.get());
                    return worker;
                }
                if (!p.isAlive()) {
                    throw new IOException("the worker for " + real + " exited (" + p.exitValue() + "): "
                            + tail(log) + " (log: " + log + ")");
                }
                if (System.nanoTime() > deadline) {
                    throw new IOException("the worker for " + real + " did not register within "
                            + REGISTER_TIMEOUT_MS / 1000 + " s: " + tail(log) + " (log: " + log + ")");
                }
                Thread.sleep(200);
            }
        } finally {
            if (worker == null) {
                stop(p);
            }
        }
    }

    /** A codebase name from the directory's name: [A-Za-z0-9._-], at most 64, never {@code cb-...}. */
    static String codebaseName(Path dir) {
        String base = dir.getFileName() == null ? "root" : dir.getFileName().toString();
        String name = base.replaceAll("[^A-Za-z0-9._-]", "-").replace("..", "-");
        if (name.isEmpty()) {
            name = "dir";
        }
        if (name.toLowerCase(Locale.ROOT).startsWith("cb-")) {
            name = "d-" + name;
        }
        return name.length() > 64 ? name.substring(0, 64) : name;
    }

    /** The worker's state home: {@code $XDG_STATE_HOME}, else {@code $HOME/.local/state}. */
    public static Path stateHome(Map<String, String> env) {
        String xdg = env.get("XDG_STATE_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Path.of(xdg);
        }
        String home = env.get("HOME");
        return Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home"), ".local", "state");
    }

    /** {@code --access} as the worker's cap: full -> all, approve (and the default) -> safe, ask -> none. */
    public static String autoApprove(String accessMode) {
        return accessMode == null ? "safe" : switch (accessMode) {
            case "full" -> "all";
            case "ask" -> "none";
            default -> "safe";
        };
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return lines.isEmpty() ? "(no output)" : String.join(" | ", lines.subList(Math.max(0, lines.size() - 3),
                    lines.size())).strip();
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void stop(Process p) {
        p.destroy(); // SIGTERM: the worker deregisters
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the worker (SIGTERM: it deregisters; killed after 5 s). */
    @Override
    public void close() {
        stop(process);
    }
}
