package run.codetether.contracts.events;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.Part;
import run.codetether.contracts.a2a.Role;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;
import run.codetether.contracts.kafka.TaskCommandDeserializer;
import run.codetether.contracts.kafka.TaskEventDeserializer;

class SharedMessageJsonTest {
    private static final Instant AT = Instant.parse("2026-12-05T21:00:00.123456789Z");

    /** A value whose every encoding is counted (its accessor runs once per encoding). */
    public record Counted(AtomicInteger encodings) {
        public int getTimes() {
            return encodings.incrementAndGet();
        }
    }

    private static Message message(Object payload) {
        return new Message("m-1", Role.USER, List.of(Part.Text.of("fix the bug \u00e9\u4e2d\ud83d\ude00 \"quoted\"\n"),
                new Part.File("a.txt", "text/plain", "aGk=", null, Map.of()),
                new Part.Data(Map.of("k", payload), Map.of("source", "test"))), "ctx", "t-1", List.of("t-0"), null,
                Map.of("codetether.model", "m"));
    }

    @Test
    void eachRecordIsByteForByteWhatItsOwnEncodingIsAndReadsBack() {
        Message m = message(List.of(1, 2.5, "x"));
        TaskEvent added = new TaskEvent.MessageAdded("t-1", "ctx", "gateway", m, AT);
        TaskEvent submitted = new TaskEvent.StatusChanged("t-1", "ctx", "gateway",
                new TaskStatus(TaskState.SUBMITTED, null, AT), Map.of(), AT);
        TaskCommand start = new TaskCommand.StartTask("t-1", "ctx", "acme", m, "p", "model", null, null, null, null,
                Map.of("a", "b"), AT);

        TaskCommand equalNotSame = new TaskCommand.StartTask("t-1", "ctx", "acme", message(List.of(1, 2.5, "x")),
                "p", "model", null, null, null, null, Map.of("a", "b"), AT);

        List<byte[]> shared = SharedMessageJson.writeAll(m, List.of(submitted, added, start, equalNotSame));

        assertArrayEquals(ContractJson.write(submitted), shared.get(0));
        assertArrayEquals(ContractJson.write(added), shared.get(1));
        assertArrayEquals(ContractJson.write(start), shared.get(2));
        // encoded on its own, whole (its parts keep their kind: the usual serializer resolved as it should be)
        assertArrayEquals(ContractJson.write(equalNotSame), shared.get(3));
        assertEquals(added, new TaskEventDeserializer().deserialize("tasks.events", shared.get(1)));
        assertEquals(start, new TaskCommandDeserializer().deserialize("tasks.requested", shared.get(2)));
    }

    @Test
    void theSharedMessageIsEncodedOnceAnEqualButOtherMessageAsUsual() {
        AtomicInteger encodings = new AtomicInteger();
        Message m = message(new Counted(encodings));
        TaskEvent added = new TaskEvent.MessageAdded("t-1", "ctx", "gateway", m, AT);
        TaskCommand start = new TaskCommand.StartTask("t-1", "ctx", null, m, null, null, null, null, null, null,
                Map.of(), AT);

        SharedMessageJson.writeAll(m, List.of(added, start));
        assertEquals(1, encodings.get(), "the message is encoded once for both records");

        encodings.set(0);
        ContractJson.write(added);
        ContractJson.write(start);
        assertEquals(2, encodings.get(), "encoded apart, once per record (what the accept did before)");

        encodings.set(0);
        Message copy = message(new Counted(encodings));
        TaskCommand other = new TaskCommand.StartTask("t-1", "ctx", null, copy, null, null, null, null, null, null,
                Map.of(), AT);
        List<byte[]> out = SharedMessageJson.writeAll(m, List.of(added, other));
        assertEquals(2, encodings.get(), "a message that is not the shared instance is encoded on its own");
    }

    @Test
    void anEncodedValueIsWrittenAsItsBytesByAnyContractEncoder() {
        Message m = message(List.of(1));
        TaskEvent added = new TaskEvent.MessageAdded("t-1", "ctx", "gateway", m, AT);
        byte[] json = ContractJson.write(added);
        assertArrayEquals(json, new run.codetether.contracts.kafka.ContractSerializer().serialize("t",
                new EncodedJson(json)), "at the root: the bytes as they are");
        assertEquals("{\"a\":" + new String(json, java.nio.charset.StandardCharsets.UTF_8) + "}",
                new String(ContractJson.write(Map.of("a", new EncodedJson(json))), java.nio.charset.StandardCharsets.UTF_8),
                "nested: the same bytes as a value");
    }
}
