package run.codetether.tools.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/** Typed configuration of the tools-service, prefix {@code codetether.tools}. */
@ConfigMapping(prefix = "codetether.tools")
public interface ToolsConfig {

    /** Name of this instance in events and logs; default: the host name. */
    @WithDefault("${HOSTNAME:local}")
    String instanceId();

    /** Directory holding one workspace per session; default {@code /var/lib/codetether/workspaces}. */
    @WithDefault("/var/lib/codetether/workspaces")
    Path workspaceRoot();

    /** bash timeout when the call names none; default 120 s (the original's default). */
    @WithDefault("120s")
    Duration defaultTimeout();

    /** Upper bound for any call's wall-clock time; default 600 s. */
    @WithDefault("600s")
    Duration maxTimeout();

    /** Bytes of command output kept in a result; the rest is counted and dropped; default 50000 (as the original). */
    @WithDefault("50000")
    int outputCapBytes();

    /** Largest file text tools read or edit whole; default 10 MiB. */
    @WithDefault("10485760")
    long maxTextBytes();

    /** Largest read_file output in characters; default 200000. */
    @WithDefault("200000")
    int readMaxChars();

    /** Largest file grep searches (bigger files are skipped); default 10 MiB. */
    @WithDefault("10485760")
    long grepMaxFileBytes();

    /**
     * Threads of the pool every grep and codesearch shares; default two per core, between 2 and 16 (a search is
     * mostly stat/open/read system calls, so a thread waiting on a cold page cache leaves its core to another).
     */
    OptionalInt grepThreads();

    /** Largest image the image tool encodes; default 5 MiB. */
    @WithDefault("5242880")
    long imageMaxBytes();

    /** Edit-history entries kept per session for undo; default 100. */
    @WithDefault("100")
    int historySize();

    /** Call results kept per session for idempotent replay; default 1000. */
    @WithDefault("1000")
    int idempotencyMaxPerSession();

    Sandbox sandbox();

    Web web();

    Lsp lsp();

    Git git();

    Archive archive();

    Egress egress();

    Mcp mcp();

    /** The command sandbox. */
    interface Sandbox {

        /** Run commands under bubblewrap; false runs them on the host (logged loudly); default true. */
        @WithDefault("true")
        boolean enabled();

        /** bubblewrap executable (name on PATH or absolute path); default {@code bwrap}. */
        @WithDefault("bwrap")
        String bwrapPath();

        /** CPU seconds per command (RLIMIT_CPU); default 120. */
        @WithDefault("120")
        long cpuSeconds();

        /** Address-space bytes per process (RLIMIT_AS); default 8 GiB (JVMs and node reserve a lot). */
        @WithDefault("8589934592")
        long memoryBytes();

        /** Processes/threads per command (pids cgroup, where writable); default 512. */
        @WithDefault("512")
        int maxProcesses();

        /** Largest file a command may write (RLIMIT_FSIZE); default 1 GiB. */
        @WithDefault("1073741824")
        long fileSizeBytes();

        /** Open files per process (RLIMIT_NOFILE); default 1024. */
        @WithDefault("1024")
        int openFiles();

        /** Output after which a flooding command is killed; default 64 MiB. */
        @WithDefault("67108864")
        long outputKillBytes();

        /** Emptied pids cgroups kept for reuse (creating one costs milliseconds); default 64. */
        @WithDefault("64")
        int cgroupPoolSize();
    }

    /** webfetch/websearch egress. */
    interface Web {

        /** Whether webfetch and websearch may reach the network at all; default false. */
        @WithDefault("false")
        boolean enabled();

        /** Host names (or {@code *.suffix}) that may be fetched; empty refuses all; default empty. */
        Optional<List<String>> allowlist();

        /** Largest response body read; default 5 MiB. */
        @WithDefault("5242880")
        int maxBytes();

        /** Per-request timeout; default 30 s. */
        @WithDefault("30s")
        Duration timeout();

        /** Search URL with {@code {query}}; default DuckDuckGo's HTML endpoint (its host must be allow-listed). */
        @WithDefault("https://html.duckduckgo.com/html/?q={query}")
        String searchUrl();
    }

    /** Language servers for the lsp tool. */
    interface Lsp {

        /** {@code extension=command} pairs; default TypeScript/JavaScript, Python, Rust and Go servers. */
        @WithDefault("ts=typescript-language-server --stdio,tsx=typescript-language-server --stdio,"
                + "js=typescript-language-server --stdio,jsx=typescript-language-server --stdio,"
                + "py=pyright-langserver --stdio,rs=rust-analyzer,go=gopls")
        List<String> servers();

        /** Extra directories put on the sandboxed server's PATH (e.g. a node_modules/.bin); default none. */
        Optional<List<String>> extraPath();

        /** Time for one lsp call, including server start-up; default 60 s. */
        @WithDefault("60s")
        Duration timeout();
    }

    /** Git workspaces: cloning, credentials, diffs, pushes (git runs on the host, never in the sandbox). */
    interface Git {

        /** git executable; default {@code git}. */
        @WithDefault("git")
        String path();

