package run.codetether.contracts.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.MetadataKeys;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.Task;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.kafka.ContractSerializer;
import run.codetether.contracts.kafka.TaskCommandDeserializer;
import run.codetether.contracts.kafka.TaskDeserializer;
import run.codetether.contracts.kafka.TaskEventDeserializer;

/** The typed fields that replaced untyped metadata between services, and how A2A clients still see them. */
class TypedContractsTest {
    private final ContractSerializer serializer = new ContractSerializer();
    private static final Instant T = Instant.parse("2026-12-01T10:00:00Z");

    static Message user(String text) {
        return new Message("m1", Role.USER, List.of(run.codetether.contracts.a2a.Part.Text.of(text)), "ctx", null,
                null, null, null);
    }

    @Test
    void aSwarmSubtaskCarriesItsPlaceAndWorkspaceAsTypedFields() {
        TaskCommand.StartTask start = new TaskCommand.StartTask("sw.s.a.a1", "sw.s.a.a1", null, user("do a"), "local",
                null, "ralph", "t-parent", "sw", new TaskCommand.Subtask("a", 1, 2, "ctx-swarm", "ctx-caller"),
                Map.of(MetadataKeys.PRD_PATH, "prd.json"), T);
        byte[] json = serializer.serialize("tasks.requested", start);
        TaskCommand.StartTask back = (TaskCommand.StartTask) new TaskCommandDeserializer().deserialize("x", json);

        assertEquals(start, back);
        assertEquals("ctx-caller", back.subtask().workspaceId());
        assertEquals("ralph", back.skill());
        JsonNode tree = ContractJson.mapper().valueToTree(start);
        assertEquals(2, tree.path("subtask").path("attempt").asInt());
        assertFalse(tree.path("metadata").has("workspace_id"), "the platform's facts are not metadata any more");
        assertThrows(IllegalArgumentException.class, () -> new TaskCommand.Subtask(" ", 0, 1, null, null));
    }

    @Test
    void progressIsTypedOnKafkaAndSnakeCaseMetadataForA2aClients() throws Exception {
        Usage usage = new Usage(1200, 80, 0, 0, 0.0009, true);
        TaskEvent.StatusChanged s = new TaskEvent.StatusChanged("t1", "ctx", "w1",
                new TaskStatus(TaskState.WORKING, Message.agentText("m", "ctx", "t1", "$ make"), T),
                Progress.step(3).withTool("bash", "call_7").asPartial(true).withUsage(usage),
                Map.of(MetadataKeys.SWARM_ID, "sw-1"), T);

        byte[] json = serializer.serialize("tasks.events", s);
        TaskEvent.StatusChanged back = (TaskEvent.StatusChanged) new TaskEventDeserializer().deserialize("x", json);
        assertEquals(s, back);
        assertTrue(back.progress().partial() && back.progress().output());
        assertEquals(1200, back.progress().usage().tokensIn());

        JsonNode tree = ContractJson.mapper().readTree(json);
        assertEquals("sw-1", tree.path("metadata").path("swarm_id").asText(), "details keep their wire name");
        assertEquals("call_7", tree.path("progress").path("callId").asText());

        Map<String, Object> a2a = back.metadata();
        assertEquals(3, a2a.get(MetadataKeys.STEP));
        assertEquals("bash", a2a.get(MetadataKeys.TOOL));
        assertEquals("call_7", a2a.get(MetadataKeys.CALL_ID));
        assertEquals(true, a2a.get(MetadataKeys.PARTIAL));
        assertEquals(true, a2a.get(MetadataKeys.OUTPUT));
        assertEquals("sw-1", a2a.get(MetadataKeys.SWARM_ID));
        @SuppressWarnings("unchecked")
        Map<String, Object> u = (Map<String, Object>) a2a.get(MetadataKeys.USAGE);
        assertEquals(1200L, u.get(MetadataKeys.TOKENS_IN));
        assertEquals(0.0009, u.get(MetadataKeys.COST_USD));
        assertEquals(true, u.get(MetadataKeys.PRICED));
    }

