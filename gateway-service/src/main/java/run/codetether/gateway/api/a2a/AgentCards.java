package run.codetether.gateway.api.a2a;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import run.codetether.gateway.domain.ContentTypes;

/**
 * The agent cards: A2A 1.0 at /.well-known/agent-card.json (every served interface: JSON-RPC 1.0 and 0.3,
 * HTTP+JSON, and gRPC, which shares the HTTP port: its URL is the base URL, the service lives at
 * {@code /lf.a2a.v1.A2AService/*}) and the 0.3 shape at /.well-known/agent.json. The extended card (authenticated
 * clients) adds the operator-facing skill details.
 */
public final class AgentCards {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    public static final String NAME = "CodeTether";
    public static final String VERSION = "1.0.0";

    private record Skill(String id, String name, String description, List<String> tags, List<String> examples) {}

    private static final List<Skill> SKILLS = List.of(
            new Skill("coding-agent", "Coding agent",
                    "Reads, edits and tests code in a sandboxed workspace with 27+ tools (files, grep, bash, patch, LSP).",
                    List.of("coding", "agent", "tools"), List.of("Fix the failing test in src/foo", "Add a README")),
            new Skill("swarm", "Swarm",
                    "Decomposes a large task into subtasks run by parallel sub-agents; set metadata.skill=swarm.",
                    List.of("swarm", "parallel", "decomposition"), List.of("Migrate every module to the new API")),
            new Skill("ralph", "Ralph",
                    "PRD-driven autonomous loop: one story at a time until checks pass; set metadata.skill=ralph.",
                    List.of("prd", "autonomous", "loop"), List.of("Implement prd.json")),
            new Skill("rlm", "Recursive language model",
                    "Explores content larger than the context window through a REPL; set metadata.skill=rlm.",
                    List.of("long-context", "analysis"), List.of("Summarise this 50 MB log")));

    private final String configuredUrl;
    private final boolean pushEnabled;
    private final boolean authOpen;
    private final String jwtIssuer;

    /** @param configuredUrl the public base URL, or null to use the URL each request came in on */
    public AgentCards(String configuredUrl, boolean pushEnabled, boolean authOpen) {
        this(configuredUrl, pushEnabled, authOpen, null);
    }

    /** @param jwtIssuer the issuer of accepted bearer JWTs, or null when only API keys are accepted */
    public AgentCards(String configuredUrl, boolean pushEnabled, boolean authOpen, String jwtIssuer) {
        this.configuredUrl = configuredUrl == null ? null : strip(configuredUrl);
        this.pushEnabled = pushEnabled;
        this.authOpen = authOpen;
        this.jwtIssuer = jwtIssuer;
    }

