package run.codetether.gateway.domain.handler;

import java.util.List;

/**
 * What the gateway says about itself, version-neutral; the bindings render it as the A2A 1.0 card
 * ({@code /.well-known/agent-card.json}, GetExtendedAgentCard) and the 0.3 card ({@code /.well-known/agent.json}).
 *
 * @param interfaces every served interface (binding and version at a URL)
 * @param extendedCard whether authenticated clients get an extended card
 * @param securitySchemes how to authenticate; empty when the operator runs the gateway open
 */
public record AgentCard(
        String name,
        String description,
        String version,
        String providerOrganization,
        String providerUrl,
        String documentationUrl,
        List<Interface> interfaces,
        boolean streaming,
        boolean pushNotifications,
        boolean extendedCard,
        List<SecurityScheme> securitySchemes,
        List<String> defaultInputModes,
        List<String> defaultOutputModes,
        List<Skill> skills) {
    public AgentCard {
        interfaces = List.copyOf(interfaces);
        securitySchemes = List.copyOf(securitySchemes);
        defaultInputModes = List.copyOf(defaultInputModes);
        defaultOutputModes = List.copyOf(defaultOutputModes);
        skills = List.copyOf(skills);
    }

    /** @param binding JSONRPC, HTTP+JSON or GRPC */
    public record Interface(String url, String binding, String protocolVersion) {}

    /** @param inputModes / outputModes listed on the extended card only (empty otherwise) */
    public record Skill(String id, String name, String description, List<String> tags, List<String> examples,
            List<String> inputModes, List<String> outputModes) {
        public Skill {
            tags = List.copyOf(tags);
            examples = List.copyOf(examples);
            inputModes = List.copyOf(inputModes);
            outputModes = List.copyOf(outputModes);
        }
    }

    /** The ways to authenticate, each named as the card's security requirements refer to it. */
    public sealed interface SecurityScheme {
        String id();

        /** An API key as {@code Authorization: Bearer <key>}. */
        record BearerApiKey(String id, String description) implements SecurityScheme {}

        /** An API key in a header. */
        record HeaderApiKey(String id, String header) implements SecurityScheme {}

        /** A JWT from the operator's identity provider as a bearer token. */
        record BearerJwt(String id, String issuer) implements SecurityScheme {}
    }
}
