package run.codetether.gateway.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Typed configuration of the gateway-service, prefix {@code codetether.gateway}. */
@ConfigMapping(prefix = "codetether.gateway")
public interface GatewayConfig {

    /** Name of this instance in events and logs, and its private consumer group; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    /** Base URL clients reach this gateway at, used in the agent card; default: the URL each request came in on. */
    Optional<String> publicUrl();

    /**
     * URL clients reach the gRPC binding at (its own server, {@code quarkus.grpc.server.port}, default 9080), used in
     * the agent card; default: the public URL's (or request's) scheme and host with the gRPC server's port. Set it
     * when gRPC is reached through a proxy or another host name.
     */
    Optional<String> grpcPublicUrl();

    /** Largest accepted request body in bytes; larger gets 413 with a JSON error; default 1048576 (1 MiB). */
    @WithDefault("1048576")
    int maxBodyBytes();

    /**
     * Largest request of every A2A call but a message send (GetTask, ListTasks, CancelTask, SubscribeToTask, push
     * configs), on every binding, refused as soon as it passes this (HTTP 413 / JSON-RPC -32600 / gRPC
     * RESOURCE_EXHAUSTED) instead of being read up to a send's limit; at most {@code max-body-bytes}; default 65536
     * (64 KiB).
     */
    @WithDefault("65536")
    int maxRequestBytes();

    /** Longest a blocking SendMessage waits for a final state before answering with the task as it stands; default 60s. */
    @WithDefault("60s")
    Duration blockingTimeout();

    /** Interval of SSE keep-alive comments; default 15s. */
    @WithDefault("15s")
    Duration sseKeepAlive();

    Kafka kafka();

    /** Where this replica keeps the tasks (docs/architecture.md "Task store"). */
    Store store();

    /**
     * The task store: every task on local disk, the tasks in progress and a few recent ones in memory, so the heap
     * does not grow with the number of stored tasks.
     */
    interface Store {
        /**
         * Directory of this replica's store file (created when missing; one gateway process at a time); default
         * {@code <java.io.tmpdir>/codetether-gateway/<instance-id>-<hash of kafka.bootstrap.servers>}. A store that
         * survives a restart makes the restart read only the log's tail; an empty one is filled from
         * {@code tasks.state}.
         */
        Optional<String> dir();

        /** The store's page cache in MiB (its share of the heap); default 16. */
        @WithDefault("16")
        int cacheMb();

        /** Most finished (or waiting) tasks kept in memory beside the ones in progress; default 1000. */
        @WithDefault("1000")
        int cachedTasks();

        /** Most estimated bytes of those tasks; default 33554432 (32 MiB). */
        @WithDefault("33554432")
        long cachedBytes();

        /**
         * Longest one try of a start with an empty store may read {@code tasks.state} (every stored task); a try that
         * runs out is logged and the start tried again from the store's checkpoint; default 4m.
         */
        @WithDefault("4m")
        Duration coldReadTimeout();

        /**
         * How long Quarkus' start waits for the task state before it opens the HTTP port; default 0s: not at all.
         * The task state starts on a thread of its own as the gRPC server starts, both servers answer at once,
         * readiness is DOWN (check {@code task-events}, with what the start is doing) and A2A calls get a retryable
         * UNAVAILABLE until it caught up. The same wait holds for the start-up readers (spend, worker registry, MCP
         * tool catalog: readiness check {@code start-up-readers}). The tests wait (their first request expects the
         * stored tasks).
         */
        @WithDefault("0s")
        Duration startWait();
    }

    /** How an accepted message is written to tasks.events (docs/operations.md "Upgrades"). */
    Accept accept();

    interface Accept {
        /**
         * true: an accept (a new task, or the reply to a task that asked for input) is one tasks.events record, the
         * submitted status carrying the user's message; false: the two records of the releases before it (a start's
         * submitted status then its message, a reply's message then its status), which an older gateway reads whole,
         * where it ignores the one record's message. Set false while gateways of such a release still run (a roll,
         * a possible rollback), then true. Both shapes are read either way; default true.
         */
        @WithDefault("true")
        boolean oneRecord();
    }

    /** The sweep of tasks whose work request never reached tasks.requested (docs/operations.md). */
    Sweep startSweep();

    interface Sweep {
        /**
         * How long a task waits SUBMITTED, its work request (StartTask / ContinueTask for its latest message) not
         * on tasks.requested, before it is closed: a new task REJECTED ("the gateway stopped before the task was
         * handed to a worker; send it again"), a follow-up message back to waiting for input. At least 4x
         * {@code kafka.send-timeout}; 0s turns the sweep off; default 60s.
         */
        @WithDefault("60s")
        Duration after();

        /**
         * The gateways' consumer group on tasks.requested: its members share the partitions out, so each task is
         * judged by one replica; default codetether-gateway-start-sweep.
         */
        @WithDefault("codetether-gateway-start-sweep")
        String group();
    }

    /** What a waiting task's client is told when no agent-service runs (issue 19). */
    NoAgent noAgent();

