package run.codetether.router.domain.decode;

import java.util.BitSet;
import java.util.SplittableRandom;

/** Picks the next token among the allowed ones: argmax at temperature 0, else softmax sampling. */
public final class Sampler {

    private Sampler() {}

    /** The chosen id, or -1 when no allowed id has a logit. */
    public static int pick(float[] logits, BitSet allowed, float temperature, SplittableRandom random) {
        int best = -1;
        float max = Float.NEGATIVE_INFINITY;
        for (int id = allowed.nextSetBit(0); id >= 0 && id < logits.length; id = allowed.nextSetBit(id + 1)) {
            if (best < 0 || logits[id] > max) {
                max = logits[id];
                best = id;
            }
        }
        if (best < 0 || temperature <= 0f) {
            return best;
        }
        double total = 0;
        for (int id = allowed.nextSetBit(0); id >= 0 && id < logits.length; id = allowed.nextSetBit(id + 1)) {
            total += Math.exp((logits[id] - max) / temperature);
        }
        double target = random.nextDouble() * total;
        int last = best;
        for (int id = allowed.nextSetBit(0); id >= 0 && id < logits.length; id = allowed.nextSetBit(id + 1)) {
            target -= Math.exp((logits[id] - max) / temperature);
            last = id;
            if (target <= 0) {
                return id;
            }
        }
        return last;
    }
}
