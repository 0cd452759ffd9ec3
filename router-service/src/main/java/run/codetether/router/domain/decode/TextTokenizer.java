package run.codetether.router.domain.decode;

/** Text to token ids with the model's own tokenizer (special tokens written in the text become their ids). */
public interface TextTokenizer {

    long[] encode(String text);
}
