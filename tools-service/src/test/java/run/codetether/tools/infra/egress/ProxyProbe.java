package run.codetether.tools.infra.egress;

import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;

/** Run INSIDE the sandbox by a test: fetches a URL with the JDK's HTTP client and its default proxy selection. */
public final class ProxyProbe {

    private ProxyProbe() {}

    public static void main(String[] args) throws Exception {
        HttpURLConnection c = (HttpURLConnection) URI.create(args[0]).toURL().openConnection();
        c.setConnectTimeout(20_000);
        c.setReadTimeout(20_000);
        int status = c.getResponseCode();
        try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
            System.out.print("status=" + status + " usingProxy=" + c.usingProxy() + " " + new String(in.readAllBytes()));
        }
    }
}