    private static String strip(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private String base(String requestBase) {
        return configuredUrl != null ? configuredUrl : requestBase == null ? "http://localhost:8080" : strip(requestBase);
    }

    public ObjectNode v10(boolean extended) {
        return v10(extended, null);
    }

    public ObjectNode v03(boolean extended) {
        return v03(extended, null);
    }

    public ObjectNode v10(boolean extended, String requestBase) {
        String baseUrl = base(requestBase);
        ObjectNode c = F.objectNode();
        c.put("name", NAME);
        c.put("description", description(extended));
        ArrayNode ifaces = c.putArray("supportedInterfaces");
        iface(ifaces, baseUrl + "/a2a", "JSONRPC", "1.0");
        iface(ifaces, baseUrl, "HTTP+JSON", "1.0");
        iface(ifaces, baseUrl, "GRPC", "1.0");
        iface(ifaces, baseUrl + "/a2a", "JSONRPC", "0.3");
        c.putObject("provider").put("organization", "CodeTether").put("url", "https://codetether.run");
        c.put("version", VERSION);
        c.put("documentationUrl", baseUrl + "/docs/a2a");
        ObjectNode caps = c.putObject("capabilities");
        caps.put("streaming", true);
        caps.put("pushNotifications", pushEnabled);
        caps.put("extendedAgentCard", true);
        security10(c);
        modes(c);
        ArrayNode skills = c.putArray("skills");
        SKILLS.forEach(s -> skills.add(skill(s, extended)));
        return c;
    }

    public ObjectNode v03(boolean extended, String requestBase) {
        String baseUrl = base(requestBase);
        ObjectNode c = F.objectNode();
        c.put("protocolVersion", "0.3.0");
        c.put("name", NAME);
        c.put("description", description(extended));
        c.put("url", baseUrl + "/a2a");
        c.put("preferredTransport", "JSONRPC");
        ArrayNode more = c.putArray("additionalInterfaces");
        more.addObject().put("url", baseUrl + "/a2a").put("transport", "JSONRPC");
        c.putObject("provider").put("organization", "CodeTether").put("url", "https://codetether.run");
        c.put("version", VERSION);
        c.put("documentationUrl", baseUrl + "/docs/a2a");
        ObjectNode caps = c.putObject("capabilities");
        caps.put("streaming", true);
        caps.put("pushNotifications", pushEnabled);
        caps.put("stateTransitionHistory", true);
        if (!authOpen) {
            ObjectNode schemes = c.putObject("securitySchemes");
            schemes.putObject("bearer").put("type", "http").put("scheme", "bearer")
                    .put("description", "API key as a bearer token");
            schemes.putObject("apiKey").put("type", "apiKey").put("in", "header").put("name", "X-API-Key");
            ArrayNode security = c.putArray("security");
            security.addObject().putArray("bearer");
            security.addObject().putArray("apiKey");
        }
        modes(c);
        ArrayNode skills = c.putArray("skills");
        SKILLS.forEach(s -> skills.add(skill(s, extended)));
        c.put("supportsAuthenticatedExtendedCard", true);
        return c;
    }

    private static String description(boolean extended) {
        return extended
                ? "Cluster-native AI coding agent (authenticated view): coding agent, swarm, Ralph and RLM skills; "
                        + "provider and model selectable via message metadata (provider, model)."
                : "Cluster-native AI coding agent: send a coding task, get changes, reports and artifacts back.";
    }

    private void security10(ObjectNode c) {
        if (authOpen) {
            return;
        }
        ObjectNode schemes = c.putObject("securitySchemes");
        schemes.putObject("bearer").putObject("httpAuthSecurityScheme").put("scheme", "Bearer")
                .put("description", "API key as a bearer token");
        schemes.putObject("apiKey").putObject("apiKeySecurityScheme").put("location", "header")
                .put("name", "X-API-Key");
        ArrayNode reqs = c.putArray("securityRequirements");
        reqs.addObject().putObject("schemes").putObject("bearer").putArray("list");
        reqs.addObject().putObject("schemes").putObject("apiKey").putArray("list");
        if (jwtIssuer != null) {
            schemes.putObject("jwt").putObject("httpAuthSecurityScheme").put("scheme", "Bearer")
                    .put("bearerFormat", "JWT").put("description", "JWT issued by " + jwtIssuer);
            reqs.addObject().putObject("schemes").putObject("jwt").putArray("list");
        }
    }

    private static void modes(ObjectNode c) {
        ArrayNode in = c.putArray("defaultInputModes");
        ContentTypes.INPUT_MODES.forEach(in::add);
        ArrayNode out = c.putArray("defaultOutputModes");
        ContentTypes.OUTPUT_MODES.forEach(out::add);
    }

    private static void iface(ArrayNode a, String url, String binding, String version) {
        a.addObject().put("url", url).put("protocolBinding", binding).put("protocolVersion", version);
    }

    private static ObjectNode skill(Skill s, boolean extended) {
        ObjectNode o = F.objectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("description", s.description());
        ArrayNode tags = o.putArray("tags");
        s.tags().forEach(tags::add);
        ArrayNode ex = o.putArray("examples");
        s.examples().forEach(ex::add);
        if (extended) {
            ArrayNode in = o.putArray("inputModes");
            ContentTypes.INPUT_MODES.forEach(in::add);
            ArrayNode out = o.putArray("outputModes");
            ContentTypes.OUTPUT_MODES.forEach(out::add);
        }
        return o;
    }
}
