package run.codetether.tools.infra.git;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import run.codetether.tools.domain.git.Redactor;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;

/**
 * Runs the git CLI on the host (outside the sandbox) in a hermetic environment: an empty environment, a private
 * empty HOME, no system or global config, no terminal prompts, no hooks, no fsmonitor, only the https/ssh/git
 * transports (http only where the caller's host check allowed loopback), no redirects, no proxy, and only the
 * credential helper the caller installs. The repository's own config is written only by this service: the sandbox
 * sees the git directory read-only, so nothing a command in the sandbox does can make this process run a program
 * or send a credential elsewhere.
 */
public final class GitCli {

    /** One finished git process; stderr is already redacted. */
    public record Result(int exit, byte[] stdout, String stderr) {
        public String out() {
            return new String(stdout, StandardCharsets.UTF_8).strip();
        }
    }

    /** Options of one call. */
    public record Call(List<String> args, Path gitDir, Path workTree, List<String> config, Map<String, String> env,
            Redactor redactor, long maxStdout, Duration timeout) {

        public static Call of(Path gitDir, Path workTree, String... args) {
            return new Call(List.of(args), gitDir, workTree, List.of(), Map.of(), Redactor.none(), 1 << 20, null);
        }

        public Call withConfig(List<String> c) {
            return new Call(args, gitDir, workTree, c, env, redactor, maxStdout, timeout);
        }

        public Call withEnv(Map<String, String> e) {
            return new Call(args, gitDir, workTree, config, e, redactor, maxStdout, timeout);
        }

        public Call withRedactor(Redactor r) {
            return new Call(args, gitDir, workTree, config, env, r, maxStdout, timeout);
        }

        public Call withMaxStdout(long m) {
            return new Call(args, gitDir, workTree, config, env, redactor, m, timeout);
        }

        public Call withTimeout(Duration t) {
            return new Call(args, gitDir, workTree, config, env, redactor, maxStdout, t);
        }
    }

    /** Config every call gets (before the caller's, so the caller can allow one more protocol). */
    static final List<String> BASE_CONFIG = List.of("core.hooksPath=/dev/null", "core.fsmonitor=false",
            "core.askPass=", "credential.helper=", "http.proxy=", "https.proxy=", "http.followRedirects=false",
            "protocol.allow=never", "protocol.https.allow=always", "protocol.ssh.allow=always",
            "protocol.git.allow=always", "submodule.recurse=false", "fetch.recurseSubmodules=false",
            "gc.auto=0", "maintenance.auto=false", "advice.detachedHead=false", "init.defaultBranch=main",
            "core.quotePath=false", "safe.directory=*", "http.lowSpeedLimit=1000", "http.lowSpeedTime=60",
            "commit.gpgSign=false", "tag.gpgSign=false", "push.gpgSign=false");

    private final String git;
    private final Path home;
    private final Duration defaultTimeout;

