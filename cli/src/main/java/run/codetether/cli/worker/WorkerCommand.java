package run.codetether.cli.worker;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import run.codetether.cli.BuildInfo;
import run.codetether.cli.CodetetherCli;
import run.codetether.cli.ExitCodes;
import run.codetether.contracts.worker.v1.Call;
import run.codetether.contracts.worker.v1.Codebase;
import run.codetether.contracts.worker.v1.Register;
import run.codetether.contracts.worker.v1.Registered;
import run.codetether.contracts.worker.v1.WorkerHubGrpc;
import run.codetether.contracts.worker.v1.WorkerMessage;
import run.codetether.tools.domain.exec.SandboxContext;

/**
 * {@code codetether worker}: connects OUT to a gateway's WorkerHub (one gRPC bidirectional stream; no inbound port),
 * registers codebases and runs the tool calls of tasks on them here, in bubblewrap. Reconnects with backoff;
 * Ctrl+C deregisters. See docs/worker.md.
 */
@Command(name = "worker", description = "Serve local codebases to the platform: tool calls of tasks on them run here.")
public final class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    CodetetherCli root;

    @Option(names = "--server", required = true, paramLabel = "URL",
            description = "The gateway's gRPC endpoint, its own gRPC port (9080 by default; not the HTTP port 8080): "
                    + "http://host:port (plaintext) or https://host:port (TLS).")
    String server;

    @Option(names = "--codebases", required = true, paramLabel = "DIRS",
            description = "Comma-separated directories, each optionally name=path.")
    String codebases;

    @Option(names = "--auto-approve", defaultValue = "safe", paramLabel = "none|safe|all",
            description = "What runs without asking (default ${DEFAULT-VALUE}); the stricter of this and the task's access mode wins.")
    String autoApprove;

    @Option(names = "--name", paramLabel = "NAME", description = "The worker's stable name (default: the host name).")
    String name;

    @Option(names = "--interactive", description = "Ask in this terminal before each mutating call runs.")
    boolean interactive;

    @Option(names = "--state-dir", paramLabel = "DIR",
            description = "Idempotency and undo state (default ~/.local/state/codetether/worker/<name>).")
    Path stateDir;

    @Option(names = "--no-sandbox", description = "Run bash on the host without bubblewrap (DANGEROUS; tests only).")
    boolean noSandbox;

    @Option(names = "--max-backoff", defaultValue = "30", paramLabel = "SECONDS",
            description = "Longest wait between reconnects (default ${DEFAULT-VALUE}).")
    int maxBackoffSeconds;

    @Option(names = "--egress-allow", paramLabel = "HOSTS", description = "Where commands in the sandbox may connect,"
            + " through the worker's egress proxy: comma list of host, host:port, *.domain, IP:port (default: "
            + "$" + WorkerEgress.ENV + "; none: no network at all).")
    String egressAllow;

    @Option(names = "--egress-preset", paramLabel = "NAMES",
            description = "Named allowlists to add: package-registries, git-hosts (comma list).")
    String egressPreset;

    @Option(names = "--proxy", paramLabel = "URL", description = "Reach the gateway through this HTTP proxy "
            + "(CONNECT): http://[user:password@]host:port (default: $HTTPS_PROXY for an https server, $HTTP_PROXY "
            + "for http, unless $NO_PROXY names the server).")
    String proxy;

    private final CountDownLatch stop = new CountDownLatch(1);
    private final AtomicReference<HubSession> current = new AtomicReference<>();

    @Override
    public Integer call() throws Exception {
        AutoApprove approve = AutoApprove.parse(autoApprove);
        List<CodebaseSpec> specs = CodebaseSpec.parse(codebases);
        String workerName = name != null ? name : hostName();
        if (!CodebaseSpec.NAME.matcher(workerName).matches()) {
            throw new IllegalArgumentException("--name must be 1-64 characters of [A-Za-z0-9._-]");
        }
        Path state = stateDir != null ? stateDir : Path.of(System.getProperty("user.home"), ".local", "state",
                "codetether", "worker", workerName);
        PrintStream log = System.err;
        if (noSandbox) {
            log.println("!!!!!!!! --no-sandbox: bash runs ON THIS HOST with your files, keys and network !!!!!!!!");
        }
        URI uri = URI.create(server.contains("://") ? server : "http://" + server);
        if (uri.getHost() == null) {
            throw new IllegalArgumentException("--server must be http(s)://host:port, not '" + server + "'");
        }
        NettyChannelBuilder cb = NettyChannelBuilder.forTarget("dns:///" + uri.getHost() + ":" + (uri.getPort() > 0
                ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80));
        Optional<WorkerProxy> via = WorkerProxy.resolve(proxy, System.getenv(), uri);
        via.ifPresent(p -> {
            cb.proxyDetector(p.detector());
            log.println("worker: reaching " + uri.getHost() + " through the HTTP proxy " + p);
        });
        ManagedChannel channel = ("https".equals(uri.getScheme()) ? cb.useTransportSecurity() : cb.usePlaintext())
                .keepAliveTime(30, TimeUnit.SECONDS).build();
        Optional<WorkerEgress> egress = WorkerEgress.of(WorkerEgress.split(egressAllow != null ? egressAllow
                : System.getenv(WorkerEgress.ENV)), WorkerEgress.split(egressPreset), state);
        log.println(egress.map(e -> "worker: the sandbox reaches the network only through this worker's egress proxy,"
                + " allowing " + e.allowlist()).orElse("worker: the sandbox has no network (--egress-allow to allow"
                + " hosts)"));
        Metadata auth = new Metadata();
        String key = root != null ? root.apiKey() : null;
        if (key != null && !key.isBlank()) {
            auth.put(Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + key);
            auth.put(Metadata.Key.of("x-api-key", Metadata.ASCII_STRING_MARSHALLER), key);
        }
        WorkerHubGrpc.WorkerHubStub stub = WorkerHubGrpc.newStub(channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(auth));
        Register register = Register.newBuilder().setName(workerName).setAutoApprove(approve.wire())
                .setVersion(BuildInfo.version()).setInstanceId(UUID.randomUUID().toString())
                .addAllCodebases(specs.stream().map(c -> Codebase.newBuilder().setName(c.name())
                        .setPathHash(c.pathHash()).setGitRemote(c.gitRemote()).setGitBranch(c.gitBranch()).build())
                        .toList()).build();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            HubSession s = current.get();
            if (s != null) {
                s.stop("the worker was stopped", java.time.Duration.ofSeconds(5));
                try {
                    s.ended().get(3, TimeUnit.SECONDS);
                } catch (Exception ignored) {
                    // leaving anyway: the hub's grace period covers a lost Deregister
                }
            }
            channel.shutdown();
        }, "worker-deregister"));
        try (WorkerEgress closeEgress = egress.orElse(null);
                WorkerTools tools = new WorkerTools(specs, state, "bwrap", !noSandbox,
                        egress.<SandboxContext>map(e -> e).orElse(SandboxContext.NONE));
                ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
                ScheduledExecutorService beats = Executors.newSingleThreadScheduledExecutor()) {
            register = register.toBuilder().addAllTools(tools.specs()).build();
            return loop(stub, register, tools, calls, beats, log);
        }
    }

    private int loop(WorkerHubGrpc.WorkerHubStub stub, Register register, WorkerTools tools, ExecutorService calls,
            ScheduledExecutorService beats, PrintStream log) throws InterruptedException {
        long backoffMs = 500;
        while (stop.getCount() > 0) {
            HubSession session = new HubSession(tools, calls, log, interactive ? this::askOperator : c -> true);
            session.attach(stub.connect(session));
            current.set(session);
            session.send(WorkerMessage.newBuilder().setRegister(register).build());
            try {
                Registered r = session.registered().get(30, TimeUnit.SECONDS);
                backoffMs = 500;
                log.printf("worker %s (%s) connected to %s via replica %s: %s%n", register.getName(),
                        r.getWorkerId(), server, r.getGatewayReplica(), r.getCodebaseIdsMap());
                long beat = r.getHeartbeatIntervalMs() > 0 ? r.getHeartbeatIntervalMs() : 10_000;
                var task = beats.scheduleAtFixedRate(session::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
                Status end = session.ended().join();
                task.cancel(false);
                if (stop.getCount() == 0) {
                    return ExitCodes.OK;
                }
                if (fatal(end)) {
                    log.println("worker: the hub refused the worker: " + end.getCode() + ": " + end.getDescription());
                    return ExitCodes.GATEWAY_ERROR;
                }
                log.println("worker: the connection ended (" + end.getCode() + (end.getDescription() == null ? ""
                        : ": " + end.getDescription()) + "); reconnecting");
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                Status s = Status.fromThrowable(e.getCause() != null ? e.getCause() : e);
                if (fatal(s)) {
                    log.println("worker: the hub refused the worker: " + s.getCode() + ": " + s.getDescription());
                    return ExitCodes.GATEWAY_ERROR;
                }
                session.deregister("registration timed out");
                log.printf("worker: cannot connect to %s (%s); retrying in %d ms%n", server, s.getCode()
                        + (s.getDescription() == null ? "" : ": " + s.getDescription()), backoffMs);
            }
            if (stop.await(backoffMs + ThreadLocalRandom.current().nextLong(backoffMs / 2 + 1),
                    TimeUnit.MILLISECONDS)) {
                break;
            }
            backoffMs = Math.min(backoffMs * 2, maxBackoffSeconds * 1000L);
        }
        return ExitCodes.OK;
    }

    /** Refusals a retry cannot fix: the operator must change the command line or the credentials. */
    private static boolean fatal(Status s) {
        return switch (s.getCode()) {
            case UNAUTHENTICATED, PERMISSION_DENIED, INVALID_ARGUMENT, ALREADY_EXISTS, UNIMPLEMENTED -> true;
            default -> false;
        };
    }

    private synchronized boolean askOperator(Call call) {
        java.io.Console console = System.console();
        if (console == null) {
            return false; // --interactive without a terminal: nobody can say yes
        }
        String answer = console.readLine("%nrun %s on %s? %s%n[y/N] ", call.getToolName(), call.getCodebase(),
                call.getArgumentsJson().length() > 2000 ? call.getArgumentsJson().substring(0, 2000) + "..."
                        : call.getArgumentsJson());
        return answer != null && answer.strip().toLowerCase(java.util.Locale.ROOT).startsWith("y");
    }

    private static String hostName() {
        String h = System.getenv("HOSTNAME");
        if (h == null || h.isBlank()) {
            try {
                h = java.net.InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                h = "worker";
            }
        }
        return h.replaceAll("[^A-Za-z0-9._-]", "-");
    }
}
