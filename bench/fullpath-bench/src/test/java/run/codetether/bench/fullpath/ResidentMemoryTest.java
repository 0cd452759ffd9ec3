package run.codetether.bench.fullpath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResidentMemoryTest {
    private static final String STATUS = """
            Name:\tjava
            VmPeak:\t 4467248 kB
            VmHWM:\t  412876 kB
            VmRSS:\t  398012 kB
            RssAnon:\t  301000 kB
            Threads:\t57
            """;

    @Test
    void readsNowAndPeakOfEachProcessInItsOrder(@TempDir Path proc) throws Exception {
        Files.createDirectories(proc.resolve("41"));
        Files.writeString(proc.resolve("41/status"), STATUS);
        Files.createDirectories(proc.resolve("7"));
        Files.writeString(proc.resolve("7/status"), "Name:\tnode\nVmHWM:\t 2048 kB\nVmRSS:\t 1024 kB\n");
        Map<String, Long> pids = new LinkedHashMap<>();
        pids.put("gateway", 41L);
        pids.put("node", 7L);

        Map<String, ResidentMemory.Resident> read = new ResidentMemory(proc).read(pids);

        assertEquals(List.of("gateway", "node"), List.copyOf(read.keySet()));
        assertEquals(new ResidentMemory.Resident(398012, 412876), read.get("gateway"));
        assertEquals(1.0, read.get("node").mib());
        assertEquals(2.0, read.get("node").peakMib());
    }

    @Test
    void aProcessThatIsGoneOrHasNoMemoryLinesIsNamedInTheError(@TempDir Path proc) throws Exception {
        IllegalStateException gone = assertThrows(IllegalStateException.class,
                () -> new ResidentMemory(proc).read(Map.of("agent", 99L)));
        assertTrue(gone.getMessage().contains("agent") && gone.getMessage().contains("99"), gone.getMessage());

        Files.createDirectories(proc.resolve("2"));
        Files.writeString(proc.resolve("2/status"), "Name:\tkthreadd\nThreads:\t1\n");
        IllegalStateException kernel = assertThrows(IllegalStateException.class,
                () -> new ResidentMemory(proc).read(Map.of("kafka", 2L)));
        assertTrue(kernel.getMessage().contains("no VmRSS: line"), kernel.getMessage());
    }

    @Test
    void aValueInAnotherUnitIsRefusedNotMisread() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ResidentMemory.parse("VmRSS:\t 12 MB\nVmHWM:\t 13 kB\n"));
        assertTrue(e.getMessage().contains("not in kB"), e.getMessage());
    }
}
