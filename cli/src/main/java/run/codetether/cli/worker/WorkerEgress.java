package run.codetether.cli.worker;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import run.codetether.tools.domain.egress.EgressEvent;
import run.codetether.tools.domain.exec.SandboxContext;
import run.codetether.tools.domain.exec.SandboxExtras;
import run.codetether.tools.domain.net.EgressPresets;
import run.codetether.tools.domain.net.HostAllowlist;
import run.codetether.tools.domain.net.HostGate;
import run.codetether.tools.infra.egress.EgressHistory;
import run.codetether.tools.infra.egress.EgressProxy;

/**
 * The worker's own egress allowlist: the same proxy tools-service runs (tools-core {@link EgressProxy}: one Unix
 * socket per codebase bind-mounted into the sandbox, the allowlist checked after one DNS lookup here, loopback,
 * private, link-local and metadata addresses refused unless an entry names that exact address and port, every request
 * logged). Without an allowlist there is none of it and the sandbox has no network at all, as before.
 */
public final class WorkerEgress implements SandboxContext, AutoCloseable {
    /** The environment variable read when {@code --egress-allow} is not given (tools-service's is per service). */
    public static final String ENV = "CODETETHER_WORKER_EGRESS_ALLOWED_HOSTS";

    private final EgressProxy proxy;
    private final EgressHistory history;

    private WorkerEgress(EgressProxy proxy, EgressHistory history) {
        this.proxy = proxy;
        this.history = history;
    }

    /**
     * The egress of a worker started with these entries (host, host:port, {@code *.} wildcards, exact IPs) and
     * presets ({@link EgressPresets}); empty when both are empty.
     *
     * @throws IllegalArgumentException for a malformed entry or an unknown preset, naming it
     */
    public static Optional<WorkerEgress> of(List<String> entries, List<String> presets, Path stateDir) {
        List<String> all = new ArrayList<>(entries.stream().map(String::strip).filter(s -> !s.isEmpty()).toList());
        all.addAll(EgressPresets.expand(presets.stream().map(String::strip).filter(s -> !s.isEmpty()).toList()));
        if (all.isEmpty()) {
            return Optional.empty();
        }
        HostGate gate = new HostGate(HostAllowlist.of(all), false, InetAddress::getAllByName, "--egress-allow");
        EgressHistory history = new EgressHistory(200);
        // a Unix socket path must stay under ~108 bytes: the state directory's own path may be long
        Path sockets = Path.of(System.getProperty("java.io.tmpdir"), "codetether-worker-egress-"
                + ProcessHandle.current().pid());
        return Optional.of(new WorkerEgress(new EgressProxy(sockets, gate, history, Duration.ofSeconds(10),
                Duration.ofMinutes(5)), history));
    }

    /** Comma-separated entries of a flag or the environment; null or blank: none. */
    public static List<String> split(String text) {
        return text == null || text.isBlank() ? List.of() : Arrays.stream(text.split(",")).map(String::strip)
                .filter(s -> !s.isEmpty()).toList();
    }

    public HostAllowlist allowlist() {
        return proxy.gate().allowlist();
    }

    /** Every codebase's commands reach the network through the proxy (a worker's allowlist is the worker's). */
    @Override
    public SandboxExtras extrasFor(String sessionId) {
        return new SandboxExtras(List.of(), Optional.of(proxy.socketFor(sessionId)));
    }

    @Override
    public List<String> egressRefusalsSince(String sessionId, long epochMs) {
        return EgressEvent.notAllowedSince(history.recent(sessionId), epochMs);
    }

    /** The codebase's recent requests (what the worker's log also shows), oldest first. */
    public List<EgressEvent> recent(String codebase) {
        return history.recent(codebase);
    }

    @Override
    public void close() {
        proxy.close();
    }
}
