package run.codetether.tools.domain.edit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LineDiffTest {
    @Test
    void aReplacedLineShowsTheOldLineBeforeTheNewOneAsGitDoes() {
        LineDiff.Diff d = LineDiff.unified("a.txt", "keep\nhello world\nend\n", "keep\nhello world!\nend\n");
        assertEquals("""
                --- a/a.txt
                +++ b/a.txt
                @@ -1,3 +1,3 @@
                 keep
                -hello world
                +hello world!
                 end
                """, d.text());
        assertEquals(1, d.added());
        assertEquals(1, d.removed());
    }

    @Test
    void aReplacedBlockListsAllItsOldLinesFirst() {
        LineDiff.Diff d = LineDiff.unified("b.txt", "x\n1\n2\ny\n", "x\nA\nB\nC\ny\n");
        assertEquals("""
                --- a/b.txt
                +++ b/b.txt
                @@ -1,4 +1,5 @@
                 x
                -1
                -2
                +A
                +B
                +C
                 y
                """, d.text());
    }
}
