package run.codetether.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real pseudo-terminal for TUI tests: a tmux session on a private server socket (never the user's tmux), driven
 * with send-keys and read with capture-pane, as a person at an 80x24 terminal would type and see.
 */
final class Tmux implements AutoCloseable {
    private final String socket = "codetether-e2e-" + ProcessHandle.current().pid();
    private final String session;
    private final Path screens;

    private Tmux(String session, Path screens) {
        this.session = session;
        this.screens = screens;
    }

    static boolean available() {
        try {
            return new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Starts {@code command} in a new detached session of {@code cols}x{@code rows}, with {@code env} set. */
    static Tmux start(String name, int cols, int rows, Map<String, String> env, List<String> command, Path screens)
            throws IOException, InterruptedException {
        Tmux t = new Tmux(name, screens);
        List<String> args = new ArrayList<>(List.of("new-session", "-d", "-s", name, "-x", String.valueOf(cols), "-y",
                String.valueOf(rows)));
        for (Map.Entry<String, String> e : env.entrySet()) {
            args.add("-e");
            args.add(e.getKey() + "=" + e.getValue());
        }
        StringBuilder shell = new StringBuilder("exec");
        for (String c : command) {
            shell.append(" '").append(c.replace("'", "'\\''")).append('\'');
        }
        args.add(shell.toString());
        for (int attempt = 1; ; attempt++) {
            try {
                t.tmux(args.toArray(String[]::new));
                break;
            } catch (IOException e) {
                // the previous test's last session closed its server, which may still be exiting on the socket
                if (attempt == 5 || !String.valueOf(e.getMessage()).contains("server exited unexpectedly")) {
                    throw e;
                }
                Thread.sleep(200L * attempt);
            }
        }
        t.tmux("set-option", "-t", name, "remain-on-exit", "on");
        return t;
    }

    /** Key names as tmux knows them: {@code Enter}, {@code C-c}, {@code F2}, {@code M-j}, {@code Escape}. */
    void keys(String... keys) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    /** Types text literally. */
    void type(String text) throws IOException, InterruptedException {
        tmux("send-keys", "-t", session, "-l", text);
    }

    /** Sends raw bytes (hex), e.g. the kitty-protocol sequence a terminal sends for Ctrl+M. */
    void raw(String text) throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session, "-H"));
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            args.add(String.format("%02x", b));
        }
        tmux(args.toArray(String[]::new));
    }

    /** Resizes the window as a user resizing the terminal would (the program gets SIGWINCH). */
    void resize(int cols, int rows) throws IOException, InterruptedException {
        tmux("resize-window", "-t", session, "-x", String.valueOf(cols), "-y", String.valueOf(rows));
    }

    String capture() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-t", session);
    }

    /** The screen with its SGR colour sequences (to see a repaint in other colours). */
    String captureWithColours() throws IOException, InterruptedException {
        return tmux("capture-pane", "-p", "-e", "-t", session);
    }

    /** Waits until the screen satisfies {@code test}; fails with the last screen. */
    String await(String what, Duration timeout, Predicate<String> test) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        String screen = "";
        while (System.nanoTime() < deadline) {
            screen = capture();
            if (test.test(screen)) {
                return screen;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("timed out waiting for " + what + "; the screen was:\n" + screen);
    }

    String awaitText(String text, Duration timeout) throws Exception {
        return await("'" + text + "'", timeout, s -> s.contains(text));
    }

    /** Saves the screen as a text fixture under target/tui-screens. */
    String save(String name) throws Exception {
        String screen = capture();
        Files.createDirectories(screens);
        Files.writeString(screens.resolve(name + ".txt"), screen);
        return screen;
    }

    boolean exited() throws IOException, InterruptedException {
        return tmux("display-message", "-p", "-t", session, "#{pane_dead}").strip().equals("1");
    }

    private String tmux(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("tmux", "-u", "-L", socket, "-f", "/dev/null"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("LANG", "C.UTF-8"); // the tmux server keeps UTF-8 (else it draws box lines as ASCII)
        pb.environment().put("LC_ALL", "C.UTF-8");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("tmux " + String.join(" ", args) + " failed: " + out);
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            tmux("kill-session", "-t", session);
        } catch (IOException gone) {
            // already ended
        }
    }

    /** Ends the private tmux server (all sessions of this test JVM). */
    static void killServer() {
        try {
            new ProcessBuilder("tmux", "-u", "-L", "codetether-e2e-" + ProcessHandle.current().pid(), "kill-server")
                    .redirectErrorStream(true).start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            // nothing to end
        }
    }
}
