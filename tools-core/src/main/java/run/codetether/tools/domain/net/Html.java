package run.codetether.tools.domain.net;

import java.util.regex.Pattern;

/** Crude HTML to text/markdown for model consumption: scripts and styles dropped, links kept as markdown. */
public final class Html {

    private static final Pattern DROP = Pattern.compile("(?is)<(script|style|noscript|head)[^>]*>.*?</\\1>");
    private static final Pattern LINK = Pattern.compile("(?is)<a\\s[^>]*href=\"([^\"]*)\"[^>]*>(.*?)</a>");
    private static final Pattern BLOCK = Pattern.compile("(?i)</?(p|div|br|li|tr|h[1-6]|section|article|ul|ol)[^>]*>");
    private static final Pattern TAG = Pattern.compile("(?s)<[^>]+>");

    private Html() {}

    public static String toText(String html, boolean markdown) {
        String s = DROP.matcher(html).replaceAll("");
        if (markdown) {
            s = LINK.matcher(s).replaceAll(m -> java.util.regex.Matcher.quoteReplacement(
                    "[" + TAG.matcher(m.group(2)).replaceAll("").strip() + "](" + m.group(1) + ")"));
        }
        s = BLOCK.matcher(s).replaceAll("\n");
        s = TAG.matcher(s).replaceAll("");
        s = s.replace("&nbsp;", " ").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&#39;", "'").replace("&amp;", "&");
        return s.replaceAll("[ \\t]+", " ").replaceAll("\\n\\s*\\n+", "\n\n").strip();
    }
}
