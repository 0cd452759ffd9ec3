package run.codetether.gateway.api.a2a.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.fixtures.kafka.KafkaTestResource;
import run.codetether.gateway.api.a2a.Operation;
import run.codetether.gateway.support.ScriptedWorker;
import run.codetether.gateway.support.binding.Binding;
import run.codetether.gateway.support.binding.Failure;
import run.codetether.gateway.support.binding.Params;

/**
 * What a message may carry (issue 19's inputs), on every binding: the skill must be one the platform runs, at most
 * {@code codetether.gateway.input.max-parts} parts (default 100) of at most {@code max-part-bytes} each (default
 * 512 KiB), a body within {@code max-body-bytes} (the standard error when not), and an HTTP/1.1 request needs a
 * Host header (400, never 500). Nothing refused reaches a worker.
 */
@QuarkusTestResource(value = KafkaTestResource.class, restrictToAnnotatedClass = false)
@QuarkusTest
class InputConformanceTest {
    ScriptedWorker worker;

    @BeforeEach
    void setUp() {
        worker = ScriptedWorker.shared();
    }

    private boolean reachedAWorker(String text) {
        return worker.commands.stream().anyMatch(c -> c instanceof TaskCommand.StartTask s
                && s.message().text().startsWith(text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void anUnknownSkillIsInvalidParamsNamingTheSkill(Binding b) {
        String text = "echo skill " + UUID.randomUUID();
        ObjectNode p = Params.send(text);
        Params.messageMetadata(p, "skill", "teleport");
        Failure f = b.call(Operation.SEND, p).fails("INVALID_PARAMS");
        assertTrue(f.message().contains("'teleport'") && f.message().contains("rlm"), f.message());
        ObjectNode inRequest = Params.send(text);
        inRequest.putObject("metadata").put("skill", "teleport");
        b.call(Operation.SEND, inRequest).fails("INVALID_PARAMS");
        assertFalse(reachedAWorker(text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void theSkillsOfTheCardAreAccepted(Binding b) {
        ObjectNode p = Params.returnImmediately(Params.send("echo rlm"));
        Params.messageMetadata(p, "skill", "rlm");
        String id = b.call(Operation.SEND, p).ok().at("/task/id").asText();
        JsonNode done = Conformance.awaitState(b, id, "TASK_STATE_COMPLETED");
        assertEquals("echo: echo rlm", done.at("/artifacts/0/parts/0/text").asText());
        TaskCommand.StartTask start = (TaskCommand.StartTask) worker.commandFor(id);
        assertEquals("rlm", start.skill(), "the skill travels as the typed StartTask field");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void tooManyPartsIsInvalidParams(Binding b) {
        String text = "echo parts " + UUID.randomUUID();
        ObjectNode p = Params.returnImmediately(Params.send(text));
        ArrayNode parts = (ArrayNode) Params.message(p).get("parts");
        for (int i = 1; i < 100; i++) {
            parts.addObject().put("text", "part " + i);
        }
        assertEquals("TASK_STATE_SUBMITTED", b.call(Operation.SEND, p).ok().at("/task/status/state").asText(),
                "100 parts are accepted");
        parts.addObject().put("text", "one too many");
        Params.message(p).put("messageId", UUID.randomUUID().toString());
        Failure f = b.call(Operation.SEND, p).fails("INVALID_PARAMS");
        assertTrue(f.message().contains("101 parts") && f.message().contains("at most 100"), f.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aTooLargePartIsInvalidParamsNamingThePart(Binding b) {
        String text = "echo big " + UUID.randomUUID();
        ObjectNode p = Params.send(text);
        ((ArrayNode) Params.message(p).get("parts")).addObject().put("text", "y".repeat(600_000));
        Failure f = b.call(Operation.SEND, p).fails("INVALID_PARAMS");
        assertTrue(f.message().contains("parts[1]") && f.message().contains("524288"), f.message());
        ObjectNode file = Params.send(text);
        ((ArrayNode) Params.message(file).get("parts")).addObject().put("mediaType", "text/plain")
                .put("raw", Base64.getEncoder().encodeToString(new byte[530_000]));
        assertTrue(b.call(Operation.SEND, file).fails("INVALID_PARAMS").message().contains("530000 bytes"));
        assertFalse(reachedAWorker(text));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void aBodyOverTheLimitGetsTheStandardError(Binding b) {
        // JSON-RPC: -32600 with HTTP 413; HTTP+JSON: 413; gRPC: RESOURCE_EXHAUSTED (the adapters check each)
        Conformance.oversizedSend(b, 1_100_000).fails("PAYLOAD_TOO_LARGE");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#all")
    void onlyASendGetsRoomForAnArchiveEveryOtherRequestKeepsMaxRequestBytes(Binding b) {
        // between max-body-bytes (1 MiB) and a send's limit (1 MiB + the test profile's 32 KiB archive, base64)
        int between = 1_070_000;
        Failure cancel = Conformance.oversizedCancel(b, between).fails("PAYLOAD_TOO_LARGE");
        assertTrue(cancel.message().contains("limit of 65536 bytes") && cancel.message().contains("max-request-bytes"),
                cancel.message());
        // the send is read whole and refused by the per-part limit instead, so the body limit let it through
        Failure send = Conformance.oversizedSend(b, between).fails("INVALID_PARAMS");
        assertTrue(send.message().contains("a part may hold at most"), send.message());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("run.codetether.gateway.api.a2a.conformance.Conformance#overHttp1")
    void aRequestWithoutAHostHeaderIsABadRequestNotAServerError(Binding b) {
        Failure f = b.withoutHost().fails("INVALID_REQUEST");
        assertTrue(f.message().contains("Host"), f.message());
    }
}
