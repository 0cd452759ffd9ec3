package run.codetether.contracts.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import run.codetether.contracts.a2a.Message;
import run.codetether.contracts.a2a.TaskState;
import run.codetether.contracts.a2a.TaskStatus;

class IsoInstantsTest {
    /** The codec as it was before IsoInstants: jsr310's alone, so both must agree on every input. */
    private static final ObjectMapper GENERAL = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE).build();

    record Holder(Instant at) {}

    @Test
    void writesAndReadsEveryPrecisionAsInstantToStringDoes() throws Exception {
        SplittableRandom random = new SplittableRandom(18);
        for (int i = 0; i < 40_000; i++) {
            long seconds = random.nextLong(-62_167_219_200L, 253_402_300_800L); // 0000-01-01 .. 9999-12-31
            int nano = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant at = Instant.ofEpochSecond(seconds, nano);
            String text = at.toString();
            assertEquals(text, IsoInstants.format(at));
            assertEquals(at, IsoInstants.parse(text), text);
            byte[] ours = ContractJson.write(new Holder(at));
            assertEquals(new String(GENERAL.writeValueAsBytes(new Holder(at)), StandardCharsets.UTF_8),
                    new String(ours, StandardCharsets.UTF_8));
            assertEquals(at, ContractJson.read(ours, Holder.class).at());
        }
    }

    @Test
    void everyOtherShapeGoesToTheGeneralCodecAndEndsAsBefore() throws Exception {
        List<String> others = List.of("2026-12-06T01:11:02+02:00", "2026-12-06t01:11:02z", "+12026-12-06T01:11:02Z",
                "2026-12-06T01:11:02.Z", "2026-12-06T01:11:02.1234567890Z", "2026-02-30T00:00:00Z",
                "2026-12-06T24:00:00Z", "2026-12-06T23:59:60Z", "2026-13-01T00:00:00Z", "2026-12-06 01:11:02Z",
                "2026-1a-06T01:11:02Z", "", "1764983462", "not a time");
        for (String text : others) {
            assertNull(IsoInstants.parse(text), text);
            String json = text.matches("\\d+") ? "{\"at\":" + text + "}" : "{\"at\":\"" + text + "\"}";
            Object before;
            try {
                before = GENERAL.readValue(json, Holder.class).at();
            } catch (Exception e) {
                before = e.getClass();
            }
            Object now;
            try {
                now = ContractJson.read(json.getBytes(StandardCharsets.UTF_8), Holder.class).at();
            } catch (ContractJson.ContractException e) {
                now = e.getCause().getClass();
            }
            assertEquals(before, now, text);
        }
        assertThrows(ContractJson.ContractException.class,
                () -> ContractJson.read("{\"at\":\"2026-02-30T00:00:00Z\"}".getBytes(StandardCharsets.UTF_8),
                        Holder.class));
        assertEquals(Instant.parse("2026-12-06T01:11:02.100Z"), IsoInstants.parse("2026-12-06T01:11:02.1Z"));
    }

    /**
     * A task event (three instants) decoded by the platform's mapper against the general codec alone: the fast
     * path is in use (it is faster) and both give the same event. Prints both times (issue 18's fold cost).
     */
    @Test
    void decodingAnEventSkipsTheGeneralParser() throws Exception {
        Instant at = Instant.parse("2026-12-06T01:11:02.123456789Z");
        TaskEvent event = new TaskEvent.StatusChanged("t1", "ctx", "w1",
                new TaskStatus(TaskState.COMPLETED, Message.agentText("m2", "ctx", "t1", "ok"), at),
                Map.of(), at);
        byte[] json = ContractJson.write(event);
        ObjectMapper general = JsonMapper.builder().addModule(new JavaTimeModule())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        assertEquals(event, general.readValue(json, TaskEvent.class));
        assertEquals(event, ContractJson.read(json, TaskEvent.class));
        long fastNs = Long.MAX_VALUE;
        long generalNs = Long.MAX_VALUE;
        for (int round = 0; round < 7; round++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                ContractJson.read(json, TaskEvent.class);
            }
            long t1 = System.nanoTime();
            for (int i = 0; i < 20_000; i++) {
                general.readValue(json, TaskEvent.class);
            }
            long t2 = System.nanoTime();
            fastNs = Math.min(fastNs, (t1 - t0) / 20_000);
            generalNs = Math.min(generalNs, (t2 - t1) / 20_000);
        }
        System.out.printf("IsoInstantsTest: a status event decoded in %d ns (general instant parser: %d ns)%n",
                fastNs, generalNs);
        // interleaved best-of-7: the fast path cannot be slower unless it is not used at all
        org.junit.jupiter.api.Assertions.assertTrue(fastNs < generalNs, fastNs + " vs " + generalNs);
    }
}
