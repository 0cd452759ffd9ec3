package run.codetether.cli.worker;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * One codebase a worker serves: its name (the directory's base name unless given as {@code name=path}), its real
 * absolute directory (never sent: only its sha256 leaves the machine) and, for a git checkout, the origin URL without
 * credentials and the current branch.
 */
public record CodebaseSpec(String name, Path dir, String pathHash, String gitRemote, String gitBranch) {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    /** Parses {@code --codebases a,b,name=path}; every bad entry is a clear error. */
    public static List<CodebaseSpec> parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("--codebases needs at least one directory (a,b or name=path)");
        }
        List<CodebaseSpec> out = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String raw : spec.split(",")) {
            String entry = raw.strip();
            if (entry.isEmpty()) {
                continue;
            }
            int eq = entry.indexOf('=');
            String pathText = eq > 0 ? entry.substring(eq + 1) : entry;
            if (pathText.startsWith("~/")) {
                pathText = System.getProperty("user.home") + pathText.substring(1);
            }
            Path dir;
            try {
                dir = Path.of(pathText).toAbsolutePath().normalize().toRealPath();
            } catch (IOException e) {
                throw new IllegalArgumentException("codebase '" + entry + "': no such directory: " + pathText);
            }
            if (!Files.isDirectory(dir)) {
                throw new IllegalArgumentException("codebase '" + entry + "': not a directory: " + dir);
            }
            String name = eq > 0 ? entry.substring(0, eq).strip()
                    : dir.getFileName() == null ? "root" : dir.getFileName().toString();
            if (!NAME.matcher(name).matches() || name.startsWith("cb-") || name.contains("..")) {
                throw new IllegalArgumentException("codebase name '" + name + "' must be 1-64 characters of"
                        + " [A-Za-z0-9._-], not start with 'cb-' (give it as name=path)");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException("two codebases are named '" + name + "' (give one as name=path)");
            }
            out.add(new CodebaseSpec(name, dir, sha256(dir.toString()), git(dir, "config", "--get",
                    "remote.origin.url").map(CodebaseSpec::withoutCredentials).orElse(""),
                    git(dir, "symbolic-ref", "--short", "HEAD").orElse("")));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("--codebases needs at least one directory (a,b or name=path)");
        }
        return List.copyOf(out);
    }

    /** A remote's user info (tokens in https://user:token@host) never leaves the machine. */
    static String withoutCredentials(String url) {
        return url.replaceFirst("^(https?://)[^@/]+@", "$1");
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static java.util.Optional<String> git(Path dir, String... args) {
        List<String> cmd = new ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return java.util.Optional.empty();
            }
            return p.exitValue() == 0 && !out.isEmpty() ? java.util.Optional.of(out) : java.util.Optional.empty();
        } catch (IOException e) {
            return java.util.Optional.empty(); // no git on PATH: registered without remote and branch
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }
}
