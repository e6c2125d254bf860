package io.caravan;

import io.caravan.http.LoopbackOnly;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code POST /-/reload}, as Prometheus' and Alloy's: reloads the routes, rules and stages now and answers with what
 * happened: 200 reloaded or unchanged, 500 with the errors when the new files are refused (the previous configuration
 * keeps running). Only from the agent's own host (loopback), since the UI's port may be open to the cluster
 * (the chart binds 0.0.0.0 for the probes); {@code CARAVAN_RELOAD_REMOTE=true} takes it from any address.
 */
@RestController
@org.springframework.boot.autoconfigure.condition.ConditionalOnProperty(name = ReloadWiring.ENABLED, matchIfMissing = true)
class ReloadController {

    private final RouteReload reload;
    private final boolean remote;

    ReloadController(RouteReload reload, Environment env) {
        this.reload = reload;
        this.remote = env.getProperty("CARAVAN_RELOAD_REMOTE", Boolean.class, false);
    }

    @PostMapping("/-/reload")
    ResponseEntity<Map<String, Object>> reload(HttpServletRequest request) {
        if (!LoopbackOnly.allows(request.getRemoteAddr(), remote)) {
            return ResponseEntity.status(HttpStatus.FORBIDDEN).body(Map.of("error",
                    LoopbackOnly.refusal("a reload", request.getRemoteAddr(), "CARAVAN_RELOAD_REMOTE")));
        }
        RouteReload.Result r = reload.reload("http");
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("result", r.outcome().name().toLowerCase());
        body.put("files", r.files());
        if (r.error() != null) {
            body.put("error", r.error());
        }
        body.put("configuration", reload.status().generation());
        return ResponseEntity.status(r.outcome() == RouteReload.Outcome.FAILED ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.OK).body(body);
    }
}
