package run.codetether.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The platform one e2e class runs against, as processes on loopback: each class says what differs (env, system
 * properties, which services), this says the rest once. Services start without waiting for each other, except the
 * agent, which needs tools-service's gRPC port and so waits for it; {@link #awaitReady} then waits for all. Everything
 * started or handed over is stopped by {@link #close} in the reverse order, each part once, even when a start failed
 * halfway, and a failure to stop one part does not leave the others running.
 *
 * <p>A drill kills a part itself ({@link ServiceProcess#kill}, {@link BrokerProcess#kill}) and hands it back to
 * {@link #restart(ServiceProcess)} / {@link #restart(BrokerProcess, Duration)}: the new process takes the killed
 * one's place in the stop order, so it is stopped once, where the killed one would have been. A part a test stops
 * early (an agent restarted under its id) goes through {@link #stop}, and is not stopped again.
 */
final class LocalPlatform implements AutoCloseable {
    /** In start order; {@link #close} stops them from the last. */
    private final List<AutoCloseable> parts = new ArrayList<>();
    private final List<ServiceProcess> services = new ArrayList<>();

    /** Stops {@code part} with the platform (a scripted model, an MCP server, a git daemon) and returns it. */
    synchronized <T extends AutoCloseable> T own(T part) {
        parts.add(part);
        return part;
    }

    /** Starts a service's packaged jar (not waiting for it) and stops it with the platform. */
    ServiceProcess start(String module, Map<String, String> env, String... systemProperties) throws Exception {
        return service(ServiceProcess.start(module, env, systemProperties));
    }

    private synchronized ServiceProcess service(ServiceProcess p) {
        services.add(own(p));
        return p;
    }

    /** A broker of its own in a process ({@link BrokerProcess}), data under {@code dataDir}; returns once it serves. */
    BrokerProcess broker(Path dataDir, Duration timeout) throws Exception {
        return own(BrokerProcess.start(dataDir, timeout));
    }

    /**
     * The killed service again on its ports, environment and system properties ({@link ServiceProcess#restart}), in
     * its place: stopped with the platform instead of it. Does not wait for it to be ready.
     */
    synchronized ServiceProcess restart(ServiceProcess killed) throws Exception {
        ServiceProcess fresh = ServiceProcess.restart(killed);
        replace(killed, fresh);
        services.set(services.indexOf(killed), fresh);
        return fresh;
    }

    /** The killed broker again on its ports and data ({@link BrokerProcess#restart}), in its place. */
    synchronized BrokerProcess restart(BrokerProcess killed, Duration timeout) throws Exception {
        BrokerProcess fresh = BrokerProcess.restart(killed, timeout);
        replace(killed, fresh);
        return fresh;
    }

    /** Stops {@code part} now (gracefully); the platform will not stop it again. */
    void stop(AutoCloseable part) throws Exception {
        synchronized (this) {
            if (!parts.remove(part)) {
                throw new IllegalArgumentException(part + " is not a part of this platform");
            }
            services.remove(part);
        }
        part.close();
    }

    private void replace(AutoCloseable old, AutoCloseable fresh) {
        int at = parts.indexOf(old);
        if (at < 0) {
            throw new IllegalArgumentException(old + " is not a part of this platform");
        }
        parts.set(at, fresh);
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
        return agent(kafka, llmBaseUrl, tools, scratch, Map.of(), systemProperties);
    }

    /** An agent worker as {@link #agent(String, String, ServiceProcess, Path, String...)}, plus {@code env}. */
    ServiceProcess agent(String kafka, String llmBaseUrl, ServiceProcess tools, Path scratch, Map<String, String> env,
            String... systemProperties) throws Exception {
        tools.awaitReady(Duration.ofSeconds(120));
        return service(ServiceProcess.startAgent(kafka, llmBaseUrl, tools, scratch, env, systemProperties));
    }

    /** Waits for every service started so far. */
    LocalPlatform awaitReady(Duration each) throws Exception {
        List<ServiceProcess> started;
        synchronized (this) {
            started = List.copyOf(services);
        }
        for (ServiceProcess p : started) {
            p.awaitReady(each);
        }
        return this;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        while (true) {
            AutoCloseable last;
            synchronized (this) {
                if (parts.isEmpty()) {
                    break;
                }
                last = parts.remove(parts.size() - 1);
            }
            try {
                last.close();
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
