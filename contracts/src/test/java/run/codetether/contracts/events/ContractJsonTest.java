package run.codetether.contracts.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Artifact;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.contracts.kafka.TaskCommandDeserializer;
import run.codetether.contracts.kafka.TaskEventDeserializer;

class ContractJsonTest {
    private final ContractSerializer serializer = new ContractSerializer();

    @Test
    void startTaskRoundTripsWithEveryPartKind() {
        Message message = new Message("m1", Role.USER, List.of(
                Part.Text.of("fix the bug"),
                new Part.File("a.txt", "text/plain", "aGk=", null, Map.of()),
                new Part.Data(Map.of("k", 1), Map.of("source", "test"))), "ctx", null, null, null, null);
        TaskCommand command = new TaskCommand.StartTask("t1", "ctx", null, message, "local", "m", null, null, null,
                null, Map.of("a", "b"), Instant.parse("2026-11-25T10:00:00Z"));

        byte[] json = serializer.serialize("tasks.requested", command);
        TaskCommand back = new TaskCommandDeserializer().deserialize("tasks.requested", json);

        assertEquals(command, back);
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"type\":\"start_task\""), text);
        assertTrue(text.contains("\"requestedAt\":\"2026-11-25T10:00:00Z\""), text);
    }

    @Test
    void eventsKeepTheirSubtype() {
        TaskEvent status = new TaskEvent.StatusChanged("t1", "ctx", "w1",
                new TaskStatus(TaskState.COMPLETED, Message.agentText("m2", "ctx", "t1", "done"), Instant.EPOCH),
                Map.of("step", 3), Instant.EPOCH);
        TaskEvent artifact = new TaskEvent.ArtifactAdded("t1", "ctx", "w1",
                new Artifact("a1", "answer", null, List.of(Part.Text.of("42")), null, null), false, true, Instant.EPOCH);

        TaskEventDeserializer deserializer = new TaskEventDeserializer();
        TaskEvent statusBack = deserializer.deserialize("tasks.events", serializer.serialize("tasks.events", status));
        TaskEvent artifactBack = deserializer.deserialize("tasks.events", serializer.serialize("tasks.events", artifact));

        assertEquals(status, statusBack);
        assertTrue(((TaskEvent.StatusChanged) statusBack).isFinal());
        assertInstanceOf(TaskEvent.ArtifactAdded.class, artifactBack);
        assertEquals(artifact, artifactBack);
    }

    @Test
    void unknownFieldsAreIgnoredAndTombstonesStayNull() {
        String json = "{\"type\":\"continue_task\",\"taskId\":\"t\",\"contextId\":\"c\",\"future\":1,"
                + "\"message\":{\"messageId\":\"m\",\"role\":\"USER\",\"parts\":[{\"kind\":\"text\",\"text\":\"hi\"}]}}";
        TaskCommand command = new TaskCommandDeserializer().deserialize("x", json.getBytes(StandardCharsets.UTF_8));
        assertEquals("hi", ((TaskCommand.ContinueTask) command).message().text());
        assertEquals(null, new TaskCommandDeserializer().deserialize("x", null));
    }

    @Test
    void recordsThatBreakTheContractAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new Part.File("f", null, "aGk=", "http://x", null));
        String missingTask = "{\"type\":\"continue_task\",\"contextId\":\"c\",\"message\":{\"messageId\":\"m\",\"role\":\"USER\"}}";
        ContractJson.ContractException e = assertThrows(ContractJson.ContractException.class,
                () -> new TaskCommandDeserializer().deserialize("x", missingTask.getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.getMessage().contains("taskId is required"), e.getMessage());
    }
}
