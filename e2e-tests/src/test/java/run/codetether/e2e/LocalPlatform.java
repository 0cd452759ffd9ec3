package run.codetether.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform one e2e class runs against, as processes on loopback: each class says what differs (env, system
 * properties, which services), this says the rest once. Services start without waiting for each other, except the
 * agent, which needs tools-service's gRPC port and so waits for it; {@link #awaitReady} then waits for all. Everything
 * started or handed over is stopped by {@link #close} in the reverse order, each part once, even when a start failed
 * halfway, and a failure to stop one part does not leave the others running.
 */
final class LocalPlatform implements AutoCloseable {
    private final Deque<AutoCloseable> parts = new ArrayDeque<>();
    private final List<ServiceProcess> services = new ArrayList<>();

    /** Stops {@code part} with the platform (a scripted model, an MCP server, a git daemon) and returns it. */
    <T extends AutoCloseable> T own(T part) {
        parts.push(part);
        return part;
    }

    /** Starts a service's packaged jar (not waiting for it) and stops it with the platform. */
    ServiceProcess start(String module, Map<String, String> env, String... systemProperties) throws Exception {
        ServiceProcess p = own(ServiceProcess.start(module, env, systemProperties));
        services.add(p);
        return p;
    }

    /** tools-service with its workspaces under {@code workspaces}, plus {@code env}. */
    ServiceProcess tools(Path workspaces, Map<String, String> env) throws Exception {
        return start("tools-service", with(env, "CODETETHER_TOOLS_WORKSPACE_ROOT", workspaces.toString()));
    }

    /** A gateway on the broker {@code kafka}, plus {@code env}. */
    ServiceProcess gateway(String kafka, Map<String, String> env, String... systemProperties) throws Exception {
        return start("gateway-service", with(env, "CODETETHER_KAFKA_BOOTSTRAP", kafka), systemProperties);
    }

    /** swarm-service planning with the scripted model at {@code llmBaseUrl}, cognition off. */
    ServiceProcess swarm(String kafka, String llmBaseUrl) throws Exception {
        return start("swarm-service", Map.of(
                "CODETETHER_KAFKA_BOOTSTRAP", kafka,
                "CODETETHER_LOCAL_BASE_URL", llmBaseUrl,
                "CODETETHER_LOCAL_MODEL", "scripted-planner",
                "CODETETHER_COGNITION_AUTO_START", "false"));
    }

    /** An agent worker ({@link ServiceProcess#startAgent}); waits for {@code tools} first, whose port it needs. */
    ServiceProcess agent(String kafka, String llmBaseUrl, ServiceProcess tools, Path scratch,
            String... systemProperties) throws Exception {
        tools.awaitReady(Duration.ofSeconds(120));
        ServiceProcess p = own(ServiceProcess.startAgent(kafka, llmBaseUrl, tools, scratch, systemProperties));
        services.add(p);
        return p;
    }

    /** Waits for every service started so far. */
    LocalPlatform awaitReady(Duration each) throws Exception {
        for (ServiceProcess p : services) {
            p.awaitReady(each);
        }
        return this;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (!parts.isEmpty()) {
            try {
                parts.pop().close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> all = new HashMap<>(env);
        all.put(key, value);
        return Map.copyOf(all);
    }
}
