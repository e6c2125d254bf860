package io.caravan.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Debian's headless Chromium driven over the DevTools protocol, for pages that change after they load (a live stream):
 * open a page, wait in real time until a script says it is ready, then take its screenshot and its DOM. Where the
 * page is done once loaded, --dump-dom with a virtual time budget is simpler (UiBrowserTest); virtual time does not
 * wait for a streamed response's body. Skips the test without chromium (fails where CARAVAN_E2E_REQUIRED=1).
 */
public final class Chromium implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

    private Chromium(Process process, WebSocket socket) {
        this.process = process;
        this.socket = socket;
    }

    /**
     * A page once {@code readyWhen} (JavaScript) holds, live: its screenshot in target/, and its DOM; fails naming what
     * the page showed instead.
     */
    public static String render(String url, String readyWhen, String screenshot) throws Exception {
        try (Chromium chromium = start()) {
            chromium.open(url);
            boolean ready = chromium.waitFor(readyWhen, 30_000);
            chromium.screenshot(new File("target", screenshot));
            String html = chromium.html();
            if (!ready) {
                throw new AssertionError("the page " + url + " did not come to " + readyWhen + "; it shows " + html);
            }
            return html;
        }
    }

    /** A browser with one blank page, 1400x900. */
    public static Chromium start() throws Exception {
        String chromium = RealPeers.require("chromium", "chromium");
        Path profile = Files.createTempDirectory("caravan-chromium");
        Process p = new ProcessBuilder(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + profile, "--window-size=1400,900", "--remote-debugging-address=127.0.0.1",
                "--remote-debugging-port=0", "--remote-allow-origins=*", "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Path portFile = profile.resolve("DevToolsActivePort"); // Chromium writes the port it chose here
            long deadline = System.currentTimeMillis() + 20_000;
            while (!(Files.exists(portFile) && Files.readAllLines(portFile).size() >= 2)) {
                if (System.currentTimeMillis() > deadline || !p.isAlive()) {
                    throw new IllegalStateException("chromium did not open its DevTools port within 20 s");
                }
                Thread.sleep(50);
            }
            String port = Files.readAllLines(portFile).get(0).trim();
            HttpClient http = HttpClient.newHttpClient();
            JsonNode targets = JSON.readTree(http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
                    HttpResponse.BodyHandlers.ofString()).body());
            String pageSocket = null;
            for (JsonNode t : targets) {
                if (t.path("type").asText().equals("page")) {
                    pageSocket = t.get("webSocketDebuggerUrl").asText();
                }
            }
            if (pageSocket == null) {
                throw new IllegalStateException("chromium has no page: " + targets);
            }
            Chromium[] self = new Chromium[1];
            WebSocket ws = http.newWebSocketBuilder().buildAsync(URI.create(pageSocket), new WebSocket.Listener() {
                private final StringBuilder message = new StringBuilder();

                @Override
                public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
                    message.append(data);
                    if (last) {
                        self[0].answer(message.toString());
                        message.setLength(0);
                    }
                    webSocket.request(1);
                    return null;
                }
            }).get(20, TimeUnit.SECONDS);
            self[0] = new Chromium(p, ws);
            return self[0];
        } catch (Exception e) {
            p.destroyForcibly();
            throw e;
        }
    }

    private void answer(String text) {
        try {
            JsonNode m = JSON.readTree(text);
            CompletableFuture<JsonNode> call = m.has("id") ? calls.remove(m.get("id").asInt()) : null; // events have no id
            if (call != null) {
                if (m.has("error")) {
                    call.completeExceptionally(new IllegalStateException("DevTools: " + m.get("error")));
                } else {
                    call.complete(m.get("result"));
                }
            }
        } catch (Exception e) {
            calls.values().forEach(c -> c.completeExceptionally(e));
        }
    }

    private JsonNode call(String method, Map<String, Object> params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> result = new CompletableFuture<>();
        calls.put(id, result);
        ObjectNode m = JSON.createObjectNode().put("id", id).put("method", method);
        m.set("params", JSON.valueToTree(params));
        socket.sendText(JSON.writeValueAsString(m), true).get(20, TimeUnit.SECONDS);
        return result.get(30, TimeUnit.SECONDS);
    }

    public void open(String url) throws Exception {
        call("Page.enable", Map.of());
        call("Page.navigate", Map.of("url", url));
    }

    /** The value of a JavaScript expression in the page. */
    public JsonNode eval(String expression) throws Exception {
        return call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true)).path("result").path("value");
    }

    /** Waits until {@code condition} (a JavaScript expression) is true in the page; false if it is not within the time. */
    public boolean waitFor(String condition, long millis) throws Exception {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (eval("!!(" + condition + ")").asBoolean()) {
                return true;
            }
            Thread.sleep(200);
        }
        return false;
    }

    public void screenshot(File png) throws Exception {
        String data = call("Page.captureScreenshot", Map.of("format", "png")).get("data").asText();
        Files.write(png.toPath(), Base64.getDecoder().decode(data));
    }

    /** The page's DOM as HTML, as --dump-dom prints it. */
    public String html() throws Exception {
        return eval("document.documentElement.outerHTML").asText();
    }

    @Override
    public void close() throws Exception {
        socket.abort();
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
