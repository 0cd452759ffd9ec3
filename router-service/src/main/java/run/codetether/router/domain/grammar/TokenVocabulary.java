package run.codetether.router.domain.grammar;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Comparator;
import java.util.List;

/**
 * Every token's symbol string, computed once per tokenizer, with a character trie over them and the sets of
 * tokens that may appear anywhere inside a string. {@link #allowed} walks the trie with the grammar so that one
 * pass prunes every token sharing a refused prefix. Immutable and thread-safe.
 */
public final class TokenVocabulary {

    private final String[] symbols;
    private final char[] label;
    private final int[] firstChild;
    private final int[] nextSibling;
    private final int[] firstToken;
    private final int[] nextToken;
    private final BitSet jsonSafe = new BitSet();
    private final BitSet gemmaSafe = new BitSet();
    private final int[] jsonUnsafe;
    private final int[] gemmaUnsafe;

    /** @param symbols per token id its symbol string; {@code null} or empty = never generated */
    public TokenVocabulary(String[] symbols) {
        this.symbols = symbols.clone();
        List<Integer> ids = new ArrayList<>();
        List<Integer> jsonOther = new ArrayList<>();
        List<Integer> gemmaOther = new ArrayList<>();
        int chars = 1;
        for (int id = 0; id < this.symbols.length; id++) {
            String s = this.symbols[id];
            if (s == null || s.isEmpty()) {
                this.symbols[id] = null;
                continue;
            }
            ids.add(id);
            chars += s.length();
            if (safeIn(s, Dialect.JSON_TOOL_CALL)) {
                jsonSafe.set(id);
            } else {
                jsonOther.add(id);
            }
            if (safeIn(s, Dialect.FUNCTION_GEMMA)) {
                gemmaSafe.set(id);
            } else {
                gemmaOther.add(id);
            }
        }
        jsonUnsafe = jsonOther.stream().mapToInt(Integer::intValue).toArray();
        gemmaUnsafe = gemmaOther.stream().mapToInt(Integer::intValue).toArray();
        // sorted insertion: a node's newest child is always its last one, so each insert is O(length)
        ids.sort(Comparator.comparing((Integer id) -> this.symbols[id]));
        char[] lab = new char[chars];
        int[] first = new int[chars];
        int[] next = new int[chars];
        int[] last = new int[chars];
        int[] tokenHead = new int[chars];
        Arrays.fill(first, -1);
        Arrays.fill(next, -1);
        Arrays.fill(last, -1);
        Arrays.fill(tokenHead, -1);
        int[] tokenNext = new int[this.symbols.length];
        int nodes = 1;
        for (int id : ids) {
            int node = 0;
            for (char c : this.symbols[id].toCharArray()) {
                int child = last[node];
                if (child >= 0 && lab[child] == c) {
                    node = child;
                    continue;
                }
                int created = nodes++;
                lab[created] = c;
                if (child >= 0) {
                    next[child] = created;
                } else {
                    first[node] = created;
                }
                last[node] = created;
                node = created;
            }
            tokenNext[id] = tokenHead[node];
            tokenHead[node] = id;
        }
        label = Arrays.copyOf(lab, nodes);
        firstChild = Arrays.copyOf(first, nodes);
        nextSibling = Arrays.copyOf(next, nodes);
        firstToken = Arrays.copyOf(tokenHead, nodes);
        nextToken = tokenNext;
    }

    private static boolean safeIn(String s, Dialect d) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Symbols.isControl(c) || (d == Dialect.JSON_TOOL_CALL && (c < 0x20 || c == '"' || c == '\\'))) {
                return false;
            }
        }
        return true;
    }

    public int size() {
        return symbols.length;
    }

    /** The symbol string of a token, or {@code null} when it is never generated. */
    public String symbol(int id) {
        return id >= 0 && id < symbols.length ? symbols[id] : null;
    }

    /** Number of trie nodes (for logs). */
    public int trieNodes() {
        return label.length;
    }

    /** The ids whose whole symbol string the grammar accepts from {@code state}. */
    public BitSet allowed(GrammarState state) {
        BitSet out = new BitSet(symbols.length);
        if (state.inFreeString()) {
            boolean json = state.stringDialect() == Dialect.JSON_TOOL_CALL;
            out.or(json ? jsonSafe : gemmaSafe);
            for (int id : json ? jsonUnsafe : gemmaUnsafe) {
                if (state.feed(symbols[id]) != null) {
                    out.set(id);
                }
            }
            return out;
        }
        int[] nodeStack = new int[64];
        GrammarState[] stateStack = new GrammarState[64];
        int depth = 0;
        nodeStack[depth] = 0;
        stateStack[depth++] = state;
        while (depth > 0) {
            depth--;
            int node = nodeStack[depth];
            GrammarState at = stateStack[depth];
            stateStack[depth] = null;
            for (int child = firstChild[node]; child >= 0; child = nextSibling[child]) {
                GrammarState next = at.feed(label[child]);
                if (next == null) {
                    continue;
                }
                for (int id = firstToken[child]; id >= 0; id = nextToken[id]) {
                    out.set(id);
                }
                if (firstChild[child] >= 0) {
                    if (depth == nodeStack.length) {
                        nodeStack = Arrays.copyOf(nodeStack, depth * 2);
                        stateStack = Arrays.copyOf(stateStack, depth * 2);
                    }
                    nodeStack[depth] = child;
                    stateStack[depth++] = next;
                }
            }
        }
        return out;
    }
}
