package run.codetether.router.infra.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.router.domain.decode.CausalLm;
import run.codetether.router.fixtures.Fixtures;
import run.codetether.router.infra.tokenizer.DjlTextTokenizer;

/** The ONNX decoder against the generated Gemma-shaped model: cache vs no cache, batch vs single rows. */
class OnnxCausalLmTest {

    private static final int STEPS = 20;
    private static OnnxCausalLm cached;
    private static OnnxCausalLm uncached;
    private static DjlTextTokenizer tokenizer;

    @BeforeAll
    static void load() throws Exception {
        cached = OnnxCausalLm.load(Fixtures.model(), DevicePreference.CPU, 1, 0, true);
        uncached = OnnxCausalLm.load(Fixtures.model(), DevicePreference.CPU, 1, 0, false);
        tokenizer = DjlTextTokenizer.load(Fixtures.tokenizer());
    }

    @AfterAll
    static void close() {
        cached.close();
        uncached.close();
        tokenizer.close();
    }

    /** Greedy decoding of a batch; returns per row the ids and the logits seen at every step. */
    private static Trace greedy(CausalLm lm, long[][] prompts) throws Exception {
        Trace trace = new Trace(prompts.length);
        try (CausalLm.Session session = lm.start(prompts)) {
            for (int step = 0; step < STEPS; step++) {
                long[] next = new long[prompts.length];
                for (int r = 0; r < prompts.length; r++) {
                    float[] logits = session.logits(r);
                    int best = 0;
                    for (int i = 1; i < logits.length; i++) {
                        if (logits[i] > logits[best]) {
                            best = i;
                        }
                    }
                    next[r] = best;
                    trace.ids.get(r)[step] = best;
                    trace.logits.get(r).add(logits);
                }
                session.append(next);
            }
        }
        return trace;
    }

    private record Trace(List<long[]> ids, List<List<float[]>> logits) {
        Trace(int rows) {
            this(new ArrayList<>(), new ArrayList<>());
            for (int r = 0; r < rows; r++) {
                ids.add(new long[STEPS]);
                logits.add(new ArrayList<>());
            }
        }
    }

    private static float maxDiff(List<float[]> a, List<float[]> b) {
        float max = 0;
        for (int s = 0; s < a.size(); s++) {
            assertEquals(a.get(s).length, b.get(s).length);
            for (int i = 0; i < a.get(s).length; i++) {
                max = Math.max(max, Math.abs(a.get(s)[i] - b.get(s)[i]));
            }
        }
        return max;
    }

    @Test
    void readsTheLayoutFromTheModel() {
        assertEquals(2, cached.layers());
        assertEquals(Fixtures.VOCAB, cached.vocabSize());
        assertEquals("cpu", cached.device());
        assertEquals("CPUExecutionProvider", cached.executionProvider());
    }

    @Test
    void kvCacheGivesTheSameTokensAndLogitsAsRecomputingEverything() throws Exception {
        long[][] prompt = {tokenizer.encode("<start_of_turn>user\nplease read the file notes.txt<end_of_turn>\n")};
        Trace withCache = greedy(cached, prompt);
        Trace without = greedy(uncached, prompt);
        assertArrayEquals(without.ids().getFirst(), withCache.ids().getFirst(), "token ids");
        assertTrue(maxDiff(withCache.logits().getFirst(), without.logits().getFirst()) < 1e-4f);
        // a broken cache could hide behind one repeated token: make sure the output varies
        assertTrue(Arrays.stream(withCache.ids().getFirst()).distinct().count() > 1,
                Arrays.toString(withCache.ids().getFirst()));
    }

    @Test
    void leftPaddedBatchEqualsEachRowAlone() throws Exception {
        long[][] prompts = {
            tokenizer.encode("read the file /tmp/notes.txt and tell me what it says"),
            tokenizer.encode("ls"),
            tokenizer.encode("<start_of_turn>user\nrun the tests with bash, then count the lines of the log"),
            tokenizer.encode("search error")};
        for (CausalLm lm : new CausalLm[] {cached, uncached}) {
            Trace batch = greedy(lm, prompts);
            for (int r = 0; r < prompts.length; r++) {
                Trace single = greedy(lm, new long[][] {prompts[r]});
                assertArrayEquals(single.ids().getFirst(), batch.ids().get(r), "row " + r);
                assertTrue(maxDiff(single.logits().getFirst(), batch.logits().get(r)) < 1e-4f, "row " + r);
            }
        }
    }
}