        /**
         * Hosts git may fetch from and push to ({@code host}, {@code host:port}, {@code *.suffix}); env
         * CODETETHER_TOOLS_GIT_ALLOWED_HOSTS; default empty (no remote allowed).
         */
        Optional<List<String>> allowedHosts();

        /** Allow loopback remotes without listing them (the local stack and tests); default false. */
        @WithDefault("false")
        boolean allowLoopback();

        /** History depth of a clone when the request names none (0 = full history); default 1. */
        @WithDefault("1")
        int defaultDepth();

        /** Limit for one git command (fetch, push, diff); default 10 minutes. */
        @WithDefault("10m")
        Duration timeout();

        /** Author and committer name of commits made here when the caller names none; default CodeTether. */
        @WithDefault("CodeTether")
        String authorName();

        /** Author and committer email when the caller names none; default codetether@localhost. */
        @WithDefault("codetether@localhost")
        String authorEmail();

        /** Largest diff GetChanges returns; default 64 MiB. */
        @WithDefault("67108864")
        long maxDiffBytes();

        /** Vault KV v2 path (below the mount) with one secret per host; default codetether/git. */
        @WithDefault("codetether/git")
        String vaultPath();

        /**
         * Local secrets file (its {@code git} object, one entry per host); default the platform rule:
         * CODETETHER_SECRETS_FILE, else $XDG_CONFIG_HOME/codetether/secrets.json, else ~/.config/codetether/secrets.json.
         */
        Optional<String> secretsFile();

        /** Extra CA certificates (PEM) for https remotes, e.g. a self-hosted server's; default none. */
        Optional<Path> caFile();

        /** known_hosts for ssh remotes whose Vault secret brings none; default none (ssh then fails closed). */
        Optional<Path> knownHostsFile();
    }

    /** Uploaded workspaces (git bundle or .tar.gz). */
    interface Archive {

        /** Largest archive accepted; default 100 MiB. */
        @WithDefault("104857600")
        long maxBytes();

        /** Largest total size a tarball may unpack to; default 1 GiB. */
        @WithDefault("1073741824")
        long maxUnpackedBytes();

        /** Most entries a tarball may have; default 200000. */
        @WithDefault("200000")
        int maxEntries();

        /**
         * How long an archive staged by the gateway (StageArchive) waits for the PrepareWorkspace that uses it before
         * it is dropped; default 24h.
         */
        @WithDefault("24h")
        Duration stagedTtl();
    }

    /** The sandbox's egress proxy (docs/tools.md, "Egress"). */
    interface Egress {

        /**
         * Destinations the sandbox may reach ({@code host}, {@code host:port}, {@code *.suffix}, an IP literal with a
         * port for an internal address); env CODETETHER_TOOLS_EGRESS_ALLOWED_HOSTS; default empty (nothing).
         */
        Optional<List<String>> allowedHosts();

        /** Named host lists added to the allowlist: package-registries, git-hosts; default none. */
        Optional<List<String>> presets();

        /** Give every session the proxy (else only sessions that ask in PrepareWorkspace); default false. */
        @WithDefault("false")
        boolean defaultOn();

        /** Directory for the per-session proxy sockets; default {@code ${java.io.tmpdir}/codetether-egress}. */
        Optional<Path> socketDir();

        /** Bridge inside the sandbox: auto (socat when installed, else Java), socat or java; default auto. */
        @WithDefault("auto")
        String bridge();

        /** Connect timeout to a destination; default 10 s. */
        @WithDefault("10s")
        Duration connectTimeout();

        /** A proxied connection idle this long is closed; default 5 minutes. */
        @WithDefault("5m")
        Duration idleTimeout();

        /** Egress records kept per session for ListEgress; default 200. */
        @WithDefault("200")
        int historyPerSession();
    }

    /** MCP servers the agent uses (docs/mcp.md): started per session in the sandbox or reached over HTTP. */
    interface Mcp {

        /** Whether ListMcpTools and CallMcpTool serve at all; default true. */
        @WithDefault("true")
        boolean enabled();

        /** A call's limit (start-up included) when the request names none; default 120 s (bounded by max-timeout). */
        @WithDefault("120s")
        Duration callTimeout();

        /** Start-up plus MCP handshake of one server; default 60 s (a JVM or npx server takes a while). */
        @WithDefault("60s")
        Duration startTimeout();

        /** A pooled server unused this long is closed; default 5 minutes. */
        @WithDefault("5m")
        Duration idleTimeout();

        /** A stdio server is killed after this long even while in use (restarted on next use); default 60 minutes. */
        @WithDefault("60m")
        Duration maxLifetime();

        /** Servers one session may have pooled at once; default 8. */
        @WithDefault("8")
        int maxServersPerSession();

        /** Servers pooled in this process at once; default 64. */
        @WithDefault("64")
        int maxServers();

        /** Characters (text plus base64 data) one result may hold; default 8388608 (8 Mi). */
        @WithDefault("8388608")
        long maxResultChars();

        /** The longest JSON-RPC message (one line) a stdio server may send; default 16777216 (16 Mi) characters. */
        @WithDefault("16777216")
        int maxMessageChars();

        /** Vault KV v2 path (below the mount) holding one secret per MCP server; default codetether/mcp. */
        @WithDefault("codetether/mcp")
        String vaultPath();
    }
}