    @Test
    void aStreamedAnswerChunkCarriesOnlyItsTextAndWhereItStartsAndReadsBackTheSame() throws Exception {
        TaskEvent.ArtifactAdded first = TaskEvent.ArtifactAdded.textChunk("t1", "c1", "w1",
                run.codetether.contracts.a2a.Artifact.answerId("t1"), "answer", "Hello", 0, 2);
        TaskEvent.ArtifactAdded next = TaskEvent.ArtifactAdded.textChunk("t1", "c1", "w1", "answer-t1", "answer",
                " world", 5, 2);
        assertFalse(first.append(), "the first chunk replaces the artifact");
        assertTrue(next.append(), "a later chunk follows the text before it");
        assertFalse(next.lastChunk());
        assertEquals(5, next.textOffset());
        assertTrue(next.streamed() && next.partialUpdate());
        JsonNode wire = ContractJson.mapper().readTree(ContractJson.write(next));
        assertEquals(" world", wire.at("/artifact/parts/0/text").asText(), "only the new text: " + wire);
        assertEquals(Map.of("partial", true, "step", 2, "text_offset", 5),
                ContractJson.mapper().convertValue(wire.at("/artifact/metadata"), Map.class));
        assertTrue(wire.path("streamed").isMissingNode() && wire.path("partialUpdate").isMissingNode(),
                "derived facts are not on the wire: " + wire);
        TaskEvent back = ContractJson.read(ContractJson.write(next), TaskEvent.class);
        assertEquals(5, ((TaskEvent.ArtifactAdded) back).textOffset());
        assertTrue(back.partialUpdate());
        TaskEvent.ArtifactAdded whole = new TaskEvent.ArtifactAdded("t1", "c1", "w1", new run.codetether.contracts.a2a
                .Artifact("answer-t1", "answer", null, null, null, null), false, true, null);
        assertFalse(whole.streamed() || whole.partialUpdate(), "the finished answer is not partial");
        assertEquals(-1, whole.textOffset());
        assertThrows(IllegalArgumentException.class, () -> TaskEvent.ArtifactAdded.textChunk("t1", "c1", "w1",
                "answer-t1", "answer", "x", -1, 1));
    }

    @Test
    void anUnpricedModelIsNeverReportedAsFree() {
        Usage unpriced = new Usage(10, 5, 0, 0, null, false);
        assertTrue(unpriced.toMetadata().containsKey(MetadataKeys.COST_USD));
        assertNull(unpriced.toMetadata().get(MetadataKeys.COST_USD));
        assertThrows(IllegalArgumentException.class, () -> new Usage(1, 1, 0, 0, 0.0, false));
        assertThrows(IllegalArgumentException.class, () -> new Usage(1, 1, 0, 0, null, true));
        assertThrows(IllegalArgumentException.class, () -> new Usage(-1, 1, 0, 0, null, false));
    }

    @Test
    void aStatusWithoutProgressShowsOnlyItsDetails() {
        TaskEvent.StatusChanged s = new TaskEvent.StatusChanged("t1", "ctx", "w1", TaskStatus.of(TaskState.CANCELED),
                Map.of(MetadataKeys.REASON, "client"), T);
        assertEquals(Progress.NONE, s.progress());
        assertEquals(Map.of(MetadataKeys.REASON, "client"), s.metadata());
        assertFalse(s.progress().partial());
    }

    @Test
    void aRecordFromAnOlderProducerStillReads() {
        String old = "{\"type\":\"status_changed\",\"taskId\":\"t\",\"contextId\":\"c\",\"workerId\":\"w\","
                + "\"status\":{\"state\":\"WORKING\"},\"metadata\":{\"step\":2},\"future\":{\"x\":1}}";
        TaskEvent.StatusChanged s = (TaskEvent.StatusChanged) new TaskEventDeserializer()
                .deserialize("x", old.getBytes(StandardCharsets.UTF_8));
        assertEquals(Map.of("step", 2), s.details());
        assertEquals(Progress.NONE, s.progress());
        assertNull(s.submission());
    }

    @Test
    void theSubmissionIsTypedAndNeverPartOfWhatClientsSee() {
        TaskEvent.StatusChanged submitted = new TaskEvent.StatusChanged("t", "c", "gateway",
                TaskStatus.of(TaskState.SUBMITTED), Progress.NONE, Map.of(),
                new Task.Submission("alice", "acme", "swarm"), T);
        TaskEvent.StatusChanged back = (TaskEvent.StatusChanged) new TaskEventDeserializer()
                .deserialize("x", serializer.serialize("x", submitted));
        assertEquals("swarm", back.submission().skill());
        assertTrue(back.metadata().isEmpty());

        Task task = new Task("t", "c", TaskStatus.of(TaskState.SUBMITTED), null, null, Map.of("k", "v"),
                back.submission());
        Task again = new TaskDeserializer().deserialize("x", serializer.serialize("x", task));
        assertEquals(task, again);
        assertEquals("alice", again.withStatus(TaskStatus.of(TaskState.WORKING)).submission().owner());
    }

    @Test
    void aTaskSnapshotFromBeforeTheTypedSubmissionKeepsItsOwner() {
        String old = "{\"id\":\"t\",\"contextId\":\"c\",\"status\":{\"state\":\"WORKING\"},\"metadata\":{"
                + "\"codetether.owner\":\"alice\",\"codetether.tenant\":\"acme\",\"codetether.skill\":\"swarm\","
                + "\"shown\":1}}";
        Task task = new TaskDeserializer().deserialize("x", old.getBytes(StandardCharsets.UTF_8));
        assertEquals(new Task.Submission("alice", "acme", "swarm"), task.submission());
        assertEquals(Map.of("shown", 1), task.metadata(), "the platform's keys are no longer client metadata");
    }
}