    interface NoAgent {
        /**
         * How long a SUBMITTED or WORKING task stands still, while agent-service's consumer group has no member,
         * before its status says that no agent is running (the task keeps its state and still runs once an agent
         * starts); 0s turns the notice off; default 30s.
         */
        @WithDefault("30s")
        Duration noticeAfter();

        /** agent-service's consumer group on tasks.requested, whose members are the live agents; default agent-workers. */
        @WithDefault("agent-workers")
        String group();
    }

    Input input();

    Limits limits();

    Auth auth();

    RateLimit rateLimit();

    Push push();

    Streams streams();

    Workspace workspace();

    Tools tools();

    /**
     * Workspace archives (extension workspace/v1, docs/workspaces.md): a message's git bundle or .tar.gz is staged
     * at tools-service before its task is requested, so Kafka carries only its id.
     */
    interface Workspace {
        /**
         * Largest workspace archive in decoded bytes; larger is PAYLOAD_TOO_LARGE (HTTP 413) naming this key; 0
         * refuses archives. The HTTP request body limit grows by this cap's base64 size, so a send can carry one
         * archive; default 33554432 (32 MiB).
         */
        @WithDefault("33554432")
        long maxArchiveBytes();

        /** Longest wait for tools-service to stage one archive (then UNAVAILABLE); default 60s. */
        @WithDefault("60s")
        Duration stageTimeout();
    }

    /** tools-service's gRPC address (for staging workspace archives). */
    interface Tools {
        /** Host of tools-service; default localhost. */
        @WithDefault("localhost")
        String host();

        /** gRPC port of tools-service (its own server, not its HTTP port 8084); default 9084. */
        @WithDefault("9084")
        int port();
    }

    /** Streams (SSE, gRPC server streams) of SendStreamingMessage and SubscribeToTask. */
    interface Streams {
        /**
         * Most bytes of one stream waiting for a slow client (written but not yet taken by its connection; for
         * gRPC, queued while the call is not ready). One more ends the stream with a retryable UNAVAILABLE error
         * event ({@code streamEnded: slow_consumer}) instead of buffering without bound; one item always goes out
         * on an empty backlog; default 4194304 (4 MiB).
         */
        @WithDefault("4194304")
        long maxPendingBytes();
    }

    interface Kafka {
        /** Create the task topics at start when missing; default true. */
        @WithDefault("true")
        boolean createTopics();

        /** Partitions of topics this gateway creates; default 4. */
        @WithDefault("4")
        int partitions();

        /**
         * Longest a client's write (a new task, a cancel) waits for Kafka before the call fails with a retryable
         * UNAVAILABLE (HTTP 503 + Retry-After): a SendMessage during an outage fails fast; default 2s.
         */
        @WithDefault("2s")
        Duration sendTimeout();

        /**
         * How long a task still submitted or working waits for a later change before its {@code tasks.state}
         * record is written (ended or waiting tasks are written at the end of the reader's poll): a task that ends
         * within it costs one state record. A cold restart reads the log's events again from the oldest task not
         * written; the reader's committed position lags by about this much; default 1s.
         */
        @WithDefault("1s")
        Duration stateHold();

        /** Longest start-up waits to rebuild task state from Kafka; default 60s. */
        @WithDefault("60s")
        Duration catchUpTimeout();
    }

    /** What one message may carry (checked on every binding before anything is written). */
    interface Input {
        /** Most parts one message may have; more is INVALID_PARAMS; default 100. */
        @WithDefault("100")
        int maxParts();

        /**
         * Largest part in bytes (a text's UTF-8, a file's decoded bytes or URL, a data part's JSON); larger is
         * INVALID_PARAMS naming the part; default 524288 (512 KiB).
         */
        @WithDefault("524288")
        long maxPartBytes();

        /**
         * Skills agent-service runs beyond the card's (coding-agent, swarm, ralph, rlm): other values of
         * {@code metadata.skill} are INVALID_PARAMS; default none.
         */
        Optional<List<String>> extraSkills();
    }

    /** Admission control from in-flight work (SUBMITTED or WORKING tasks), on every binding. */
    interface Limits {
        /**
         * Most tasks one client may have submitted or working at once; one more is TOO_MANY_TASKS (HTTP 429,
         * JSON-RPC -31005, gRPC RESOURCE_EXHAUSTED, each with a retry hint). This cap keeps one client's flood from
         * starving the others; 0 disables it; default 500.
         */
        @WithDefault("500")
        int maxInFlightPerClient();

        /** Most tasks submitted or working at once over all clients (0 disables the cap); default 5000. */
        @WithDefault("5000")
        int maxInFlight();

        /**
         * Largest ListTasks page in bytes (estimated from what the tasks' parts carry): a page ends before it grows
         * past this (it always holds at least one task) and its next page token continues; default 4194304 (4 MiB).
         */
        @WithDefault("4194304")
        long maxPageBytes();

        /**
         * Most history messages one task in a response carries (GetTask, SendMessage, CancelTask, ListTasks, the
         * first item of a stream): the newest; a larger {@code historyLength} is capped to it and the task's
         * metadata {@code truncated.history_omitted} counts the rest; default 100.
         */
        @WithDefault("100")
        int maxHistoryLength();

