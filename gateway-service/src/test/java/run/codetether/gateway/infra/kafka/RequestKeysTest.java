package run.codetether.gateway.infra.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.events.ContractJson;
import run.codetether.contracts.events.TaskCommand;
import run.codetether.gateway.domain.StartSweep;

/** The start sweep's streaming read of a work request gives the key the full decode gives, and refuses what it refuses. */
class RequestKeysTest {

    private static Message message(String id, String text) {
        return new Message(id, Role.USER, List.of(Part.Text.of(text), new Part.Data(Map.of("k", List.of(1, 2)), null)),
                "ctx-1", "task-1", List.of("ref-1"), null, Map.of("messageId", "not-this-one", "nested",
                        Map.of("taskId", "nor-this")));
    }

    /** The key the sweep read before: the whole command decoded. */
    private static String fullDecodeKey(byte[] json) {
        TaskCommand c = ContractJson.read(json, TaskCommand.class);
        String messageId = switch (c) {
            case TaskCommand.StartTask s -> s.message().messageId();
            case TaskCommand.ContinueTask n -> n.message().messageId();
        };
        return StartSweep.requestKey(c.taskId(), messageId);
    }

    @Test
    void everyCommandTheGatewayAndSwarmWriteGivesTheKeyOfTheFullDecode() {
        List<TaskCommand> commands = List.of(
                new TaskCommand.StartTask("task-1", "ctx-1", "tenant-a", message("m-1", "hello \"quoted\" \u00e9\u4e16"),
                        "openai", "gpt", "ralph", "parent-1", "swarm-1",
                        new TaskCommand.Subtask("s1", 2, 1, "swarm-ctx", "ws-1"), null,
                        Map.of("taskId", "meta-task", "deep", Map.of("message", Map.of("messageId", "x"))),
                        Instant.parse("2026-12-06T04:00:00.123456Z")),
                new TaskCommand.StartTask("task-2", "ctx-2", null, message("m-2", "x".repeat(20_000)), null, null,
                        null, null, null, null, Map.of(), null),
                new TaskCommand.ContinueTask("task-3", "ctx-3", message("m-3", "follow-up"), null));
        for (TaskCommand c : commands) {
            byte[] json = ContractJson.write(c);
            assertEquals(fullDecodeKey(json), RequestKeys.of(json));
        }
        assertEquals("task-1\nm-1", RequestKeys.of(ContractJson.write(commands.get(0))));
    }

    @Test
    void fieldsInAnotherOrderAndNumbersAsTextReadAsTheFullDecodeReadsThem() {
        String json = """
                {"requestedAt":"2026-12-06T04:00:00Z","message":{"parts":[{"kind":"text","text":"hi"}],
                 "metadata":{"messageId":"no"},"role":"USER","messageId":42},"contextId":"c","extra":[1,{"a":null}],
                 "taskId":"t-9","type":"continue_task"}""";
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        assertEquals(fullDecodeKey(bytes), RequestKeys.of(bytes));
        assertEquals("t-9\n42", RequestKeys.of(bytes));
    }

    @Test
    void aRecordTheFullDecodeRefusesIsRefused() {
        String message = "\"message\":{\"messageId\":\"m\",\"role\":\"USER\"}";
        List<String> refused = List.of(
                "[1,2]",
                "\"text\"",
                "{\"taskId\":\"t\",\"contextId\":\"c\"," + message + "}", // no type
                "{\"type\":\"stop_task\",\"taskId\":\"t\",\"contextId\":\"c\"," + message + "}",
                "{\"type\":\"start_task\",\"taskId\":\" \",\"contextId\":\"c\"," + message + "}",
                "{\"type\":\"start_task\",\"taskId\":\"t\"," + message + "}", // no contextId
                "{\"type\":\"start_task\",\"taskId\":\"t\",\"contextId\":\"c\"}", // no message
                "{\"type\":\"start_task\",\"taskId\":\"t\",\"contextId\":\"c\",\"message\":\"m\"}",
                "{\"type\":\"start_task\",\"taskId\":\"t\",\"contextId\":\"c\",\"message\":{\"role\":\"USER\"}}",
                "{\"type\":\"start_task\",\"taskId\":\"t\",\"contextId\":\"c\",\"message\":{\"messageId\":\"m\"}}",
                "{\"type\":\"start_task\",\"taskId\":\"t\",\"contextId\":\"c\",\"message\":{\"messageId\":\"m\","
                        + "\"role\":\"ROBOT\"}}",
                "{\"type\":\"start_task\",\"taskId\":{\"id\":1},\"contextId\":\"c\"," + message + "}",
                "{\"type\":\"start_task\",\"taskId\":\"t\",\"contextId\":\"c\"," + message, // cut short
                "{\"type\":\"start_task\",\"taskId\":\"t\",\"contextId\":\"c\",\"message\":{\"messageId\":\"m\","
                        + "\"role\":\"USER\",\"parts\":[{\"kind\":\"text\",\"text\":\"unterminated}]}}");
        for (String json : refused) {
            byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
            assertThrows(ContractJson.ContractException.class, () -> fullDecodeKey(bytes), json);
            assertThrows(ContractJson.ContractException.class, () -> RequestKeys.of(bytes), json);
        }
    }

    @Test
    void nestingBeyondTheContractsBoundIsRefusedLikeTheFullDecode() {
        String deep = "[".repeat(ContractJson.MAX_DEPTH + 5) + "]".repeat(ContractJson.MAX_DEPTH + 5);
        byte[] bytes = ("{\"type\":\"start_task\",\"taskId\":\"t\",\"contextId\":\"c\",\"metadata\":{\"x\":" + deep
                + "},\"message\":{\"messageId\":\"m\",\"role\":\"USER\"}}").getBytes(StandardCharsets.UTF_8);
        assertThrows(ContractJson.ContractException.class, () -> fullDecodeKey(bytes));
        assertThrows(ContractJson.ContractException.class, () -> RequestKeys.of(bytes));
    }
}
