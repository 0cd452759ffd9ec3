package run.codetether.tools.domain.tool;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.net.Html;

/**
 * websearch: queries the configured search URL (DuckDuckGo's HTML page by default, as the original) through the
 * same egress policy as webfetch and lists result titles and links.
 */
public final class WebSearchTool implements Tool {

    private static final Pattern RESULT = Pattern.compile("(?is)<a[^>]*class=\"[^\"]*result__a[^\"]*\"[^>]*href=\"([^\"]+)\"[^>]*>(.*?)</a>");
    private final WebFetchTool fetch;
    private final String searchUrl;

    public WebSearchTool(WebFetchTool fetch, String searchUrl) {
        this.fetch = fetch;
        this.searchUrl = searchUrl;
    }

    @Override
    public boolean network() {
        return true;
    }

    @Override
    public String name() {
        return "websearch";
    }

    @Override
    public String description() {
        return "websearch(query: string, max_results?: int) - Search the web (through the egress allowlist).";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "query":{"type":"string","description":"Search query"},
                "max_results":{"type":"integer","default":5,"minimum":1,"maximum":20,"description":"Max results to return"}},
                "required":["query"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        String query = call.args().requireString("query");
        int max = (int) call.args().integer("max_results", 5, 1, 20);
        var r = fetch.fetch(searchUrl.replace("{query}", URLEncoder.encode(query, StandardCharsets.UTF_8)));
        String html = new String(r.response().body(), StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        Matcher m = RESULT.matcher(html);
        while (m.find() && lines.size() < max) {
            lines.add((lines.size() + 1) + ". " + Html.toText(m.group(2), false) + "\n   " + m.group(1));
        }
        String out = lines.isEmpty() ? "No results for: " + query : String.join("\n", lines);
        return ToolResult.success(out, Map.of("count", lines.size(), "status", r.response().status()));
    }
}
