package run.codetether.tools.domain.git;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.codetether.tools.domain.git.WorkspaceException.Code;
import run.codetether.tools.domain.net.IpLiterals;

/**
 * A parsed remote URL: https (http only for loopback tests and the local stack), ssh (also the scp-like
 * {@code user@host:path}) or git://. Local paths, file://, ext:: and other transports are refused: they would read
 * the service's own disk or run commands. User info is split off: {@link #display()} never contains it, and a
 * password in the URL becomes {@link #inlineCredential()}.
 */
public record GitUrl(String scheme, String user, String password, String host, int port, String path, boolean scp) {

    private static final Pattern SCP = Pattern.compile("(?:([A-Za-z0-9._~-]+)@)?([A-Za-z0-9.-]+|\\[[0-9A-Fa-f:.]+\\]):(?!//)(.+)");
    private static final Pattern HOST = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*");

    public static GitUrl parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw invalid("the git URL is empty");
        }
        String s = raw.strip();
        if (s.chars().anyMatch(c -> c <= 0x20 || c == 0x7f)) {
            throw invalid("the git URL contains spaces or control characters");
        }
        if (s.matches("^[A-Za-z0-9+.-]+::.*")) {
            throw invalid("git transport helpers (<transport>::<address>) are not allowed");
        }
        if (!s.contains("://")) {
            Matcher m = SCP.matcher(s);
            if (!m.matches() || s.startsWith("/") || s.startsWith(".")) {
                throw invalid("'" + Redactor.urls(s) + "' is not an https://, ssh://, user@host:path or git:// URL"
                        + " (local paths and other transports are not allowed)");
            }
            String host = m.group(2);
            return checked(new GitUrl("ssh", m.group(1) == null ? "" : m.group(1), "", host, 22, m.group(3), true));
        }
        URI u;
        try {
            u = new URI(s);
        } catch (URISyntaxException e) {
            throw invalid("'" + Redactor.urls(s) + "' is not a valid URL");
        }
        String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
        int defaultPort = switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            case "ssh", "git+ssh", "ssh+git" -> 22;
            case "git" -> 9418;
            default -> throw invalid("only https, ssh and git:// URLs are allowed, not '" + scheme + "'");
        };
        if (scheme.contains("ssh")) {
            scheme = "ssh";
        }
        String user = "";
        String password = "";
        if (u.getRawUserInfo() != null) {
            String info = u.getUserInfo();
            int c = info.indexOf(':');
            user = c < 0 ? info : info.substring(0, c);
            password = c < 0 ? "" : info.substring(c + 1);
        }
        if (u.getHost() == null) {
            throw invalid("'" + Redactor.urls(s) + "' has no host");
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null) {
            throw invalid("a git URL has no query or fragment");
        }
        String path = u.getRawPath() == null ? "" : u.getRawPath();
        if (path.isEmpty() || path.equals("/")) {
            throw invalid("'" + Redactor.urls(s) + "' names no repository path");
        }
        return checked(new GitUrl(scheme, user, password, u.getHost(), u.getPort() < 0 ? defaultPort : u.getPort(),
                path, false));
    }

    private static GitUrl checked(GitUrl g) {
        String h = g.host().toLowerCase(Locale.ROOT);
        String bare = h.startsWith("[") ? h.substring(1, h.length() - 1) : h;
        if (!IpLiterals.isLiteral(bare) && !HOST.matcher(bare).matches()) {
            throw invalid("'" + g.host() + "' is not a valid host name");
        }
        if (g.path().contains("\n") || g.path().startsWith("-") || g.user().startsWith("-")) {
            throw invalid("the git URL has an unsafe path or user");
        }
        return new GitUrl(g.scheme(), g.user(), g.password(), bare, g.port(), g.path(), g.scp());
    }

    /** The URL as written, without user info. Safe for logs, errors, responses and .git/config. */
    public String display() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        if (scp) {
            return (user.isEmpty() ? "" : user + "@") + h + ":" + path;
        }
        if (scheme.equals("ssh")) {
            return "ssh://" + (user.isEmpty() ? "" : user + "@") + h + (port == 22 ? "" : ":" + port) + path;
        }
        return scheme + "://" + h + (port == defaultPort() ? "" : ":" + port) + path;
    }

    /**
     * The URL git is given: the host replaced by the checked address where the protocol allows it (git://), so
     * git cannot resolve the name again; for https and ssh the pinning is done by other means (curl's resolve
     * list, ssh's HostName) and the name stays for TLS and host-key checks. Never contains a password.
     */
    public String forGit(String pinnedAddress) {
        String a = pinnedAddress.contains(":") ? "[" + pinnedAddress + "]" : pinnedAddress;
        String h = host.contains(":") ? "[" + host + "]" : host;
        String sshUser = user.isEmpty() ? "git" : user;
        if (scp) {
            return sshUser + "@" + h + ":" + path;
        }
        return switch (scheme) {
            case "git" -> "git://" + a + ":" + port + path;
            case "ssh" -> "ssh://" + sshUser + "@" + h + ":" + port + path;
            // the credential helper supplies user and token: none of it is in the URL git sees
            default -> scheme + "://" + h + ":" + port + path;
        };
    }

    public int defaultPort() {
        return switch (scheme) {
            case "https" -> 443;
            case "http" -> 80;
            case "ssh" -> 22;
            default -> 9418;
        };
    }

    /** A token written into the URL (https://user:token@host/...), as a credential. */
    public Optional<GitCredential> inlineCredential() {
        return password.isEmpty() ? Optional.empty()
                : Optional.of(new GitCredential.Token(user.isEmpty() ? "x-access-token" : user, password));
    }

    /** A relative submodule URL ({@code ../lib.git}) resolved against this one. */
    public GitUrl resolve(String relative) {
        String base = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        String rel = relative;
        while (rel.startsWith("../") || rel.startsWith("./")) {
            if (rel.startsWith("./")) {
                rel = rel.substring(2);
                continue;
            }
            rel = rel.substring(3);
            int slash = base.lastIndexOf('/');
            base = slash <= 0 ? "" : base.substring(0, slash);
        }
        String p = base.isEmpty() && !scp ? "/" + rel : base + "/" + rel;
        return new GitUrl(scheme, user, "", host, port, p, scp);
    }

    @Override
    public String toString() {
        return display();
    }

    private static WorkspaceException invalid(String msg) {
        return new WorkspaceException(Code.INVALID_ARGUMENT, msg);
    }
}
