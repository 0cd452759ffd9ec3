package run.codetether.tools.domain.search;

import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One search: the compiled pattern, where to look, include/exclude globs (matched against the path relative to the
 * search root and against the file name), context lines and the match limit.
 */
public record GrepQuery(Pattern pattern, String literal, Path root, List<String> include, List<String> exclude,
        int contextLines, int limit) {

    /**
     * A query; {@code literal} (optional) is text every match must contain, as Latin-1 of its UTF-8 bytes, used to
     * skip files without decoding them. Patterns are compiled with MULTILINE so ^ and $ mean line start and end.
     */
    public static GrepQuery of(String pattern, boolean regex, boolean caseSensitive, Path root, List<String> include,
            List<String> exclude, int contextLines, int limit) {
        int flags = Pattern.MULTILINE | (caseSensitive ? 0 : Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        Pattern p = Pattern.compile(regex ? pattern : Pattern.quote(pattern), flags);
        String literal = !regex && caseSensitive
                ? new String(pattern.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        java.nio.charset.StandardCharsets.ISO_8859_1)
                : null;
        return new GrepQuery(p, literal, root, include, exclude, contextLines, limit);
    }
}
