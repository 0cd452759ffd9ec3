package run.codetether.tools.domain.tool;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import run.codetether.tools.domain.ToolException;
import run.codetether.tools.domain.ToolResult;
import run.codetether.tools.domain.net.EgressPolicy;
import run.codetether.tools.domain.net.Html;
import run.codetether.tools.domain.net.HttpFetcher;

/**
 * webfetch: GET a URL through the egress policy (off by default). Every redirect hop is checked again, so an
 * allowed host cannot bounce the fetch to an internal one.
 */
public final class WebFetchTool implements Tool {

    private static final int MAX_REDIRECTS = 5;
    private final EgressPolicy policy;
    private final HttpFetcher fetcher;
    private final int maxBytes;
    private final Duration timeout;

    public WebFetchTool(EgressPolicy policy, HttpFetcher fetcher, int maxBytes, Duration timeout) {
        this.policy = policy;
        this.fetcher = fetcher;
        this.maxBytes = maxBytes;
        this.timeout = timeout;
    }

    @Override
    public boolean network() {
        return true;
    }

    @Override
    public String name() {
        return "webfetch";
    }

    @Override
    public String description() {
        return "webfetch(url: string, format?: markdown|text|html) - Fetch a web page (only allow-listed public hosts;"
                + (policy.enabled() ? " enabled" : " disabled on this service") + ").";
    }

    @Override
    public String parametersSchema() {
        return """
                {"type":"object","properties":{
                "url":{"type":"string"},
                "format":{"type":"string","enum":["markdown","text","html"],"default":"markdown"}},
                "required":["url"],"additionalProperties":false}""";
    }

    @Override
    public ToolResult execute(ToolCall call) {
        String raw = call.args().requireString("url");
        String format = call.args().string("format").orElse("markdown");
        if (!format.equals("markdown") && !format.equals("text") && !format.equals("html")) {
            throw ToolException.invalid("webfetch: 'format' must be markdown, text or html");
        }
        var r = fetch(raw);
        String body = new String(r.response().body(), StandardCharsets.UTF_8);
        boolean isHtml = r.response().contentType().contains("html");
        String out = format.equals("html") || !isHtml ? body : Html.toText(body, format.equals("markdown"));
        return new ToolResult(r.response().status() < 400, out, r.response().status() < 400 ? ""
                : "HTTP " + r.response().status(), null, r.response().truncated(), Map.of("status",
                        r.response().status(), "content_type", r.response().contentType(), "url", r.uri().toString()));
    }

    /** The final response and its URL after checked redirects. */
    public record Fetched(URI uri, HttpFetcher.Response response) {}

    public Fetched fetch(String raw) {
        URI uri = parse(raw);
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            InetAddress[] addresses = policy.check(uri);
            HttpFetcher.Response r = fetcher.get(uri, addresses, maxBytes, timeout);
            if (r.status() / 100 == 3 && r.location().isPresent()) {
                uri = uri.resolve(parse(r.location().get()));
                continue;
            }
            return new Fetched(uri, r);
        }
        throw new ToolException(ToolException.Code.EGRESS_REFUSED, "more than " + MAX_REDIRECTS + " redirects");
    }

    private static URI parse(String raw) {
        try {
            return new URI(raw.strip());
        } catch (URISyntaxException e) {
            throw ToolException.invalid("webfetch: invalid URL '" + raw + "': " + e.getReason());
        }
    }
}
