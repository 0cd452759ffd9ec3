package run.codetether.agent.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed configuration of the agent-service, prefix {@code codetether.agent}. */
@ConfigMapping(prefix = "codetether.agent")
public interface AgentConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    /** Start the Kafka worker at boot; default true. */
    @WithDefault("true")
    boolean workerEnabled();

    /** Consumer group of tasks.requested; default {@code agent-workers}. */
    @WithDefault("agent-workers")
    String workerGroup();

    /** Tasks running at once in this pod; default 64. */
    @WithDefault("64")
    int maxConcurrentTasks();

    /** Model calls per task before it fails; default 50. */
    @WithDefault("50")
    int maxSteps();

    /** Wall-clock budget of one run of a task; default 30m. */
    @WithDefault("30m")
    Duration taskTimeout();

    /** Limit of one tool call; default 5m. */
    @WithDefault("5m")
    Duration toolTimeout();

    /** Fraction of the context window at which older turns are compacted; default 0.8. */
    @WithDefault("0.8")
    double compactAt();

    /** Messages kept verbatim after a compaction; default 8. */
    @WithDefault("8")
    int keepRecentMessages();

    /**
     * How long a model turn's first answer text waits before it goes out as a chunk of the answer artifact; an
     * answer finished within it goes out only with the final status (one tasks.events record less); 0 sends it at
     * once. Default 25ms (docs/configuration.md).
     */
    @WithDefault("25ms")
    Duration firstChunkHold();

    /** Where the skill tool looks for skills; default ~/.codetether/skills. */
    Optional<String> skillsDir();

    /** Provider used when a task names none; default: local if configured, else the first with a key. */
    Optional<String> defaultProvider();

    /**
     * Local secrets file (written by {@code codetether auth add}); default the platform rule ({@code SecretsPath}):
     * CODETETHER_SECRETS_FILE, else $XDG_CONFIG_HOME/codetether/secrets.json, else ~/.config/codetether/secrets.json.
     */
    Optional<String> secretsFile();

    /** How long a key read from Vault or the file is reused; default 5m. */
    @WithDefault("5m")
    Duration secretsCacheTtl();

    /** Retries of a provider call on 429/5xx; default 3. */
    @WithDefault("3")
    int providerMaxRetries();

    /** Longest wait between retries (caps Retry-After); default 60s. */
    @WithDefault("60s")
    Duration providerMaxRetryWait();

    /**
     * Contexts the session key index holds (about 150 bytes each) before loads of contexts this replica has not seen
     * fall back to scanning their partition; default 200000.
     */
    @WithDefault("200000")
    int sessionIndexMaxKeys();

    /**
     * How long a session load waits for the key index to reach the partition's end and for the records it names to
     * be read, before the load (and so the run) fails with a message naming the partition; default 30s.
     */
    @WithDefault("30s")
    Duration sessionIndexWait();

    /** Ralph, the PRD-driven loop (ralph tool, skill=ralph). */
    Ralph ralph();

    /** tools-service gRPC endpoint. */
    Tools tools();

    /** Kafka client timing: crash takeover and outage tolerance. */
    Kafka kafka();

    /** router-service gRPC endpoint. */
    Router router();

    /** Vault layout of provider keys. */
    Vault vault();

    /** RLM (recursive language model): the rlm tool, the rlm skill and oversized tool-output routing. */
    Rlm rlm();

    /** The {@code swarm} tool. */
    Swarm swarm();

    /** Task workspaces (tools-service's PrepareWorkspace, GetChanges, CommitChanges, PushChanges). */
    Workspace workspace();

    interface Workspace {
        /** Deadline of one workspace call (a clone, a push); default 10m. */
        @WithDefault("10m")
        Duration timeout();

        /** Author name of the commits the agent makes (a push, Ralph's stories); default: tools-service's git.author-name. */
        Optional<String> authorName();

        /** Author e-mail of those commits; default: tools-service's git.author-email. Used only with author-name. */
        Optional<String> authorEmail();

        /**
         * Largest diff the {@code changes} artifact carries (a larger one is left out, its stats stay); default 4194304
         * (4 MiB; the task's events and state records are at most 8 MiB).
         */
        @WithDefault("4194304")
        int maxDiffArtifactBytes();
    }

    /** MCP servers whose tools the agent offers as {@code mcp__<server>__<tool>} (docs/mcp.md). */
    Mcp mcp();

    interface Tools {
        /** Host; default localhost (env CODETETHER_AGENT_TOOLS_HOST). */
        @WithDefault("localhost")
        String host();

        /**
         * tools-service's gRPC port (its own gRPC server, not its HTTP port 8084); default 9084 (env
         * CODETETHER_AGENT_TOOLS_PORT).
         */
        @WithDefault("9084")
        int port();

        /**
         * How long a call cut off by tools-service going away (UNAVAILABLE, a stream cut without a result) is repeated
         * under the same call id while tools-service restarts; after that the model is told the call was INTERRUPTED.
         * Default 2m (a pod restart and boot).
         */
        @WithDefault("2m")
        Duration retryFor();

        /** First wait between those repeats, doubling up to {@code retry-max-backoff}; default 200ms. */
        @WithDefault("200ms")
        Duration retryBackoff();

        /** Longest wait between those repeats; default 5s. */
        @WithDefault("5s")
        Duration retryMaxBackoff();
    }

    interface Kafka {
        /**
         * Task consumer's session timeout: a crashed worker's tasks move to another after about this long plus one
         * heartbeat and a rebalance (under 5 s in all); default 3s. The brokers' group.min.session.timeout.ms must
         * allow it (Kafka's default is 6000): a broker that refuses it makes the worker join with 6s (then 45s) and
         * log an error saying so. Kafka's own consumer default, 45s, is what issue 19 measured.
         */
        @WithDefault("3s")
        Duration sessionTimeout();

        /**
         * Task consumer's heartbeat interval, below the session timeout; it also bounds how soon the surviving
         * workers learn of a crashed one; default 500ms.
         */
        @WithDefault("500ms")
        Duration heartbeatInterval();

        /** How long producers (task events, sessions) retry through a broker outage before a send fails; default 5m. */
        @WithDefault("5m")
        Duration deliveryTimeout();

        /** How long a send waits for broker metadata (a broker that is down) before it fails; default 5m. */
        @WithDefault("5m")
        Duration maxBlock();
    }

    interface Router {
        /**
         * Ask the router when a text-only reply looks like a call; default false, as router-service's model (both
         * read env CODETETHER_TOOL_ROUTER_ENABLED, so one switch turns the pair on).
         */
        @WithDefault("false")
        boolean enabled();

        /** Host; default localhost (env CODETETHER_AGENT_ROUTER_HOST). */
        @WithDefault("localhost")
        String host();

        /**
         * router-service's gRPC port (its own gRPC server, not its HTTP port 8082); default 9082 (env
         * CODETETHER_AGENT_ROUTER_PORT).
         */
        @WithDefault("9082")
        int port();

        /** Deadline of one Route call; default 5s. */
        @WithDefault("5s")
        Duration timeout();
    }

    interface Ralph {
        /** Iterations of a run that names no max_iterations; default 10 (the original's). */
        @WithDefault("10")
        int maxIterations();

        /** Limit of one quality-check command; default 5m (also capped by tool-timeout). */
        @WithDefault("5m")
        Duration checkTimeout();

        /** Characters from the end of progress.txt an iteration gets as memory; default 20000. */
        @WithDefault("20000")
        int progressChars();
    }

    interface Vault {
        /** Path under the KV mount; default codetether/providers (env VAULT_SECRETS_PATH). */
        @WithDefault("codetether/providers")
        String secretsPath();
    }

    interface Rlm {
        /** Route oversized read_file/glob/grep/bash/search outputs through RLM; default false (as the original's loop). */
        @WithDefault("false")
        boolean routeToolOutput();

        /** Routing mode when route-tool-output is on: auto, always or off; default auto. */
        @WithDefault("auto")
        String mode();

        /** Fraction of the context window above which an output is routed (auto); default 0.35. */
        @WithDefault("0.35")
        double threshold();

        /** Model calls of one RLM analysis; default 15. */
        @WithDefault("15")
        int maxIterations();

        /** Sub-LLM calls of one RLM run, all depths; default 50. */
        @WithDefault("50")
        int maxSubcalls();

        /** Deepest nesting of analyses (the tool's max_depth may lower it); default 3. */
        @WithDefault("3")
        int maxDepth();

        /** Longest command output the model reads in one step; default 8000 chars. */
        @WithDefault("8000")
        int stepOutputChars();

        /** Longest context of a plain sub-LLM call (longer is analysed recursively); default 8000 chars. */
        @WithDefault("8000")
        int subcallContextChars();

        /** Most content one RLM run loads; default 20000000 chars. */
        @WithDefault("20000000")
        int maxContentChars();
    }

    interface Swarm {
        /** Offer the swarm tool to the model; default true (env CODETETHER_AGENT_SWARM_ENABLED). */
        @WithDefault("true")
        boolean enabled();

        /** How long the tool waits for a swarm when the call names no timeout_secs; default 10m. */
        @WithDefault("10m")
        Duration timeout();

        /** Ended swarms remembered so a late or resumed call finds its result; default 1000. */
        @WithDefault("1000")
        int rememberFinished();
    }

    /** MCP servers (docs/mcp.md): configured per tenant, and per task when a tenant may name its own. */
    interface Mcp {

        /** Servers by name ({@code codetether.agent.mcp.servers.<name>.*}); default none. */
        Map<String, Server> servers();

        /** Servers a task names in {@code metadata.mcp_servers}. */
        TaskServers taskServers();

        /** Limit for listing a task's MCP tools, start-up of every server included; default 60s. */
        @WithDefault("60s")
        Duration listTimeout();

        /** How long a session's listing is reused before tools-service is asked again; default 60s. */
        @WithDefault("60s")
        Duration listCache();

        /**
         * How often the configured servers are listed again and published on the {@code mcp.tools} topic (what
         * {@code GET /v1/mcp/tools} and {@code codetether mcp list-tools} show); also at every start; default 5m.
         */
        @WithDefault("5m")
        Duration catalogRefresh();

        /** One configured MCP server: exactly one of {@code command} (stdio, in the sandbox) and {@code url}. */
        interface Server {

            /** Tenants that get this server ({@code *} or absent: every tenant; a task without one is "default"). */
            Optional<List<String>> tenants();

            /** Whether the server is offered at all; default true. */
            @WithDefault("true")
            boolean enabled();

            /** stdio: the command, run in the task's sandbox (workspace as cwd); default none. */
            Optional<String> command();

            /** stdio: its arguments (comma-separated; escape a comma as \,); default none. */
            Optional<List<String>> args();

            /** stdio: plain environment variables ({@code env.<NAME>=value}); default none. */
            Map<String, String> env();

            /** stdio: environment variables filled from the same-named fields of the server's secret; default none. */
            Optional<List<String>> secretEnv();

            /** stdio: what the server's own egress proxy lets it reach (host, host:port, *.suffix); default nothing. */
            Optional<List<String>> allowedHosts();

            /** http: the streamable HTTP endpoint (https, or http to an IP literal); default none. */
            Optional<String> url();

            /** http: plain request headers ({@code headers.<Name>=value}); default none. */
            Map<String, String> headers();

            /** http: headers filled from the same-named fields of the server's secret (e.g. Authorization); default none. */
            Optional<List<String>> secretHeaders();

            /** Key of the secret mcp:<key> (Vault codetether/mcp/<key> or the secrets file); default the server name. */
            Optional<String> secret();
        }

        /** Per-task servers ({@code metadata.mcp_servers}). */
        interface TaskServers {

            /** Tenants that may name their own servers ({@code *}: every tenant); default none. */
            Optional<List<String>> tenants();

            /** The most a per-task server may reach (host, host:port, *.suffix); default nothing. */
            Optional<List<String>> allowedHosts();
        }
    }
}
