package run.codetether.cli.workspace;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The user's git, run in their checkout: output captured, stdin optional, a clear error when it fails. */
final class GitRunner {
    record Result(int exit, byte[] out, String err) {
        String text() {
            return new String(out, StandardCharsets.UTF_8).strip();
        }
    }

    private final Path dir;

    GitRunner(Path dir) {
        this.dir = dir;
    }

    /** Runs git; a non-zero exit is an IOException with git's own message. */
    Result ok(Map<String, String> env, String... args) throws IOException, InterruptedException {
        Result r = run(env, null, args);
        if (r.exit() != 0) {
            throw new IOException("git " + String.join(" ", args) + " failed: " + r.err().strip());
        }
        return r;
    }

    Result run(Map<String, String> env, byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(dir.toFile());
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new IOException("cannot run git (is it installed?): " + e.getMessage(), e);
        }
        byte[][] err = new byte[1][];
        Thread drain = Thread.ofVirtual().start(() -> {
            try {
                err[0] = p.getErrorStream().readAllBytes();
            } catch (IOException e) {
                err[0] = new byte[0];
            }
        });
        if (stdin != null) {
            p.getOutputStream().write(stdin);
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IOException("git " + String.join(" ", args) + " did not finish within 10 minutes");
        }
        drain.join();
        return new Result(p.exitValue(), out, new String(err[0], StandardCharsets.UTF_8));
    }
}
