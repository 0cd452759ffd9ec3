package run.codetether.gateway.domain.handler;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The card's GRPC interface names the gRPC server's own port, never the HTTP port (docs/operations.md "GOAWAY"). */
class AgentCardsGrpcUrlTest {

    private static String grpcInterface(AgentCard card) {
        return card.interfaces().stream().filter(i -> i.binding().equals("GRPC")).findFirst()
                .orElseThrow().url();
    }

    @Test
    void theGrpcUrlIsTheBaseUrlsHostOnTheGrpcPort() {
        AgentCards cards = new AgentCards(null, null, () -> 9080, true, false, null);
        assertEquals("http://127.0.0.1:9080", grpcInterface(cards.card(false, "http://127.0.0.1:8080")));
        assertEquals("https://a2a.example:9080", grpcInterface(cards.card(true, "https://a2a.example/")));
        AgentCards published = new AgentCards("https://a2a.example/", null, () -> 19080, true, false, null);
        assertEquals("https://a2a.example:19080", grpcInterface(published.card(false, "http://10.0.0.7:8080")));
    }

    @Test
    void aConfiguredGrpcUrlWins() {
        AgentCards cards = new AgentCards("https://a2a.example", "https://grpc.a2a.example:443/", () -> 9080, true,
                false, null);
        assertEquals("https://grpc.a2a.example:443", grpcInterface(cards.card(false, null)));
        assertEquals("https://a2a.example/a2a", cards.card(false, null).interfaces().getFirst().url(),
                "the other bindings keep the public URL");
    }
}