        /**
         * Most artifacts one task in a response carries: the newest; {@code truncated.artifacts_omitted} counts
         * the rest; default 100.
         */
        @WithDefault("100")
        int maxArtifacts();

        /**
         * About how many bytes one task in a response (and one item of a stream) may take, estimated from what its
         * parts carry: larger parts are cut to a common size, each keeping its head and ending with a marker
         * (part metadata {@code truncated}, task metadata {@code truncated.parts_cut}); default 2097152 (2 MiB).
         */
        @WithDefault("2097152")
        long maxTaskBytes();

        /** The retry hint of an in-flight refusal (Retry-After, RetryInfo, data.retryAfterSeconds); default 1s. */
        @WithDefault("1s")
        Duration retryAfter();
    }

    interface Auth {
        /** Serve without authentication (the operator opens the gateway explicitly); default false. */
        @WithDefault("false")
        boolean open();

        /**
         * Accepted API keys / bearer tokens, each {@code client:secret} or a bare secret; no default. With auth
         * closed and no key the gateway refuses to start.
         */
        Optional<List<String>> apiKeys();

        /**
         * The tenants each client id (of an API key or a JWT) may act in, {@code tenants.<client-id>=acme,globex}:
         * the first is the tenant of a task whose request names none; naming another tenant is PERMISSION_DENIED on
         * every door (docs/a2a.md "Tenants"). A client without an entry is bound to tenant {@code default} only.
         * {@code codetether.gateway.stats.tenants.*} is the older name of the same map; default no entries.
         */
        Map<String, List<String>> tenants();

        /**
         * Client ids that may name any tenant (and read every tenant's spend); their own entry in {@code tenants}, if
         * any, gives their default tenant. {@code codetether.gateway.stats.admin-clients} is the older name; default
         * none.
         */
        Optional<List<String>> adminClients();

        /**
         * A properties file of tenant bindings re-read while the gateway runs (docs/a2a.md "Tenants"):
         * {@code tenants.<client-id>=acme,globex} and {@code admin-clients=ops}, the same entries as above; its entry
         * of a client replaces the configured one, its admin clients are added. A missing file has no entries; a bad
         * one fails the start, and while running is logged and left out (the binding in force stays); default none
         * (the binding is read at start only).
         */
        Optional<Path> tenantsFile();

        /** How often {@code tenants-file} is re-read (a change applies to every door within this); default 5s. */
        @WithDefault("5s")
        Duration tenantsFileInterval();

        /** Bearer JWTs from an identity provider (OIDC); off unless issuer, audience and a JWKS are set. */
        Jwt jwt();
    }

    interface Jwt {
        /** Required {@code iss} of accepted tokens (e.g. the OIDC issuer URL); no default. */
        Optional<String> issuer();

        /** Accepted {@code aud} values (a token needs one of them); no default. */
        Optional<List<String>> audience();

        /** Verification keys: a JWKS document URL (e.g. the provider's {@code jwks_uri}); no default. */
        Optional<String> jwksUrl();

        /** Verification keys: a JWKS file (read at start; alternative to jwks-url); no default. */
        Optional<String> jwksFile();

        /** Claim whose value becomes the caller's client id (task owner); default {@code sub}. */
        @WithDefault("sub")
        String clientClaim();

        /** Allowed clock difference for exp / nbf; default 60s. */
        @WithDefault("60s")
        Duration clockSkew();

        /** How long a fetched JWKS is cached (an unknown kid refetches sooner, rate-limited); default 5m. */
        @WithDefault("5m")
        Duration jwksCacheTtl();

        /** Connect/read timeout of a JWKS fetch; default 5s. */
        @WithDefault("5s")
        Duration jwksTimeout();
    }

    interface RateLimit {
        /** Sustained requests per second per client (0 disables the limit); default 100. */
        @WithDefault("100")
        double requestsPerSecond();

        /** Burst size per client; default 200. */
        @WithDefault("200")
        int burst();
    }

    interface Push {
        /** Accept push notification configs and deliver webhooks; default true. */
        @WithDefault("true")
        boolean enabled();

        /** Allow webhook URLs to loopback, private and link-local addresses (tests, trusted networks); default false. */
        @WithDefault("false")
        boolean allowPrivateTargets();

        /** Delivery attempts per notification before it is dropped; default 6. */
        @WithDefault("6")
        int maxAttempts();

        /** Delay before the first retry (scheduled, no thread waits); doubles per attempt; default 1s. */
        @WithDefault("1s")
        Duration initialBackoff();

        /** Timeout of one webhook request; default 10s. */
        @WithDefault("10s")
        Duration timeout();

        /**
         * Most notifications waiting for delivery (in flight or for a retry) on this replica: one more is dropped,
         * logged and counted ({@code codetether_gateway_push_dropped_total{reason="queue_full"}}); default 10000.
         */
        @WithDefault("10000")
        int maxQueued();
    }
}