    /**
     * @param home a private directory (created 0700) used as HOME; nothing is ever written there by design, it only
     *     keeps git and ssh away from the service user's real dotfiles
     */
    public GitCli(String git, Path home, Duration defaultTimeout) {
        this.git = git;
        this.home = home;
        this.defaultTimeout = defaultTimeout;
        try {
            Files.createDirectories(home, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new IllegalStateException("cannot create git home " + home + ": " + e.getMessage(), e);
        }
    }

    /** Runs git; a non-zero exit is returned, not thrown (callers classify it). */
    public Result run(Call c) {
        List<String> argv = new ArrayList<>();
        argv.add(git);
        for (String kv : BASE_CONFIG) {
            argv.add("-c");
            argv.add(kv);
        }
        for (String kv : c.config()) {
            argv.add("-c");
            argv.add(kv);
        }
        argv.addAll(c.args());
        ProcessBuilder pb = new ProcessBuilder(argv);
        var env = pb.environment();
        env.clear();
        env.put("PATH", "/usr/local/bin:/usr/bin:/bin");
        env.put("HOME", home.toString());
        env.put("LANG", "C");
        env.put("LC_ALL", "C");
        env.put("GIT_CONFIG_NOSYSTEM", "1");
        env.put("GIT_CONFIG_GLOBAL", "/dev/null");
        env.put("GIT_ATTR_NOSYSTEM", "1");
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_NO_REPLACE_OBJECTS", "1");
        env.put("GIT_PROTOCOL_FROM_USER", "0");
        env.put("GIT_SSH_VARIANT", "ssh");
        env.put("GCM_INTERACTIVE", "never");
        if (c.gitDir() != null) {
            env.put("GIT_DIR", c.gitDir().toString());
        }
        if (c.workTree() != null) {
            env.put("GIT_WORK_TREE", c.workTree().toString());
            pb.directory(c.workTree().toFile());
        } else {
            pb.directory(home.toFile());
        }
        env.putAll(c.env());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "cannot run git (" + git + "): " + e.getMessage()
                    + "; install it with `apt-get install git`");
        }
        AtomicBoolean overflow = new AtomicBoolean();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Thread to = Thread.ofVirtual().start(() -> drain(p.getInputStream(), out, c.maxStdout(), overflow, p));
        Thread te = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err, 256 * 1024, new AtomicBoolean(), null));
        Duration timeout = c.timeout() == null ? defaultTimeout : c.timeout();
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor();
                throw new WorkspaceException(Code.UNAVAILABLE, "git " + c.args().get(0) + " took longer than "
                        + timeout.toSeconds() + " s and was stopped (codetether.tools.git.timeout)");
            }
            to.join();
            te.join();
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new WorkspaceException(Code.FAILED, "interrupted while git " + c.args().get(0) + " ran");
        }
        if (overflow.get()) {
            throw new WorkspaceException(Code.TOO_LARGE, "the output of git " + c.args().get(0) + " is larger than "
                    + c.maxStdout() + " bytes");
        }
        return new Result(p.exitValue(), out.toByteArray(), c.redactor().apply(err.toString(StandardCharsets.UTF_8)));
    }

    /** Runs git and fails with a classified, redacted error on a non-zero exit. */
    public Result check(Call c, String what) {
        Result r = run(c);
        if (r.exit() != 0) {
            throw classify(what, r.stderr());
        }
        return r;
    }

    private static void drain(InputStream in, ByteArrayOutputStream keep, long max, AtomicBoolean overflow,
            Process kill) {
        byte[] buf = new byte[64 * 1024];
        try (in) {
            int n;
            while ((n = in.read(buf)) >= 0) {
                if (keep.size() + n > max) {
                    overflow.set(true);
                    if (kill != null) {
                        kill.destroyForcibly();
                    }
                    continue;
                }
                keep.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the process went away; what we have is the output
        }
    }

    /** Maps git's words to a failure kind; the message keeps git's own (redacted) explanation. */
    public static WorkspaceException classify(String what, String stderr) {
        String s = stderr == null ? "" : stderr;
        String l = s.toLowerCase(java.util.Locale.ROOT);
        Code code;
        if (l.contains("authentication failed") || l.contains("could not read username")
                || l.contains("could not read password") || l.contains("permission denied (publickey")
                || l.contains("the requested url returned error: 401") || l.contains("the requested url returned error: 403")
                || l.contains("host key verification failed") || l.contains("no more authentication methods")) {
            code = Code.AUTH_FAILED;
        } else if (l.contains("couldn't find remote ref") || l.contains("not found") || l.contains("not our ref")
                || l.contains("does not appear to be a git repository") || l.contains("error: 404")
                || l.contains("no such ref") || l.contains("unknown revision") || l.contains("no such repository")
                || l.contains("access denied or repository not exported")) {
            code = Code.NOT_FOUND;
        } else if (l.contains("could not resolve host") || l.contains("connection refused")
                || l.contains("timed out") || l.contains("unable to connect") || l.contains("unable to look up")
                || l.contains("couldn't connect") || l.contains("connection reset") || l.contains("early eof")) {
            code = Code.UNAVAILABLE;
        } else if (l.contains("non-fast-forward") || l.contains("[rejected]") || l.contains("fetch first")
                || l.contains("shallow update not allowed")) {
            code = Code.CONFLICT;
        } else {
            code = Code.FAILED;
        }
        String hint = switch (code) {
            case AUTH_FAILED -> " (the host needs a credential: a token or SSH key in Vault at"
                    + " secret/codetether/git/<host>, or `codetether auth add git:<host>` for the local stack)";
            default -> "";
        };
        return new WorkspaceException(code, what + " failed: " + summary(s) + hint);
    }

    /** git's lines that say something (hint lines and blank lines dropped), at most 600 characters. */
    static String summary(String stderr) {
        StringBuilder b = new StringBuilder();
        for (String line : stderr.split("\n")) {
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("hint:") || t.startsWith("To ") || t.startsWith("remote: Counting")
                    || t.startsWith("remote: Compressing") || t.startsWith("remote: Total")) {
                continue;
            }
            if (!b.isEmpty()) {
                b.append(" | ");
            }
            b.append(t);
        }
        String out = b.isEmpty() ? "git gave no reason" : b.toString();
        return out.length() > 600 ? out.substring(0, 600) + "..." : out;
    }
}
