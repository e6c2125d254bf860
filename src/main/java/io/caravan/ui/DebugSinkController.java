package io.caravan.ui;

import io.caravan.component.DebugView;
import org.apache.camel.CamelContext;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What a sink without a receiver holds (the metrics sink: the latest sample of each series in Prometheus text
 * format with the external labels applied; a Loki sink: its latest entries), for the embedded default and for
 * debugging. Each sink renders its own {@link DebugView}; this only finds them.
 */
@RestController
public class DebugSinkController {

    private final Components components;

    public DebugSinkController(CamelContext camel) {
        this.components = new Components(camel);
    }

    @GetMapping(value = "/debug/sinks", produces = MediaType.TEXT_PLAIN_VALUE)
    public String index() {
        StringBuilder sb = new StringBuilder("# sinks without a receiver URL (their samples stay here)\n");
        for (DebugView v : components.debugViews()) {
            sb.append(v.name()).append('\t').append(v.summary()).append("\t/debug/sinks/").append(v.name()).append('\n');
        }
        return sb.toString();
    }

    @GetMapping("/debug/sinks/{name}")
    public ResponseEntity<String> sink(@PathVariable String name) {
        for (DebugView v : components.debugViews()) {
            if (v.name().equals(name)) {
                return ResponseEntity.ok().contentType(MediaType.parseMediaType(v.contentType())).body(v.render());
            }
        }
        throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no debug sink named '" + name
                + "' (a sink uses the debug sink only when it has no receiver URL); see /debug/sinks");
    }
}
