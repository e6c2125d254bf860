package io.caravan.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.caravan.tap.RouteSteps;
import io.caravan.tap.Tap;
import io.caravan.tap.TapLimits;
import io.caravan.tap.TapLine;
import io.caravan.tap.Taps;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The live tap's API: {@code GET /api/v1/tap/steps[?route=R]}, the steps a tap can name, and {@code GET /api/v1/tap},
 * what passes one, as Server-Sent Events: {@code tap} (what is tapped, with its limits), then {@code item} per item,
 * {@code skipped} when the rate limit or the buffer left items out, and {@code end} with the reason; a comment every
 * two seconds while nothing passes keeps proxies from closing the stream and tells the agent when the client went
 * away. The stream holds a request thread while it runs: there are at most {@link Taps#MAX_TAPS}, each ending in time.
 */
@RestController
@RequestMapping("/api/v1/tap")
public class TapController {

    /** How long a quiet stream waits before a keep-alive comment: also how soon a client gone is noticed. */
    private static final long KEEP_ALIVE_NANOS = 2_000_000_000L;
    /** Most lines written between flushes. */
    private static final int LINES_PER_POLL = 256;

    private final CamelContext camel;
    private final Taps taps;
    private final ObjectMapper json = new ObjectMapper();

    private final boolean remote;

    TapController(CamelContext camel, Taps taps, org.springframework.core.env.Environment env) {
        this.camel = camel;
        this.taps = taps;
        this.remote = env.getProperty("CARAVAN_TAP_REMOTE", Boolean.class, false);
    }

    /** One route's steps ({@code route=R}), or every route's. */
    @GetMapping(value = "/steps", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> steps(@RequestParam(required = false) String route) {
        if (route == null) {
            List<Map<String, Object>> all = new ArrayList<>();
            for (String id : routeIds()) {
                RouteSteps steps = routeSteps(id);
                if (steps != null) {
                    all.add(describe(steps));
                }
            }
            return ResponseEntity.ok(all);
        }
        RouteSteps steps = routeSteps(route);
        return steps == null ? error(HttpStatus.NOT_FOUND, noRoute(route)) : ResponseEntity.ok(describe(steps));
    }

    /**
     * Streams what passes {@code step} of {@code route} (no step: what leaves its source) until {@code limit} items
     * (default none), {@code seconds} (default 60, at most 600) or the client goes away.
     */
    @GetMapping
    public void tap(@RequestParam(required = false) String route, @RequestParam(required = false) String step,
                    @RequestParam(required = false) String direction, @RequestParam(required = false) String limit,
                    @RequestParam(required = false) String seconds, @RequestParam(required = false) String rate,
                    jakarta.servlet.http.HttpServletRequest request, HttpServletResponse response) throws IOException {
        // what flows through the pipelines, secrets redacted but labels and lines readable: for the operator on the node
        if (!io.caravan.http.LoopbackOnly.allows(request.getRemoteAddr(), remote)) {
            send(response, HttpStatus.FORBIDDEN, io.caravan.http.LoopbackOnly.refusal("a tap", request.getRemoteAddr(), "CARAVAN_TAP_REMOTE"));
            return;
        }
        if (route == null || route.isBlank()) {
            send(response, HttpStatus.BAD_REQUEST, "give route=ROUTE (and step=STEP); routes: " + String.join(", ", routeIds()));
            return;
        }
        Tap.Direction shows;
        TapLimits limits;
        try {
            shows = Tap.Direction.parse(direction);
            Integer items = number(limit, "limit");
            limits = TapLimits.of(number(rate, "rate"), items == null ? null : items.longValue(), number(seconds, "seconds"));
        } catch (IllegalArgumentException e) {
            send(response, HttpStatus.BAD_REQUEST, e.getMessage());
            return;
        }
        RouteSteps steps = routeSteps(route);
        if (steps == null) {
            send(response, HttpStatus.NOT_FOUND, noRoute(route));
            return;
        }
        Tap tap;
        try {
            tap = taps.open(route, steps.resolve(step), shows, limits);
        } catch (RouteSteps.UnknownStep e) {
            send(response, HttpStatus.NOT_FOUND, e.getMessage());
            return;
        } catch (Taps.TooManyTaps e) {
            send(response, HttpStatus.TOO_MANY_REQUESTS, e.getMessage());
            return;
        }
        try {
            stream(tap, response);
        } catch (IOException e) {
            // the client went away: nothing to tell it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            taps.close(tap, "client gone");
        }
    }

    private void stream(Tap tap, HttpServletResponse response) throws IOException, InterruptedException {
        response.setStatus(HttpStatus.OK.value());
        response.setContentType("text/event-stream;charset=UTF-8");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Accel-Buffering", "no"); // a proxy in front must not hold the events back
        OutputStream out = response.getOutputStream();
        event(out, "tap", header(tap));
        out.flush();
        long lastWrite = System.nanoTime();
        while (true) {
            Tap.Poll poll = tap.poll(LINES_PER_POLL, 500);
            for (TapLine line : poll.lines()) {
                event(out, "item", line);
            }
            if (poll.skipped() > 0) {
                event(out, "skipped", Map.of("skipped", poll.skipped()));
            }
            if (poll.end() != null) {
                event(out, "end", Map.of("reason", poll.end(), "items", tap.items(), "skipped", tap.skippedTotal()));
                out.flush();
                return;
            }
            if (!poll.lines().isEmpty() || poll.skipped() > 0) {
                lastWrite = System.nanoTime();
            } else if (System.nanoTime() - lastWrite > KEEP_ALIVE_NANOS) {
                out.write(": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII));
                lastWrite = System.nanoTime();
            }
            out.flush();
        }
    }

    private Map<String, Object> header(Tap tap) {
        TapLimits l = tap.limits();
        boolean source = RouteSteps.FROM.equals(tap.step());
        String what = source ? "what leaves the route's source (into its first step)" : switch (tap.direction()) {
            case IN -> "what goes into the step";
            case OUT -> "what comes out of the step";
            case BOTH -> "what goes into the step (in) and comes out of it (out)";
        };
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", tap.route());
        m.put("step", tap.step());
        m.put("direction", source ? "from" : tap.direction().name().toLowerCase());
        m.put("rate", l.perSecond());
        m.put("buffer", l.buffer());
        m.put("seconds", l.seconds());
        m.put("limit", l.limit() == TapLimits.MAX_LIMIT ? null : l.limit());
        m.put("describe", tap.name() + ": " + what + "; at most " + l.perSecond() + " items a second, the rest skipped; ends after "
                + l.seconds() + " s" + (l.limit() == TapLimits.MAX_LIMIT ? "" : " or " + l.limit() + " items"));
        return m;
    }

    private void event(OutputStream out, String name, Object data) throws IOException {
        // JSON has no raw newline, so one data: line carries it
        out.write(("event: " + name + "\ndata: " + json.writeValueAsString(data) + "\n\n").getBytes(StandardCharsets.UTF_8));
    }

    private Map<String, Object> describe(RouteSteps steps) {
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(step(RouteSteps.FROM, 0, "from", steps.from()));
        steps.steps().forEach(s -> list.add(step(s.id(), s.position(), s.kind(), s.uri())));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("route", steps.route());
        m.put("from", steps.from());
        m.put("steps", list);
        return m;
    }

    private static Map<String, Object> step(String id, int position, String kind, String uri) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", id);
        m.put("position", position);
        m.put("kind", kind);
        m.put("uri", uri);
        return m;
    }

    /** The steps of a route this agent runs, or null. */
    private RouteSteps routeSteps(String route) {
        RouteDefinition definition = camel.getRoute(route) == null ? null : ((ModelCamelContext) camel).getRouteDefinition(route);
        return definition == null ? null : RouteSteps.of(definition, camel);
    }

    private List<String> routeIds() {
        return camel.getRoutes().stream().map(Route::getRouteId).sorted().toList();
    }

    private String noRoute(String route) {
        return "no route '" + route + "' runs on this agent; its routes: " + String.join(", ", routeIds());
    }

    /** A whole number the client gave, or null for the default. */
    private static Integer number(String value, String name) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a whole number, not '" + value + "'");
        }
    }

    private static ResponseEntity<Object> error(HttpStatus status, String message) {
        return ResponseEntity.status(status).body(Map.of("error", message));
    }

    private void send(HttpServletResponse response, HttpStatus status, String message) throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(Map.of("error", message)));
    }
}
