package run.codetether.gateway.domain.handler;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import run.codetether.contracts.a2a.WorkspaceExtension;
import run.codetether.gateway.domain.ContentTypes;

/**
 * The gateway's agent card: every served interface (JSON-RPC 1.0 and 0.3, HTTP+JSON, and gRPC, which has a server
 * of its own: its URL is the configured gRPC URL, else the base URL's scheme and host with the gRPC server's port;
 * the service lives at {@code /lf.a2a.v1.A2AService/*} there), the skills, and how to authenticate. The extended
 * card (authenticated clients) adds the operator-facing skill details.
 */
public final class AgentCards {
    public static final String NAME = "CodeTether";
    public static final String VERSION = "1.0.0";

    /** The skills of the card; their ids are the values {@code metadata.skill} accepts (with configured extras). */
    public static final List<AgentCard.Skill> SKILLS = List.of(
            skill("coding-agent", "Coding agent",
                    "Reads, edits and tests code in a sandboxed workspace with 27+ tools (files, grep, bash, patch, LSP).",
                    List.of("coding", "agent", "tools"), List.of("Fix the failing test in src/foo", "Add a README")),
            skill("swarm", "Swarm",
                    "Decomposes a large task into subtasks run by parallel sub-agents; set metadata.skill=swarm.",
                    List.of("swarm", "parallel", "decomposition"), List.of("Migrate every module to the new API")),
            skill("ralph", "Ralph",
                    "PRD-driven autonomous loop: one story at a time until checks pass; set metadata.skill=ralph.",
                    List.of("prd", "autonomous", "loop"), List.of("Implement prd.json")),
            skill("rlm", "Recursive language model",
                    "Explores content larger than the context window through a REPL; set metadata.skill=rlm.",
                    List.of("long-context", "analysis"), List.of("Summarise this 50 MB log")));

    private final String configuredUrl;
    private final String configuredGrpcUrl;
    private final IntSupplier grpcPort;
    private final boolean pushEnabled;
    private final boolean authOpen;
    private final String jwtIssuer;

    /**
     * @param configuredUrl the public base URL, or null to use the URL each request came in on
     * @param configuredGrpcUrl where clients reach the gRPC binding, or null to derive it from the base URL
     * @param grpcPort the gRPC server's port, asked when a card is built (the server may bind after this is made)
     * @param jwtIssuer the issuer of accepted bearer JWTs, or null when only API keys are accepted
     */
    public AgentCards(String configuredUrl, String configuredGrpcUrl, IntSupplier grpcPort, boolean pushEnabled,
            boolean authOpen, String jwtIssuer) {
        this.configuredUrl = configuredUrl == null ? null : strip(configuredUrl);
        this.configuredGrpcUrl = configuredGrpcUrl == null ? null : strip(configuredGrpcUrl);
        this.grpcPort = grpcPort;
        this.pushEnabled = pushEnabled;
        this.authOpen = authOpen;
        this.jwtIssuer = jwtIssuer;
    }

    private static AgentCard.Skill skill(String id, String name, String description, List<String> tags,
            List<String> examples) {
        return new AgentCard.Skill(id, name, description, tags, examples, List.of(), List.of());
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /**
     * The base URL the card names for a request: the configured public URL, else the one the client reached.
     *
     * @param requestBase scheme://host[:port] the client reached, or null
     */
    public String baseUrl(String requestBase) {
        return configuredUrl != null ? configuredUrl : requestBase == null ? "http://localhost:8080" : strip(requestBase);
    }

    /**
     * The gRPC binding's URL for a base URL: the configured one, else the base URL's scheme and host on the gRPC
     * server's port (gRPC is not served on the HTTP port: docs/operations.md "GOAWAY").
     */
    public String grpcUrl(String baseUrl) {
        if (configuredGrpcUrl != null) {
            return configuredGrpcUrl;
        }
        URI base = URI.create(baseUrl);
        return base.getScheme() + "://" + base.getHost() + ":" + grpcPort.getAsInt();
    }

    /**
     * @param extended the authenticated view (skill modes, a fuller description)
     * @param requestBase scheme://host[:port] the client reached, or null
     */
    public AgentCard card(boolean extended, String requestBase) {
        String baseUrl = baseUrl(requestBase);
        List<AgentCard.Interface> interfaces = List.of(
                new AgentCard.Interface(baseUrl + "/a2a", "JSONRPC", "1.0"),
                new AgentCard.Interface(baseUrl, "HTTP+JSON", "1.0"),
                new AgentCard.Interface(grpcUrl(baseUrl), "GRPC", "1.0"),
                new AgentCard.Interface(baseUrl + "/a2a", "JSONRPC", "0.3"));
        List<AgentCard.SecurityScheme> schemes = new ArrayList<>();
        if (!authOpen) {
            schemes.add(new AgentCard.SecurityScheme.BearerApiKey("bearer", "API key as a bearer token"));
            schemes.add(new AgentCard.SecurityScheme.HeaderApiKey("apiKey", "X-API-Key"));
            if (jwtIssuer != null) {
                schemes.add(new AgentCard.SecurityScheme.BearerJwt("jwt", jwtIssuer));
            }
        }
        List<AgentCard.Skill> skills = extended ? SKILLS.stream().map(s -> new AgentCard.Skill(s.id(), s.name(),
                s.description(), s.tags(), s.examples(), ContentTypes.INPUT_MODES, ContentTypes.OUTPUT_MODES)).toList()
                : SKILLS;
        return new AgentCard(NAME, description(extended), VERSION, "CodeTether", "https://codetether.run",
                baseUrl + "/docs/a2a", interfaces, true, pushEnabled, true, schemes, ContentTypes.INPUT_MODES,
                ContentTypes.OUTPUT_MODES, skills, EXTENSIONS);
    }

    /** Extensions every card declares: the workspace extension (docs/workspaces.md describes it). */
    static final List<AgentCard.Extension> EXTENSIONS = List.of(new AgentCard.Extension(WorkspaceExtension.URI,
            "Where a task's workspace comes from (message.metadata.workspace: a git remote, optionally pushed to a "
                    + "codetether/ branch) and its change as the `changes` artifact (text/x-diff); docs/workspaces.md",
            false));

    private static String description(boolean extended) {
        return extended
                ? "Cluster-native AI coding agent (authenticated view): coding agent, swarm, Ralph and RLM skills; "
                        + "provider and model selectable via message metadata (provider, model)."
                : "Cluster-native AI coding agent: send a coding task, get changes, reports and artifacts back.";
    }
}
