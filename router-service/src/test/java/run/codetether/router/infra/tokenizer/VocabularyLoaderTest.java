package run.codetether.router.infra.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import run.codetether.router.domain.grammar.Symbols;
import run.codetether.router.domain.grammar.TokenVocabulary;
import run.codetether.router.fixtures.Fixtures;
import run.codetether.router.fixtures.TinyTokenizer;

class VocabularyLoaderTest {

    private static DjlTextTokenizer tokenizer;
    private static VocabularyLoader.Loaded loaded;

    @BeforeAll
    static void load() throws Exception {
        tokenizer = DjlTextTokenizer.load(Fixtures.tokenizer());
        loaded = VocabularyLoader.load(Fixtures.tokenizer(), tokenizer, Fixtures.VOCAB);
    }

    @AfterAll
    static void close() {
        tokenizer.close();
    }

    @Test
    void mapsControlTokensToSymbolsAndDropsOtherSpecials() {
        TokenVocabulary v = loaded.vocabulary();
        int eos = TinyTokenizer.SPECIALS.indexOf("<eos>");
        int endOfTurn = TinyTokenizer.SPECIALS.indexOf("<end_of_turn>");
        assertEquals(String.valueOf(Symbols.END), v.symbol(eos));
        assertEquals(String.valueOf(Symbols.END), v.symbol(endOfTurn));
        assertEquals(String.valueOf(Symbols.START_CALL), v.symbol(TinyTokenizer.SPECIALS.indexOf("<start_function_call>")));
        assertEquals(String.valueOf(Symbols.ESCAPE), v.symbol(TinyTokenizer.SPECIALS.indexOf("<escape>")));
        assertNull(v.symbol(TinyTokenizer.SPECIALS.indexOf("<bos>")));
        assertNull(v.symbol(TinyTokenizer.SPECIALS.indexOf("<start_of_turn>")));
        assertEquals(0, loaded.padId());
    }

    @Test
    void byteTokensDecodeToTheirCharacterAndLonePartialBytesAreExcluded() {
        TokenVocabulary v = loaded.vocabulary();
        int base = TinyTokenizer.SPECIALS.size();
        assertEquals("A", v.symbol(base + 0x41));
        assertEquals("\n", v.symbol(base + 0x0A));
        assertNull(v.symbol(base + 0xC3), "a lone UTF-8 lead byte decodes to U+FFFD and is never generated");
    }

    @Test
    void encodesSpecialTokensAsOneIdAndNeverTruncates() {
        long[] ids = tokenizer.encode("<start_of_turn>user\nhi<end_of_turn>");
        assertEquals(2, ids[0], "<bos> first");
        assertEquals(TinyTokenizer.SPECIALS.indexOf("<start_of_turn>"), ids[1]);
        assertEquals(TinyTokenizer.SPECIALS.indexOf("<end_of_turn>"), ids[ids.length - 1]);
        String longText = "word ".repeat(1500);
        assertTrue(tokenizer.encode(longText).length > 1500, "DJL's default would cut this at 512");
    }
}
