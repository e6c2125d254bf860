package io.caravan.canary;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.http.HttpClients;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Supplier;

/**
 * GETs a query API's JSON (Prometheus' and Loki's answer {"status":"success","data":...}) with the tenant header and
 * bearer token the store wants; the token is never logged, the URL is shown with its credentials redacted.
 */
final class QueryClient {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final String baseUrl;
    private final String tenant;
    private final Supplier<String> authorization;
    private final Duration timeout;

    QueryClient(HttpClient http, String baseUrl, String tenant, Supplier<String> authorization, Duration timeout) {
        this.http = http;
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.tenant = tenant;
        this.authorization = authorization;
        this.timeout = timeout;
    }

    /** The {@code data} of a successful answer to GET base+path?params. */
    JsonNode get(String path, Map<String, String> params) throws IOException, InterruptedException {
        StringJoiner query = new StringJoiner("&");
        params.forEach((k, v) -> query.add(k + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        URI uri = URI.create(baseUrl + path + "?" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json");
        if (tenant != null && !tenant.isBlank()) {
            request.header("X-Scope-OrgID", tenant);
        }
        String auth = authorization == null ? null : authorization.get();
        if (auth != null) {
            request.header("Authorization", auth);
        }
        HttpResponse<String> response;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IOException("query API " + HttpClients.redact(uri) + " unreachable (" + (e.getMessage() != null ? e.getMessage() : e)
                    + "): check the query URL and that the agent may reach it", e);
        }
        if (response.statusCode() / 100 != 2) {
            String body = response.body();
            throw new IOException("query API " + HttpClients.redact(uri) + " answered HTTP " + response.statusCode() + ": "
                    + (body.length() > 200 ? body.substring(0, 200) + "..." : body)
                    + (response.statusCode() == 401 || response.statusCode() == 403 ? " (check the token and tenant)" : ""));
        }
        JsonNode root = JSON.readTree(response.body());
        if (!"success".equals(root.path("status").asText())) {
            throw new IOException("query API " + HttpClients.redact(uri) + " did not succeed: " + root.path("error").asText(response.body()));
        }
        return root.path("data");
    }
}
