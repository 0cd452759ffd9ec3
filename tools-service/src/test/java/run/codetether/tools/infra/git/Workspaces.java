package run.codetether.tools.infra.git;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import run.codetether.tools.domain.SessionRegistry;
import run.codetether.tools.domain.git.GitCredentials;
import run.codetether.tools.domain.net.EgressPolicy;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;

/** Builds GitWorkspaces over a temp root for plain tests (no Quarkus). */
final class Workspaces {

    private Workspaces() {}

    /** A resolver from a fixed table: test names never reach DNS. */
    static EgressPolicy.Resolver table(Map<String, String> names) {
        return host -> {
            String ip = names.get(host);
            if (ip == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {InetAddress.getByName(ip)};
        };
    }

    static HostGate gate(List<String> allow, boolean loopback, Map<String, String> names) {
        return new HostGate(HostAllowlist.of(allow), loopback, table(names), "CODETETHER_TOOLS_GIT_ALLOWED_HOSTS");
    }

    static GitWorkspaces create(Path root, HostGate gate, GitCredentials credentials, long archiveMax,
            Optional<Path> caFile) {
        SessionRegistry sessions = new SessionRegistry(root.resolve("ws"), 10);
        GitCli cli = new GitCli("git", root.resolve("git-home"), Duration.ofMinutes(2));
        return new GitWorkspaces(sessions, SessionRegistry.defaultStateRoot(root.resolve("ws")), cli, gate, credentials,
                new TarballUnpacker(4L << 20, 1000), new GitWorkspaces.Settings(1, "CodeTether", "codetether@localhost",
                        archiveMax, 8L << 20, caFile, Optional.empty(), root.resolve("keys"), false));
    }

    static Path ws(Path root, String session) {
        return root.resolve("ws").resolve(session);
    }
}
