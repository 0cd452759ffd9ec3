package run.codetether.tools.infra.git;

import java.io.IOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import run.codetether.tools.domain.git.GitCredential;
import run.codetether.tools.domain.git.GitUrl;
import run.codetether.tools.domain.git.Redactor;
import run.codetether.tools.domain.git.WorkspaceException;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.net.HostGate;

/**
 * What one git network operation needs to reach exactly the checked addresses with the host's credential, and
 * nothing else: the URL git sees (no user info; the address itself for git://), config that pins the name to the
 * checked addresses (curl's resolve list for http(s), ssh's HostName with the name kept as HostKeyAlias), the
 * credential through an environment variable read by a one-line credential helper (never in argv, a file in the
 * workspace or git's config), and an SSH key in a 0600 temp file outside any workspace that {@link #close()}
 * deletes. Everything a user can see goes through {@link #redactor()}.
 */
final class RemoteAccess implements AutoCloseable {

    /**
     * The helper git runs for "get": prints the user and token from this process's environment. The script holds no
     * secret; git passes our environment to it.
     */
    static final String HELPER = "!f() { test \"$1\" = get && printf 'username=%s\\npassword=%s\\n'"
            + " \"$CODETETHER_GIT_USERNAME\" \"$CODETETHER_GIT_TOKEN\"; }; f";

    private final String url;
    private final List<String> config;
    private final Map<String, String> env;
    private final Redactor redactor;
    private final Path tempDir;

    private RemoteAccess(String url, List<String> config, Map<String, String> env, Redactor redactor, Path tempDir) {
        this.url = url;
        this.config = config;
        this.env = env;
        this.redactor = redactor;
        this.tempDir = tempDir;
    }

    /**
     * @param tmpRoot where a private directory for an SSH key may be made (outside every workspace)
     * @param caFile extra CA certificates (PEM) for https, e.g. a self-hosted server's
     * @param knownHosts known_hosts for ssh when the credential brings none
     */
    static RemoteAccess open(GitUrl u, HostGate.Allowed allowed, Optional<GitCredential> credential, Path tmpRoot,
            Optional<Path> caFile, Optional<Path> knownHosts) {
        List<String> config = new ArrayList<>();
        Map<String, String> env = new HashMap<>();
        List<String> secrets = new ArrayList<>();
        credential.ifPresent(c -> secrets.addAll(c.secrets()));
        if (!u.password().isEmpty()) {
            secrets.add(u.password());
        }
        Redactor redactor = Redactor.of(secrets);
        InetAddress first = allowed.addresses().get(0);
        Path tempDir = null;
        switch (u.scheme()) {
            case "https", "http" -> {
                if (u.scheme().equals("http")) {
                    config.add("protocol.http.allow=always");
                }
                String addrs = allowed.addresses().stream()
                        .map(a -> a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress())
                        .collect(Collectors.joining(","));
                config.add("http.curloptResolve=" + u.host() + ":" + u.port() + ":" + addrs);
                caFile.ifPresent(f -> config.add("http.sslCAInfo=" + f));
                if (credential.orElse(null) instanceof GitCredential.Token t) {
                    config.add("credential.helper=" + HELPER);
                    env.put("CODETETHER_GIT_USERNAME", t.username());
                    env.put("CODETETHER_GIT_TOKEN", t.token());
                }
            }
            case "ssh" -> {
                tempDir = privateDir(tmpRoot);
                String key = "/dev/null";
                String hosts = knownHosts.map(Path::toString).orElse("/dev/null");
                if (credential.orElse(null) instanceof GitCredential.SshKey k) {
                    key = write(tempDir.resolve("id"), k.privateKey().endsWith("\n") ? k.privateKey()
                            : k.privateKey() + "\n");
                    if (k.knownHosts() != null && !k.knownHosts().isBlank()) {
                        hosts = write(tempDir.resolve("known_hosts"), k.knownHosts() + "\n");
                    }
                } else if (credential.orElse(null) instanceof GitCredential.Token) {
                    throw new WorkspaceException(Code.AUTH_FAILED, "the credential for " + u.host()
                            + " is a token, which works for https URLs only; use the https URL or store an SSH key");
                }
                env.put("GIT_SSH_COMMAND", String.join(" ", "ssh", "-F", "/dev/null", "-o", "BatchMode=yes",
                        "-o", "IdentitiesOnly=yes", "-o", "IdentityFile=" + quote(key), "-o", "IdentityAgent=none",
                        "-o", "UserKnownHostsFile=" + quote(hosts), "-o", "GlobalKnownHostsFile=/dev/null",
                        "-o", "StrictHostKeyChecking=yes", "-o", "HostKeyAlias=" + quote(u.host()),
                        "-o", "HostName=" + quote(first.getHostAddress()), "-o", "ProxyCommand=none",
                        "-o", "ProxyJump=none", "-o", "ConnectTimeout=30", "-o", "ControlMaster=no",
                        "-o", "PermitLocalCommand=no", "-o", "ClearAllForwardings=yes"));
            }
            case "git" -> {
                // the address itself: git cannot look the name up again
            }
            default -> throw new WorkspaceException(Code.REFUSED, "transport " + u.scheme() + " is not allowed");
        }
        return new RemoteAccess(u.forGit(first.getHostAddress()), List.copyOf(config), Map.copyOf(env), redactor,
                tempDir);
    }

    String url() {
        return url;
    }

    List<String> config() {
        return config;
    }

    Map<String, String> env() {
        return env;
    }

    Redactor redactor() {
        return redactor;
    }

    /** Shell quoting for GIT_SSH_COMMAND, which git runs through sh. */
    static String quote(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static Path privateDir(Path root) {
        try {
            Files.createDirectories(root, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            return Files.createTempDirectory(root, "ssh-", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "cannot make a private directory for the SSH key: " + e.getMessage());
        }
    }

    private static String write(Path file, String content) {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return file.toString();
        } catch (IOException e) {
            throw new WorkspaceException(Code.FAILED, "cannot write the SSH key file: " + e.getClass().getSimpleName());
        }
    }

    @Override
    public void close() {
        if (tempDir != null) {
            try (var walk = Files.walk(tempDir)) {
                for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a leftover 0600 file in a 0700 directory of the service; retried by nothing, logged by nobody
            }
        }
    }
}
