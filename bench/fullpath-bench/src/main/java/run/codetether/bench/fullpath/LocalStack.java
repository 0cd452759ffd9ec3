package run.codetether.bench.fullpath;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import run.codetether.bench.support.Children;
import run.codetether.bench.support.Ports;
import run.codetether.bench.support.Readiness;

/**
 * The local stack as {@code ./codetether up} starts it (launcher {@code start_kafka} / {@code start_service}): the
 * local broker process, then tools-, router-, agent-, swarm- and gateway-service from their packaged jars with
 * profile {@code local}, the launcher's JVM options and heaps, one state directory; every port a free loopback one
 * instead of the defaults, and the model the scripted one. Two deliberate differences, both printed with the
 * results: the gateway's per-client rate limit is off (wrk is one client; the limit is policy, not the path's cost)
 * and no secrets file of the user's is read.
 */
final class LocalStack {
    /** The processes of the stack, by part name, in the order the CPU table prints them. */
    private final Map<String, Long> pids = new LinkedHashMap<>();
    private final int gatewayPort;
    private final String bootstrapServers;

    private LocalStack(int gatewayPort, String bootstrapServers) {
        this.gatewayPort = gatewayPort;
        this.bootstrapServers = bootstrapServers;
    }

    String bootstrapServers() {
        return bootstrapServers;
    }

    String gatewayUrl() {
        return "http://127.0.0.1:" + gatewayPort + "/";
    }

    Map<String, Long> pids() {
        return pids;
    }

    static LocalStack start(Options o, Children children, String modelBaseUrl) {
        Path state = o.runDir().resolve("state");
        int kafkaPort = Ports.freeLoopbackPort();
        int controllerPort = Ports.freeLoopbackPort();
        List<String> kafkaCommand = new ArrayList<>(List.of(Children.java(), "-Xmx256m", "-XX:+UseSerialGC",
                "-Dlog4j2.level=WARN"));
        o.brokerSettings().forEach((k, v) -> kafkaCommand.add("-Dcodetether.kafka.broker." + k + "=" + v));
        kafkaCommand.addAll(List.of("-cp", System.getProperty("java.class.path"),
                "run.codetether.fixtures.kafka.LocalKafkaMain", o.runDir().resolve("kafka").toString(),
                String.valueOf(kafkaPort), String.valueOf(controllerPort), String.valueOf(o.partitions())));
        Children.Child kafka = children.start("kafka", List.copyOf(kafkaCommand), Map.of(), null);
        Readiness.awaitLogLine(kafka, "KAFKA READY", Duration.ofSeconds(120));

        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String part : List.of("tools", "router", "agent", "swarm", "gateway")) {
            ports.put(part, Ports.freeLoopbackPort());
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("CODETETHER_KAFKA_BOOTSTRAP", "127.0.0.1:" + kafkaPort);
        env.put("CODETETHER_LOCAL_BASE_URL", modelBaseUrl);
        env.put("CODETETHER_LOCAL_MODEL", "scripted-coder");
        // tools, router and gateway serve gRPC on servers of their own (docs/operations.md "GOAWAY")
        String toolsGrpcPort = String.valueOf(Ports.freeLoopbackPort());
        Map<String, String> grpcPorts = Map.of("tools", toolsGrpcPort,
                "router", String.valueOf(Ports.freeLoopbackPort()),
                "gateway", String.valueOf(Ports.freeLoopbackPort()));
        env.put("CODETETHER_AGENT_TOOLS_PORT", toolsGrpcPort);
        env.put("CODETETHER_AGENT_ROUTER_PORT", grpcPorts.get("router"));
        env.put("CODETETHER_GATEWAY_TOOLS_PORT", toolsGrpcPort);
        // the user's provider keys stay out of a benchmark
        env.put("CODETETHER_SECRETS_FILE", o.runDir().resolve("no-secrets.json").toString());
        env.put("XDG_CONFIG_HOME", o.runDir().resolve("config").toString());
        env.putAll(o.serviceEnv());

        LocalStack stack = new LocalStack(ports.get("gateway"), "127.0.0.1:" + kafkaPort);
        stack.pids.put("kafka", kafka.pid());
        List<Children.Child> services = new ArrayList<>();
        for (Map.Entry<String, Integer> p : ports.entrySet()) {
            String part = p.getKey();
            List<String> jvm = new ArrayList<>();
            jvm.add(part.equals("router") ? "-Xmx1g" : "-Xmx256m");
            jvm.addAll(o.jvmOptions());
            Map<String, String> props = new LinkedHashMap<>();
            props.put("quarkus.profile", "local");
            props.put("codetether.local.state-dir", state.toString());
            if (grpcPorts.containsKey(part)) {
                props.put("quarkus.grpc.server.port", grpcPorts.get(part));
            }
            if (part.equals("agent") && o.hops() > 0) {
                // the intake's line per task: when it fetched the request and dispatched the run (Hops)
                props.put("quarkus.log.category.\"run.codetether.agent.infra.kafka.KafkaTaskIntake\".level", "DEBUG");
            }
            if (part.equals("gateway") && o.hops() > 0) {
                // the reader's line per finished task: when its poll returned the end and when it was folded (Hops)
                props.put("quarkus.log.category.\"run.codetether.gateway.infra.kafka.KafkaTaskStateSync\".level",
                        "DEBUG");
            }
            if (part.equals("gateway")) {
                props.put("codetether.gateway.rate-limit.requests-per-second", "0");
                props.put("codetether.gateway.store.dir", state.resolve("gateway-store").toString());
                for (String other : List.of("agent", "router", "swarm", "tools")) {
                    props.put("codetether.gateway.dashboard.services." + other + ".url",
                            "http://127.0.0.1:" + ports.get(other));
                }
            }
            Children.Child c = children.quarkusJar(o.root(), part + "-service", part, p.getValue(), jvm, props, env);
            services.add(c);
            stack.pids.put(part, c.pid());
        }
        for (Children.Child c : services) {
            Readiness.awaitHealthReady(c, ports.get(c.name()), Duration.ofSeconds(240));
        }
        return stack;
    }
}
