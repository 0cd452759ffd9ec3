package run.codetether.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 16: {@code codetether --version} and {@code codetether run "..."} as in the original. The launcher keeps its
 * own commands (up, down, status, help, ...) and hands every other command or option to the CLI; run through a copy
 * of the real launcher with the packaged CLI jar beside it (no terminal: no frame, no AOT training).
 */
class LauncherCliForwardTest {

    @TempDir
    static Path root;

    @BeforeAll
    static void launcherAndJar() throws IOException {
        Path repo = Path.of(System.getProperty("codetether.root", "..")).toAbsolutePath().normalize();
        Files.createDirectories(root.resolve("cli/target"));
        Files.copy(repo.resolve("codetether"), root.resolve("codetether"));
        root.resolve("codetether").toFile().setExecutable(true);
        Path jar;
        try (Stream<Path> files = Files.list(repo.resolve("cli/target"))) {
            jar = files.filter(p -> p.getFileName().toString().matches("cli-.*-runner\\.jar")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("cli/target/cli-*-runner.jar is missing: package cli first"));
        }
        Files.copy(jar, root.resolve("cli/target").resolve(jar.getFileName()));
    }

    @Test
    void anOptionTheLauncherDoesNotKnowIsTheClis() throws Exception {
        Result direct = launcher("cli", "--version");
        Result forwarded = launcher("--version");
        assertEquals(0, direct.exit(), direct.toString());
        assertTrue(direct.out().toLowerCase().contains("codetether"), direct.toString());
        assertEquals(direct, forwarded, "`codetether --version` is `codetether cli --version`");
    }

    @Test
    void aCommandNeitherKnowsIsNamedByTheCli() throws Exception {
        Result r = launcher("frobnicate");
        assertNotEquals(0, r.exit(), r.toString());
        assertTrue(r.err().contains("frobnicate"), r.toString());
    }

    @Test
    void theLaunchersOwnHelpStaysTheLaunchers() throws Exception {
        Result r = launcher("help");
        assertEquals(0, r.exit(), r.toString());
        assertTrue(r.out().contains("./codetether up"), r.toString());
        assertTrue(r.out().contains("./codetether --version"), r.toString());
    }

    private static Result launcher(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(root.resolve("codetether").toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(root.toFile());
        pb.environment().put("CODETETHER_NO_AOT", "1");
        pb.environment().put("CODETETHER_URL", "http://127.0.0.1:9");
        pb.environment().put("HOME", root.resolve("home").toString());
        Path out = Files.createTempFile(root, "out", ".txt");
        Path err = Files.createTempFile(root, "err", ".txt");
        Process p = pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not end within 60 s: " + cmd);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    record Result(int exit, String out, String err) {}
}
