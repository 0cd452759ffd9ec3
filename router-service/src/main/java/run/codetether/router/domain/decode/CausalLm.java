package run.codetether.router.domain.decode;

/**
 * A decoder-only language model that decodes a batch of prompts step by step. Implementations keep whatever cache
 * they use inside the session; one session is used by one thread at a time.
 */
public interface CausalLm extends AutoCloseable {

    /** Rows of the logits (the model's vocabulary, which may differ from the tokenizer's). */
    int vocabSize();

    /** Runs the prompts (unpadded; the model pads them) and returns a session positioned after them. */
    Session start(long[][] prompts) throws Exception;

    @Override
    void close();

    /** A batch in progress. */
    interface Session extends AutoCloseable {

        /** Next-token logits of one row (a fresh array the caller may change). */
        float[] logits(int row);

        /** Appends one token per row and computes the next logits. */
        void append(long[] tokens) throws Exception;

        @Override
        void close();
    }
}
