package run.codetether.tools.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The test's own git (a client the service does not control): hermetic config, fails loudly. */
public final class Git {

    private Git() {}

    public static String run(Path cwd, String... args) {
        return run(cwd, Map.of(), null, args);
    }

    /** Runs git in cwd with extra env and optional stdin; returns stdout; throws with stderr on failure. */
    public static String run(Path cwd, Map<String, String> env, byte[] stdin, String... args) {
        Result r = exec(cwd, env, stdin, args);
        if (r.exit != 0) {
            throw new AssertionError("git " + String.join(" ", args) + " failed (" + r.exit + "): " + r.err);
        }
        return r.out;
    }

    public record Result(int exit, String out, String err) {}

    public static Result exec(Path cwd, Map<String, String> env, byte[] stdin, String... args) {
        List<String> argv = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.invalid",
                "-c", "init.defaultBranch=main", "-c", "protocol.file.allow=always", "-c", "advice.detachedHead=false"));
        argv.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(argv).directory(cwd.toFile());
        pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
        pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
        pb.environment().put("GIT_TERMINAL_PROMPT", "0");
        pb.environment().putAll(env);
        try {
            Process p = pb.start();
            if (stdin != null) {
                p.getOutputStream().write(stdin);
            }
            p.getOutputStream().close();
            byte[][] err = new byte[1][];
            Thread t = Thread.ofVirtual().start(() -> {
                try {
                    err[0] = p.getErrorStream().readAllBytes();
                } catch (IOException ex) {
                    err[0] = new byte[0];
                }
            });
            byte[] o = p.getInputStream().readAllBytes();
            t.join();
            return new Result(p.waitFor(), new String(o, StandardCharsets.UTF_8), new String(err[0], StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException ex) {
            throw new AssertionError("cannot run git", ex);
        }
    }

    /**
     * A bare repository {@code <root>/<name>.git} with a small Java project in two commits (tag v1 on the first):
     * text files, a binary file, a file to rename, a file to delete, an ignored directory rule, and a failing test.
     */
    public static Path project(Path root, String name) throws IOException {
        Path work = Files.createDirectories(root.resolve(name + "-src"));
        run(work, "init", "-q");
        Files.writeString(work.resolve("README.md"), "# " + name + "\n\nA small project.\n");
        Files.createDirectories(work.resolve("src"));
        Files.writeString(work.resolve("src/Calc.java"), "class Calc {\n    static int add(int a, int b) {\n"
                + "        return a - b;\n    }\n}\n");
        Files.writeString(work.resolve("old-name.txt"), "this file will be renamed\nline 2\nline 3\nline 4\n");
        Files.writeString(work.resolve("gone.txt"), "this file will be deleted\n");
        Files.writeString(work.resolve(".gitignore"), "target/\n*.log\n");
        byte[] bin = new byte[600];
        for (int i = 0; i < bin.length; i++) {
            bin[i] = (byte) (i * 7);
        }
        Files.write(work.resolve("logo.bin"), bin);
        run(work, "add", "-A");
        run(work, "commit", "-q", "-m", "first");
        run(work, "tag", "v1");
        Files.writeString(work.resolve("README.md"), "# " + name + "\n\nA small project, second version.\n");
        run(work, "commit", "-q", "-am", "second");
        Path bare = root.resolve(name + ".git");
        run(root, "clone", "-q", "--bare", work.toString(), bare.toString());
        run(bare, "config", "uploadpack.allowReachableSHA1InWant", "true");
        return bare;
    }
}
