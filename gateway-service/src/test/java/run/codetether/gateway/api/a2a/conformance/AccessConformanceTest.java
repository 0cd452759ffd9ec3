package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.LiveStream;
import run.codetether.gateway.support.binding.Params;

/** Authentication on every binding (the admission decorator) and the extended card it guards. */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class AccessConformanceTest {

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void unauthenticatedCallsAreRefusedBeforeAnythingRuns(Binding b) {
        ScriptedWorker worker = ScriptedWorker.shared();
        String text = "echo nobody " + UUID.randomUUID();
        b.as(null).call(Operation.SEND, Params.send(text)).fails("UNAUTHENTICATED");
        b.as("not-a-valid-key").call(Operation.GET, Params.id("x")).fails("UNAUTHENTICATED");
        b.as(null).call(Operation.EXTENDED_CARD, Params.of()).fails("UNAUTHENTICATED");
        try (LiveStream s = b.as(null).stream(Operation.STREAM, Params.send(text))) {
            assertEquals("UNAUTHENTICATED", s.failure().reason());
        }
        assertTrue(worker.commands.stream().noneMatch(c -> c instanceof TaskCommand.StartTask s
                && s.message().text().equals(text)), "nothing reached a worker");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void theExtendedCardListsTheSkillsWithTheirModes(Binding b) {
        JsonNode card = b.call(Operation.EXTENDED_CARD, Params.of()).ok();
        assertEquals("CodeTether", card.path("name").asText());
        List<String> skills = new ArrayList<>();
        card.path("skills").forEach(s -> skills.add(s.path("id").asText()));
        assertEquals(List.of("coding-agent", "swarm", "ralph", "rlm"), skills);
        assertTrue(card.at("/skills/0/inputModes").size() > 0, "the extended card lists each skill's modes");
        assertTrue(card.path("description").asText().contains("authenticated view"));
    }
}
