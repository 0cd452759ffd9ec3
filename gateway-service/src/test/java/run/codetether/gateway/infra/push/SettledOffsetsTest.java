package run.codetether.gateway.infra.push;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.TreeSet;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class SettledOffsetsTest {
    @Test
    void theSettledOffsetsAboveThePositionComeBackFromTheMetadata() {
        TreeSet<Long> settled = new TreeSet<>(List.of(98L, 103L, 105L, 1_000_000L));
        String metadata = SettledOffsets.encode(100, settled);
        assertEquals("settled:3,5,999900", metadata, "distances from the position; 98 is behind it");
        assertEquals(new TreeSet<>(List.of(103L, 105L, 1_000_000L)), SettledOffsets.decode(100, metadata));
        assertEquals("", SettledOffsets.encode(100, new TreeSet<>(List.of(5L))), "none above: empty metadata");
    }

    @Test
    void theMetadataStaysUnderTheBrokersLimitAndKeepsTheNearestOffsets() {
        TreeSet<Long> settled = new TreeSet<>();
        LongStream.range(0, 5_000).forEach(i -> settled.add(1_000 + 2 * i));
        String metadata = SettledOffsets.encode(1_000, settled);
        assertTrue(metadata.length() <= SettledOffsets.MAX_CHARS, "length " + metadata.length());
        TreeSet<Long> back = SettledOffsets.decode(1_000, metadata).stream()
                .collect(java.util.stream.Collectors.toCollection(TreeSet::new));
        assertEquals(settled.headSet(back.last(), true), back, "a prefix: the nearest ones, none invented");
        assertTrue(back.size() > 500, "kept " + back.size());
    }

    @Test
    void metadataOfAnotherKindOrMalformedNamesNoOffset() {
        assertTrue(SettledOffsets.decode(7, "").isEmpty(), "what older gateways committed");
        assertTrue(SettledOffsets.decode(7, null).isEmpty());
        assertTrue(SettledOffsets.decode(7, "something else").isEmpty());
        assertEquals(new TreeSet<>(List.of(9L)), SettledOffsets.decode(7, "settled:x,2,-4,"));
    }
}
